-- Read-only views for operators and dashboards. The database's search_path starts with
-- "reporting" (deploy/scripts/postgres.sh), so the seed's queries run verbatim in psql:
--   SELECT company_name, tier, monthly_usage, monthly_quota, ... FROM customers
--   ... FROM inference_logs il JOIN customers c ON il.customer_id = c.customer_id
-- Billable usage = successful inferences (HTTP 200) in the current calendar month, UTC.

CREATE OR REPLACE VIEW reporting.inference_logs AS
SELECT * FROM inference.inference_logs;

CREATE OR REPLACE VIEW reporting.customers AS
SELECT c.customer_id,
       c.company_name,
       c.email,
       c.tier,
       c.monthly_quota,
       c.rate_limit_per_minute,
       c.status,
       c.created_at,
       COALESCE(usage.requests, 0) AS monthly_usage
FROM customer.customers c
LEFT JOIN (
    SELECT customer_id, count(*) AS requests
    FROM inference.inference_logs
    WHERE status_code = 200
      AND "timestamp" >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    GROUP BY customer_id
) usage ON usage.customer_id = c.customer_id;
