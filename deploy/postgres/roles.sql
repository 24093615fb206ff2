-- Least privilege in the shared database: each service connects as a role of its own, which owns
-- its schema and nothing else. Another service reads only the views the owner's migrations publish
-- and grant to it (customer.customers_v1 and inference's request_log_v1, usage_in_transit_v1 to
-- billing_service; customer.customers_v1 to inference_service too); operators read the reporting views through reporting_reader, which
-- deploy/scripts/postgres.sh grants to their role (vlaapi).
--
-- Run as a superuser in the database, before the services migrate, by deploy/scripts/postgres.sh,
-- the database container's first start (deploy/docker/postgres-init.sh), and the tests' throw-away
-- databases. Idempotent. Roles belong to the whole server: their passwords are set by whoever runs
-- this, not here. A database that an earlier version built as one role is handed over: each schema
-- and everything in it passes to its service's role.

DO $$
DECLARE
    role_name text;
BEGIN
    FOREACH role_name IN ARRAY ARRAY['customer_service', 'inference_service', 'billing_service'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I LOGIN', role_name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- created meanwhile by another session (tests create databases in parallel)
            END;
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'reporting_reader') THEN
        BEGIN
            CREATE ROLE reporting_reader NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END $$;

CREATE SCHEMA IF NOT EXISTS customer AUTHORIZATION customer_service;
CREATE SCHEMA IF NOT EXISTS inference AUTHORIZATION inference_service;
CREATE SCHEMA IF NOT EXISTS billing AUTHORIZATION billing_service;
CREATE SCHEMA IF NOT EXISTS reporting AUTHORIZATION billing_service;

-- The hand-over. Sequences that belong to a column move with their table.
DO $$
DECLARE
    owned record;
    object record;
BEGIN
    FOR owned IN SELECT * FROM (VALUES ('customer', 'customer_service'), ('inference', 'inference_service'),
                                       ('billing', 'billing_service'), ('reporting', 'billing_service'))
                               AS schemas(schema_name, role_name) LOOP
        EXECUTE format('ALTER SCHEMA %I OWNER TO %I', owned.schema_name, owned.role_name);
        FOR object IN
            SELECT c.relname,
                   CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                                  ELSE 'TABLE' END AS kind
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = owned.schema_name
              AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
              AND pg_get_userbyid(c.relowner) <> owned.role_name
              AND NOT (c.relkind = 'S' AND EXISTS (
                  SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                              AND d.deptype IN ('a', 'i')))
              AND NOT c.relispartition
        LOOP
            EXECUTE format('ALTER %s %I.%I OWNER TO %I', object.kind, owned.schema_name, object.relname, owned.role_name);
        END LOOP;
    END LOOP;
END $$;
