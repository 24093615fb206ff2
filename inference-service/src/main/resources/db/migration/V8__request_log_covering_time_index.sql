-- The request log's time index carries the columns that reports, billing's checks and the seed's
-- period queries read (bin/vla bench logs-at-scale, docs/benchmarks.md): a day of the monthly
-- report, a month's usage per customer and the seed's "last 30 days" then read only the index
-- (an index-only scan of ~70 bytes an entry) instead of visiting every row of the period in the
-- table (~300 bytes a row, more with the embedding). Same key as before, so it costs inserts no
-- more index writes, only wider entries. Built in place: on a large log this migration holds
-- writes to inference_logs while it runs (the request journals absorb them meanwhile).
DROP INDEX inference_logs_timestamp_idx;
CREATE INDEX inference_logs_timestamp_idx ON inference_logs ("timestamp")
    INCLUDE (status_code, customer_id, inference_latency_ms, total_latency_ms, safety_score);
