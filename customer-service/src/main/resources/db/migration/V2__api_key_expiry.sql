-- NULL: the key works until revoked. Expiry is computed when a key is read (expires_at <= now()),
-- never stored in status, so a key stops working on time without a job updating rows.
ALTER TABLE api_keys ADD COLUMN expires_at timestamptz;
