-- The customer portal's list of a customer's failed requests (package portal/, status=error): its
-- newest errors, read backwards through this index. Without it the list reads the customer's
-- requests newest first until it has found a page of errors, so it costs what the error rate makes
-- it: at 1 million rows of one customer (PortalQueriesAtScaleTest, docs/benchmarks.md) 2.7 ms at 2%
-- errors, but 640 ms for a customer without any (every row of its history, or of whole partitions
-- when the planner hopes to meet an error soon), against 0.5 ms and 0.03 ms with it.
-- Partial, so only failed requests are written into it: the same inserts wrote 2 more WAL bytes a
-- row (660 in all) with it and took no measurable time more, where a full index of the same key
-- costs 110 bytes and about 2 us a row (+20 to 25%); it holds 2% of the rows (2.4 MB against the
-- full key's 136 MB).
-- The portal's condition must stay "status_code <> 200", the predicate the planner matches.
-- Built in place on every partition: on a large log this holds writes to inference_logs while it
-- runs (the request journals absorb them meanwhile).
CREATE INDEX inference_logs_customer_errors_idx ON inference_logs (customer_id, "timestamp")
    WHERE status_code <> 200;
