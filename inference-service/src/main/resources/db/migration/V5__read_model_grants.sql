-- The public read models' reader: billing-service's role may read request_log_v1 and
-- usage_in_transit_v1 and nothing else of this schema (deploy/postgres/roles.sql creates the roles).
GRANT USAGE ON SCHEMA inference TO billing_service;
GRANT SELECT ON request_log_v1, usage_in_transit_v1 TO billing_service;
