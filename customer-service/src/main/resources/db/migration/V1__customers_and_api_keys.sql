CREATE TABLE customers (
    customer_id           uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    company_name          text        NOT NULL,
    email                 text        NOT NULL,
    tier                  text        NOT NULL CHECK (tier IN ('free', 'pro', 'enterprise')),
    monthly_quota         bigint      NOT NULL,
    rate_limit_per_minute int         NOT NULL,
    status                text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at            timestamptz NOT NULL DEFAULT now()
);

-- One account per mailbox, whatever case the admin typed it in.
CREATE UNIQUE INDEX customers_email_lower_key ON customers (lower(email));

CREATE TABLE api_keys (
    key_id       uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id  uuid        NOT NULL REFERENCES customers (customer_id),
    -- Hex SHA-256 of the full key: the key itself is never stored.
    key_hash     char(64)    NOT NULL UNIQUE,
    key_prefix   text        NOT NULL,
    name         text,
    status       text        NOT NULL CHECK (status IN ('active', 'revoked')),
    created_at   timestamptz NOT NULL DEFAULT now(),
    revoked_at   timestamptz,
    last_used_at timestamptz
);

CREATE INDEX api_keys_customer_id_idx ON api_keys (customer_id);
