-- The people of a customer who sign in to the portal. One person, one customer: the email is the
-- sign-in name, unique whatever its case. No password until the invitation is accepted.
CREATE TABLE portal_users (
    user_id              uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id          uuid        NOT NULL REFERENCES customers (customer_id),
    email                text        NOT NULL,
    role                 text        NOT NULL CHECK (role IN ('viewer', 'admin')),
    -- An Argon2 or BCrypt hash with its parameters (Spring Security's DelegatingPasswordEncoder).
    password_hash        text,
    invited_at           timestamptz NOT NULL,
    -- Wrong passwords since the last success: after a few, each next attempt waits longer.
    failed_sign_ins      int         NOT NULL DEFAULT 0,
    sign_in_blocked_until timestamptz
);

CREATE UNIQUE INDEX portal_users_email_key ON portal_users (lower(email));
CREATE INDEX portal_users_customer_id_idx ON portal_users (customer_id);

-- One-time links that set a password: only the token's SHA-256 is stored, like API keys.
CREATE TABLE portal_invitations (
    token_hash  char(64)    PRIMARY KEY,
    user_id     uuid        NOT NULL REFERENCES portal_users (user_id) ON DELETE CASCADE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE INDEX portal_invitations_user_id_idx ON portal_invitations (user_id);
