-- A per-request safety score in [0, 1] (inference-service's safety/SafetyScore explains it): how
-- far inside the range the robot's training actions spanned (the manifest's q01..q99 for the
-- unnorm_key) the returned action lies, and how decisive the gripper command is. NULL when no
-- action was returned (every error). Operators' reports average it (reporting.inference_logs).
ALTER TABLE inference_logs ADD COLUMN safety_score double precision
    CHECK (safety_score BETWEEN 0 AND 1);
