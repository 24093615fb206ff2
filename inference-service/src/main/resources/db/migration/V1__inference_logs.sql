-- The request log: one row per request that reached POST /v1/inference for an authenticated
-- customer, success or error. Billing and dashboards read it; keep column names stable.
-- pgvector is installed database-wide (deploy/scripts/postgres.sh) and its type lives in schema
-- public, hence public.vector.
CREATE TABLE inference_logs (
    request_id           uuid PRIMARY KEY,
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
    embedding            public.vector(64)
);

-- A customer's usage over a period (billing, the customer dashboard).
CREATE INDEX inference_logs_customer_timestamp_idx ON inference_logs (customer_id, "timestamp");
-- Service-wide views over a period (operations dashboards).
CREATE INDEX inference_logs_timestamp_idx ON inference_logs ("timestamp");
