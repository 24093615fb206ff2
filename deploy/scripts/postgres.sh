#!/usr/bin/env bash
# Makes PostgreSQL ready for VLA API on this machine: server running on 127.0.0.1:5432 (or
# VLA_POSTGRES_PORT),
# pgvector installed (built from Debian's source package when missing), database `vlaapi` with the
# vector extension, each service's role owning its schema (deploy/postgres/roles.sql), and the
# operators' read role `vlaapi`, which reads the reporting views and nothing else. Idempotent; safe
# to run on every `bin/vla up` and in CI. VLA_CUSTOMER_DB_PASSWORD, VLA_INFERENCE_DB_PASSWORD and
# VLA_BILLING_DB_PASSWORD, when set, become the services' roles' passwords (`bin/vla up` sets them).
# Administered as the postgres OS user over the local socket (lib.sh's psql_admin): works with
# Debian's default pg_hba.conf (peer locally, scram-sha-256 over TCP), no trust needed; the services
# then log in over TCP with their passwords.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
ROLES_SQL="$ROOT/deploy/postgres/roles.sql"
DB_NAME=${VLA_DB_NAME:-vlaapi}
DB_USER=${VLA_DB_USER:-vlaapi}
DB_PASSWORD=${VLA_DB_PASSWORD:-vlaapi}
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"


if ! command -v pg_ctlcluster >/dev/null 2>&1; then
  echo "installing PostgreSQL 15 from Debian..."
  $APT update -qq && $APT install -y -qq postgresql-15 >/dev/null
fi
if ! postgres_running; then
  # The cluster configured for the port (Debian's first one, main, has 5432).
  cluster=$(pg_lsclusters -h | awk -v p="$POSTGRES_PORT" '$3 == p { print $1, $2; exit }')
  [ -n "$cluster" ] || fail "no PostgreSQL cluster is configured for port $POSTGRES_PORT (pg_lsclusters lists them): create one with 'pg_createcluster 15 main -p $POSTGRES_PORT', or set VLA_POSTGRES_PORT"
  echo "starting PostgreSQL $cluster on port $POSTGRES_PORT..."
  $SUDO pg_ctlcluster --skip-systemctl-redirect $cluster start
  for _ in $(seq 1 30); do postgres_running && break; sleep 1; done
fi
pg_version=$(psql_admin -c 'SHOW server_version_num' | cut -c1-2)

if [ ! -f "/usr/share/postgresql/$pg_version/extension/vector.control" ]; then
  echo "pgvector is missing: building it from Debian's source package (about a minute)..."
  uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  work=$(mktemp -d)
  mkdir -p "$work/lists/partial"
  printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uri" > "$work/src.sources"
  o="-o Dir::Etc::sourcelist=$work/src.sources -o Dir::Etc::sourceparts=/nonexistent -o Dir::State::Lists=$work/lists"
  $APT $o update -qq 2>/dev/null
  (cd "$work" && apt-get $o source --download-only pgvector >/dev/null 2>&1)
  $APT install -y -qq "postgresql-server-dev-$pg_version" build-essential >/dev/null
  tar xzf "$work"/pgvector_*.orig.tar.gz -C "$work"
  make -s -C "$work"/pgvector-*/ >/dev/null
  $SUDO make -s -C "$work"/pgvector-*/ install >/dev/null
  rm -rf "$work"
fi

if [ -z "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$DB_USER'")" ]; then
  psql_admin -c "CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASSWORD'"
fi
if [ -z "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'")" ]; then
  psql_admin -c "CREATE DATABASE $DB_NAME"
fi
psql_admin -d "$DB_NAME" -c "CREATE EXTENSION IF NOT EXISTS vector"
# The services' roles and schemas; a database an earlier version built as the operators' role is
# handed over to them, and that role keeps only what it reads.
psql_admin -d "$DB_NAME" < "$ROLES_SQL"
psql_admin -c "ALTER DATABASE $DB_NAME OWNER TO postgres"
psql_admin -c "GRANT reporting_reader TO $DB_USER"
for service in customer inference billing; do
  variable="VLA_${service^^}_DB_PASSWORD"
  # On standard input: a command line would show the password to `ps`.
  password=${!variable:-}
  [ -z "$password" ] || echo "ALTER ROLE ${service}_service PASSWORD '${password//\'/\'\'}'" | psql_admin
done
# Operators' SQL (the seed's queries) finds the reporting views first; services set their own schema.
psql_admin -c "ALTER DATABASE $DB_NAME SET search_path = reporting, \"\$user\", public"
# Billing months are UTC: the seed's date_trunc('month', CURRENT_DATE) must mean the UTC month too.
psql_admin -c "ALTER DATABASE $DB_NAME SET timezone = 'UTC'"
if [ "$(psql_admin -c 'SHOW autovacuum')" != "on" ]; then
  echo "warning: autovacuum is off on this PostgreSQL server. inference.usage_outbox is a queue (every" >&2
  echo "  request inserts and deletes a row) and will bloat without it, and the planner never sees fresh" >&2
  echo "  statistics. Turn it back on (autovacuum = on, PostgreSQL's default) for anything long-running." >&2
fi
echo "PostgreSQL ready: database $DB_NAME, operators' read role $DB_USER, services' roles customer_service, inference_service, billing_service, pgvector $(psql_admin -d "$DB_NAME" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'")"
