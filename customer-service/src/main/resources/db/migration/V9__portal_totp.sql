-- The optional second factor: a TOTP secret (RFC 6238, base32) once the user turned it on, and the
-- last time step a code was accepted for, so one code cannot sign in twice.
ALTER TABLE portal_users ADD COLUMN totp_secret text;
ALTER TABLE portal_users ADD COLUMN totp_last_step bigint;
