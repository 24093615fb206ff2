#!/usr/bin/env bash
# First start of the database container, after roles.sql: the operators' read role and the
# passwords of the services' roles, from the container's environment (docker-compose.yml).
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v operators="$VLA_DB_PASSWORD" -v customer="$VLA_CUSTOMER_DB_PASSWORD" \
     -v inference="$VLA_INFERENCE_DB_PASSWORD" -v billing="$VLA_BILLING_DB_PASSWORD" <<'EOSQL'
CREATE ROLE vlaapi LOGIN PASSWORD :'operators';
GRANT reporting_reader TO vlaapi;
ALTER ROLE customer_service PASSWORD :'customer';
ALTER ROLE inference_service PASSWORD :'inference';
ALTER ROLE billing_service PASSWORD :'billing';
EOSQL
