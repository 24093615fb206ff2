-- First start of the database container: the same setup as deploy/scripts/postgres.sh (roles: 20-roles.sql, 30-passwords.sh).
CREATE EXTENSION IF NOT EXISTS vector;
ALTER DATABASE vlaapi SET search_path = reporting, "$user", public;
-- Billing months are UTC: the seed's date_trunc('month', CURRENT_DATE) must mean the UTC month.
ALTER DATABASE vlaapi SET timezone = 'UTC';
