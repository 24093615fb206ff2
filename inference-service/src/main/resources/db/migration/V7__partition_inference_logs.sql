-- inference_logs partitioned by month (UTC) on "timestamp": at a few hundred requests a second it
-- gains tens of millions of rows a month, and a month's queries (reports, invoicing, the seed's
-- "this month" and "last 30 days") then read only the partitions of their period, and retention
-- drops a month whole (requestlog/partition/RequestLogPartitions) instead of deleting rows.
--
-- Works on a database with rows: the table is renamed, the partitioned one created under its
-- name, the rows moved (one transaction: Flyway runs each migration in one), the old one dropped.
-- The read model request_log_v1 is redefined in place (CREATE OR REPLACE keeps its columns, its
-- grants, and billing-service's reporting views on it), so the seed's SQL runs as before.

ALTER TABLE inference_logs RENAME TO inference_logs_unpartitioned;
ALTER INDEX inference_logs_pkey RENAME TO inference_logs_unpartitioned_pkey;
ALTER INDEX inference_logs_customer_timestamp_idx RENAME TO inference_logs_unpartitioned_customer_timestamp_idx;
ALTER INDEX inference_logs_timestamp_idx RENAME TO inference_logs_unpartitioned_timestamp_idx;

-- Same columns in the same order as V1 + V2. A primary key of a partitioned table must contain
-- the partition key, so request_id alone can no longer be one: logged_request_ids below keeps
-- each request id once across all partitions.
CREATE TABLE inference_logs (
    request_id           uuid NOT NULL,
    customer_id          uuid NOT NULL,
    api_key_id           uuid,
    "timestamp"          timestamptz NOT NULL,
    model                text,
    model_version        text,
    unnorm_key           text,
    instruction          text,
    action               double precision[],
    inference_latency_ms double precision,
    total_latency_ms     double precision,
    status_code          int NOT NULL,
    error_code           text,
    image_bytes          int,
    image_width          int,
    image_height         int,
    batch_size           int,
    embedding            public.vector(64),
    safety_score         double precision CONSTRAINT inference_logs_safety_score_range CHECK (safety_score BETWEEN 0 AND 1),
    PRIMARY KEY (request_id, "timestamp")
) PARTITION BY RANGE ("timestamp");

-- A customer's usage over a period (billing, the customer dashboard, the gateway's usage check).
CREATE INDEX inference_logs_customer_timestamp_idx ON inference_logs (customer_id, "timestamp");
-- Service-wide views over a period (operations dashboards, reports a day at a time).
CREATE INDEX inference_logs_timestamp_idx ON inference_logs ("timestamp");

-- Rows of a month that has no partition yet land here instead of failing their whole batch (which
-- would hold every later request in the journals until someone created it): a pinned test clock,
-- a journal replayed after a long outage. RequestLogPartitions moves them into their month's own
-- partition at its next run, so it stays empty and queries skip it.
CREATE TABLE inference_logs_default PARTITION OF inference_logs DEFAULT;

-- One partition per month that holds rows, and the current and next month.
DO $$
DECLARE
    current timestamp := date_trunc('month', now() AT TIME ZONE 'UTC');
    month   timestamp;
BEGIN
    SELECT min(date_trunc('month', "timestamp" AT TIME ZONE 'UTC')) INTO month FROM inference_logs_unpartitioned;
    month := least(coalesce(month, current), current);
    WHILE month <= current + interval '1 month' LOOP
        EXECUTE format('CREATE TABLE %I PARTITION OF inference_logs FOR VALUES FROM (%L) TO (%L)',
                       'inference_logs_' || to_char(month, 'YYYY_MM'),
                       (month AT TIME ZONE 'UTC')::text, ((month + interval '1 month') AT TIME ZONE 'UTC')::text);
        month := month + interval '1 month';
    END LOOP;
END $$;

INSERT INTO inference_logs (request_id, customer_id, api_key_id, "timestamp", model, model_version, unnorm_key,
                            instruction, action, inference_latency_ms, total_latency_ms, status_code, error_code,
                            image_bytes, image_width, image_height, batch_size, embedding, safety_score)
SELECT request_id, customer_id, api_key_id, "timestamp", model, model_version, unnorm_key,
       instruction, action, inference_latency_ms, total_latency_ms, status_code, error_code,
       image_bytes, image_width, image_height, batch_size, embedding, safety_score
FROM inference_logs_unpartitioned;

-- Every logged request id, once: a request logged again under the same id (a retry the gateway sent
-- to another instance, arriving there at another time) must not become a second row, and a unique
-- index across partitions is what PostgreSQL cannot give. The request-log store writes here first,
-- in the same transaction as the row (requestlog/JdbcRequestLogStore). "timestamp" is the row's, so
-- retention removes an id together with its partition.
CREATE TABLE logged_request_ids (
    request_id  uuid        PRIMARY KEY,
    "timestamp" timestamptz NOT NULL
);

INSERT INTO logged_request_ids (request_id, "timestamp")
SELECT request_id, "timestamp" FROM inference_logs_unpartitioned;

CREATE OR REPLACE VIEW request_log_v1 AS
SELECT request_id, customer_id, api_key_id, "timestamp", model, model_version, unnorm_key, instruction, action,
       inference_latency_ms, total_latency_ms, status_code, error_code, image_bytes, image_width, image_height,
       batch_size, safety_score
FROM inference_logs;

DROP TABLE inference_logs_unpartitioned;
