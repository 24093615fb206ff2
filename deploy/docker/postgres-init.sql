-- First start of the database container: the same setup as deploy/scripts/postgres.sh.
CREATE EXTENSION IF NOT EXISTS vector;
ALTER DATABASE vlaapi SET search_path = reporting, "$user", public;
