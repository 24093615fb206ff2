-- inference-service's public read model: what other services (billing-service's reports and
-- reporting views) may read of its data, and all they may read; the tables behind it are private.
-- Versioned: a column may be added, never removed or changed; a breaking change ships as _v2.

-- Every request that reached the service, success or error, as the request log holds it (without
-- the embedding, which only this service's similarity features use).
CREATE VIEW request_log_v1 AS
SELECT request_id, customer_id, api_key_id, "timestamp", model, model_version, unnorm_key, instruction, action,
       inference_latency_ms, total_latency_ms, status_code, error_code, image_bytes, image_width, image_height,
       batch_size, safety_score
FROM inference_logs;

-- Billable requests logged here and not yet delivered to billing-service (the usage outbox):
-- billing finalizes a month only when none served in it is still on its way.
CREATE VIEW usage_in_transit_v1 AS
SELECT request_id, customer_id, served_at
FROM usage_outbox;
