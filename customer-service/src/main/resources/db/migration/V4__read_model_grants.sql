-- The public read model's reader: billing-service's role may read customers_v1 and nothing else
-- of this schema (deploy/postgres/roles.sql creates the roles).
GRANT USAGE ON SCHEMA customer TO billing_service;
GRANT SELECT ON customers_v1 TO billing_service;
