-- Read-only views for operators and dashboards. The database's search_path starts with
-- "reporting" (deploy/scripts/postgres.sh), so the seed's queries run verbatim in psql:
--   SELECT company_name, tier, monthly_usage, monthly_quota, ... FROM customers
--   ... FROM inference_logs il JOIN customers c ON il.customer_id = c.customer_id
-- Billable usage = successful inferences (HTTP 200), counted in calendar months, UTC.
-- Other services' data is read only through their public read models (customer.customers_v1,
-- inference.request_log_v1), which their own migrations create; billing-service waits for them
-- at startup (readmodel/PublishedReadModels), so the services may start in any order.
--
-- Views are dropped and re-created (not CREATE OR REPLACE) so that a column added to a table
-- underneath, or to a view here, never makes this migration fail.
DROP VIEW IF EXISTS reporting.inference_logs;
DROP VIEW IF EXISTS reporting.inference_logs_all;
DROP VIEW IF EXISTS reporting.customers;
DROP VIEW IF EXISTS reporting.invoices;
DROP VIEW IF EXISTS reporting.invoice_line_items;

-- The billable requests: what the seed's usage, revenue and billing queries count, so that
-- COUNT(*) over it is exactly the usage that invoices bill (billing.usage_events receives one
-- event per row here). Carries safety_score (the seed's monthly report averages it) and the safety
-- review's robot, raw_action and safety_flags (operators investigating flagged actions).
CREATE VIEW reporting.inference_logs AS
SELECT * FROM inference.request_log_v1 WHERE status_code = 200;

-- Every request that reached inference-service, success or error (error rates, debugging).
CREATE VIEW reporting.inference_logs_all AS
SELECT * FROM inference.request_log_v1;

CREATE VIEW reporting.customers AS
SELECT c.customer_id,
       c.company_name,
       c.email,
       c.tier,
       c.monthly_quota,
       c.rate_limit_per_minute,
       c.status,
       c.created_at,
       COALESCE(usage.requests, 0) AS monthly_usage
FROM customer.customers_v1 c
LEFT JOIN (
    -- billing.usage_events is the record of truth for usage: this month's count is what the
    -- month's invoice bills so far.
    SELECT customer_id, count(*) AS requests
    FROM billing.usage_events
    WHERE served_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'
    GROUP BY customer_id
) usage ON usage.customer_id = c.customer_id;

CREATE VIEW reporting.invoices AS
SELECT * FROM billing.invoices;

CREATE VIEW reporting.invoice_line_items AS
SELECT * FROM billing.invoice_line_items;

-- Operators' SQL runs as a role that can read these views and nothing else
-- (deploy/postgres/roles.sql; postgres.sh makes the operators' role a member).
GRANT USAGE ON SCHEMA reporting TO reporting_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO reporting_reader;
