-- Issue 18: what the safety layer did to each action. "action" stays what the client was sent;
-- raw_action is the model's own action when it differs (clipped to a robot profile, or rejected
-- with on_unsafe = reject, when no action was sent at all).
ALTER TABLE inference_logs
    ADD COLUMN robot        text,
    ADD COLUMN raw_action   double precision[],
    ADD COLUMN safety_flags text[];

CREATE OR REPLACE VIEW request_log_v1 AS
SELECT request_id, customer_id, api_key_id, "timestamp", model, model_version, unnorm_key, instruction, action,
       inference_latency_ms, total_latency_ms, status_code, error_code, image_bytes, image_width, image_height,
       batch_size, safety_score, robot, raw_action, safety_flags
FROM inference_logs;
