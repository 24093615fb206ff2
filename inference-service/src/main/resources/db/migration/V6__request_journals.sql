-- Each request journal (one per instance: docs/modules/inference-service.md#request-log) and how
-- far it is stored: every row the journal took before stored_through is in inference_logs, and its
-- usage in the outbox. A journal marked closed was emptied by a clean stop; an open one whose
-- stored_through lags may hold rows only its folder knows (its instance crashed, or cannot reach
-- the database), which billing must wait for before it finalizes a month.
CREATE TABLE request_journals (
    journal_id     uuid        PRIMARY KEY,
    stored_through timestamptz NOT NULL,
    closed         boolean     NOT NULL,
    updated_at     timestamptz NOT NULL
);

-- Public read model (versioned like the others): billing-service's finalization reads it.
CREATE VIEW request_journals_v1 AS
SELECT journal_id, stored_through, closed, updated_at
FROM request_journals;

GRANT SELECT ON request_journals_v1 TO billing_service;
