-- Billable requests per customer per UTC day: what the customer portal's billing summary reads
-- (this month so far, the last 30 days) in at most 31 rows, where counting usage_events would
-- read a busy customer's million rows on every page view.
--
-- Kept exact by triggers on usage_events rather than by the code that ingests usage: they count
-- the rows a statement actually inserted (a redelivered event that ON CONFLICT DO NOTHING skips is
-- not in the statement's transition table), in the same statement and so the same transaction,
-- whoever writes. During a rolling deploy the previous billing-service version still stores
-- usage after this migration ran; benchmarks fill usage_events in SQL; an operator may delete or
-- correct events. Each of them keeps the rollup equal to
--   SELECT customer_id, (served_at AT TIME ZONE 'UTC')::date, count(*) FROM usage_events GROUP BY 1, 2
-- (days whose events were all deleted stay, at 0).
CREATE TABLE usage_daily (
    customer_id uuid   NOT NULL,
    day         date   NOT NULL,
    requests    bigint NOT NULL CHECK (requests >= 0),
    PRIMARY KEY (customer_id, day)
);

-- Schema-qualified: a trigger runs with the search_path of whoever wrote to usage_events.
CREATE FUNCTION usage_daily_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE billing.usage_daily d SET requests = d.requests - r.requests
        FROM (SELECT customer_id, (served_at AT TIME ZONE 'UTC')::date AS day, count(*) AS requests
              FROM removed GROUP BY 1, 2) r
        WHERE d.customer_id = r.customer_id AND d.day = r.day;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        -- In key order, so that concurrent batches lock the rows they share in the same order and
        -- wait for each other instead of deadlocking.
        INSERT INTO billing.usage_daily (customer_id, day, requests)
        SELECT customer_id, (served_at AT TIME ZONE 'UTC')::date, count(*)
        FROM added GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (customer_id, day) DO UPDATE SET requests = usage_daily.requests + EXCLUDED.requests;
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION usage_daily_clear() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM billing.usage_daily;
    RETURN NULL;
END
$$;

-- No writer may commit between the backfill's snapshot and the triggers taking over: this lock
-- waits for the inserts in flight and holds new ones back until the migration commits (for as
-- long as the backfill takes; the usage relay retries meanwhile).
LOCK TABLE usage_events IN SHARE ROW EXCLUSIVE MODE;

-- Statement-level: one rollup update per batch of events, not one per event.
CREATE TRIGGER usage_daily_insert AFTER INSERT ON usage_events
    REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_apply();
CREATE TRIGGER usage_daily_update AFTER UPDATE ON usage_events
    REFERENCING OLD TABLE AS removed NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_apply();
CREATE TRIGGER usage_daily_delete AFTER DELETE ON usage_events
    REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_apply();
CREATE TRIGGER usage_daily_truncate AFTER TRUNCATE ON usage_events
    FOR EACH STATEMENT EXECUTE FUNCTION usage_daily_clear();

INSERT INTO usage_daily (customer_id, day, requests)
SELECT customer_id, (served_at AT TIME ZONE 'UTC')::date, count(*)
FROM usage_events GROUP BY 1, 2;
