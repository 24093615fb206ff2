-- Billing's own tables (schema billing). Money is NUMERIC, never floating point; times are
-- timestamptz (instants), and every period boundary is computed in UTC.

-- One row per billable request, whoever delivered it and however often: the primary key on the
-- request id is what makes at-least-once delivery count exactly once (INSERT ... ON CONFLICT DO
-- NOTHING). No foreign key to customer.customers: that table belongs to customer-service.
CREATE TABLE usage_events (
    request_id  uuid        PRIMARY KEY,
    customer_id uuid        NOT NULL,
    api_key_id  uuid,
    -- When the request arrived at inference-service: decides the billing month.
    served_at   timestamptz NOT NULL,
    model       text,
    received_at timestamptz NOT NULL DEFAULT now()
);

-- A customer's usage in a period (invoices) and everyone's (reports, metrics).
CREATE INDEX usage_events_customer_served_idx ON usage_events (customer_id, served_at);
CREATE INDEX usage_events_served_idx ON usage_events (served_at);

-- One invoice per customer per calendar month (UTC). Regenerating a month rewrites its drafts in
-- place; a finalized invoice is never changed again.
CREATE TABLE invoices (
    invoice_id    uuid          PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id   uuid          NOT NULL,
    period_start  date          NOT NULL CHECK (extract(day FROM period_start) = 1),
    period_end    date          NOT NULL CHECK (period_end = (period_start + interval '1 month')::date),
    status        text          NOT NULL CHECK (status IN ('draft', 'finalized')),
    -- Copied at generation time, so a finalized invoice keeps what it said.
    company_name  text          NOT NULL,
    email         text          NOT NULL,
    tier          text          NOT NULL,
    currency      char(3)       NOT NULL,
    requests      bigint        NOT NULL CHECK (requests >= 0),
    total         numeric(14,2) NOT NULL CHECK (total >= 0),
    generated_at  timestamptz   NOT NULL,
    finalized_at  timestamptz,
    UNIQUE (customer_id, period_start)
);

CREATE INDEX invoices_period_idx ON invoices (period_start);

CREATE TABLE invoice_line_items (
    invoice_id  uuid          NOT NULL REFERENCES invoices (invoice_id) ON DELETE CASCADE,
    line_no     int           NOT NULL,
    kind        text          NOT NULL CHECK (kind IN ('base_fee', 'usage')),
    description text          NOT NULL,
    quantity    bigint        NOT NULL CHECK (quantity >= 0),
    unit_price  numeric(12,4) NOT NULL CHECK (unit_price >= 0),
    amount      numeric(14,2) NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (invoice_id, line_no)
);
