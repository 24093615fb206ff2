-- customer-service's public read model: what other services (billing-service) may read of its
-- data, and all they may read; everything else in this schema is private and may change.
-- Versioned: a column may be added here, never removed or changed; a breaking change ships as
-- customers_v2 next to this view, and this one stays until no reader is left.
CREATE VIEW customers_v1 AS
SELECT customer_id, company_name, email, tier, monthly_quota, rate_limit_per_minute, status, created_at
FROM customers;
