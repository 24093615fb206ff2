-- Whether a customer agreed that its request images may be kept to train models, and since when
-- (UTC): NULL means no, which every customer is until an operator records its consent.
ALTER TABLE customers ADD COLUMN training_images_consent_at timestamptz NULL;

-- Published at the end of the public read model (columns are only ever added): inference-service
-- stores a request's image only while the customer's consent is set.
CREATE OR REPLACE VIEW customers_v1 AS
SELECT customer_id, company_name, email, tier, monthly_quota, rate_limit_per_minute, status, created_at,
       training_images_consent_at
FROM customers;

-- inference-service's role reads the consent here and nothing else of this schema
-- (deploy/postgres/roles.sql creates the roles).
GRANT USAGE ON SCHEMA customer TO inference_service;
GRANT SELECT ON customers_v1 TO inference_service;
