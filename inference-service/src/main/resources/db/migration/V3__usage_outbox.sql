-- Transactional outbox for billing: one row per billable request (HTTP 200), written in the SAME
-- transaction as its request-log row, so a request is either both logged and queued for billing
-- or neither. The usage relay (usage/UsageRelay) pushes rows to billing-service in batches and
-- deletes them only after billing answered 2xx (billing commits before it answers). A row can be
-- delivered more than once (a lost answer, two relays); billing stores each request_id once.
CREATE TABLE usage_outbox (
    request_id  uuid        PRIMARY KEY,
    customer_id uuid        NOT NULL,
    api_key_id  uuid,
    -- When the request arrived (the log's "timestamp"): the instant that decides its billing month.
    served_at   timestamptz NOT NULL,
    model       text,
    -- FIFO order for the relay; also tells how long the oldest event has waited (lag metric).
    seq         bigserial   NOT NULL,
    enqueued_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX usage_outbox_seq_idx ON usage_outbox (seq);
