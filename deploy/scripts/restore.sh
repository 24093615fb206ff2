#!/usr/bin/env bash
# `bin/vla restore FILE [--force]`: puts a `bin/vla backup` back as the database (VLA_DB_NAME,
# default vlaapi), creating it when missing.
#
# Into a fresh database, then a swap: pg_restore fills <database>_restoring_<time>; only when it
# has succeeded is the current database dropped and the fresh one renamed in its place. A restore
# that fails half-way (a corrupt file, a full disk) leaves the current database as it was, which
# `pg_restore --clean` into the live database would not.
#
# First postgres.sh: the server runs, pgvector is installed, and the services' roles exist
# (deploy/postgres/roles.sql): they belong to the server, so no backup holds them, and the backup's
# owners and grants name them. Afterwards postgres.sh again, for what belongs to the database
# rather than to what is in it (its search_path and time zone, the operators' role's membership):
# a custom-format pg_dump leaves those out.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'USAGE'
usage: bin/vla restore FILE [--force]

  Replaces the database (VLA_DB_NAME, default vlaapi) with the backup FILE (written by
  bin/vla backup). Refuses while anything is connected to the database (the fleet is running:
  bin/vla down first); --force disconnects them.
USAGE
}

DB_NAME=${VLA_DB_NAME:-vlaapi}
file="" force=false
while [ $# -gt 0 ]; do
  case "$1" in
    --force) force=true ;;
    -h|--help) usage; exit 0 ;;
    -*) usage_error "unknown option: $1" ;;
    *) [ -z "$file" ] || usage_error "one backup file at a time"; file=$1 ;;
  esac
  shift
done
[ -n "$file" ] || usage_error "which backup? bin/vla restore FILE (ls ${VLA_BACKUP_DIR:-$ROOT/.vla/backups} lists them)"
[ -f "$file" ] && [ -r "$file" ] || fail "cannot read $file: give the path of a backup (ls ${VLA_BACKUP_DIR:-$ROOT/.vla/backups} lists them)"
contents=$(pg_restore --list "$file" 2>&1) \
  || fail "$file is not a backup pg_restore can read (${contents##*pg_restore: }): give a file bin/vla backup wrote"
tables=$(grep -c ' TABLE DATA ' <<< "$contents" || true)

# Anything connected to the database would lose it under its feet: the fleet, most likely.
users=$(postgres_running && psql_admin -c "SELECT string_agg(DISTINCT usename, ', '), count(*) FROM pg_stat_activity
  WHERE datname = '$DB_NAME' AND pid <> pg_backend_pid()" || true)
if [ -n "$users" ] && [ "${users##*|}" != 0 ]; then
  if [ "$force" = false ]; then
    fail "database $DB_NAME is in use (${users##*|} sessions, as ${users%|*}): the fleet is running. Stop it with bin/vla down and run the restore again, or add --force to disconnect them (the services reconnect to the restored database)"
  fi
  echo "--force: ${users##*|} sessions (as ${users%|*}) will be disconnected"
fi

echo "== preparing PostgreSQL (roles, extension)"
"$ROOT/deploy/scripts/postgres.sh"
fresh="${DB_NAME}_restoring_$(date -u +%Y%m%d%H%M%S)"
echo "== restoring $file ($tables tables, $(du -h "$file" | cut -f1)) into $fresh"
psql_admin -c "CREATE DATABASE $fresh"
trap 'psql_admin -c "DROP DATABASE IF EXISTS $fresh WITH (FORCE)" || true' EXIT
start=$SECONDS
count=0
set +e
# From standard input: `postgres` need not be able to read the file. --exit-on-error: a partial
# restore is a failed one.
as_postgres pg_restore -p "$POSTGRES_PORT" --dbname "$fresh" --exit-on-error --verbose < "$file" 2>&1 \
  | while IFS= read -r line; do
      case "$line" in
        *"processing data for table "*)
          count=$((count + 1))
          printf '  [%3d/%d] %s\n' "$count" "$tables" "$(tr -d '"' <<< "${line##*processing data for table }")" ;;
        *"pg_restore: error"*|*"pg_restore: detail"*|*"pg_restore: hint"*|*"ERROR"*|*"FATAL"*) echo "$line" >&2 ;;
      esac
    done
status=${PIPESTATUS[0]}
set -e
[ "$status" -eq 0 ] || fail "pg_restore failed (see above); database $DB_NAME is unchanged. Check the disk (df -h) and that $file is a complete backup (pg_restore --list $file), then run bin/vla restore again"

echo "== replacing database $DB_NAME with $fresh"
# WITH (FORCE) disconnects and drops in one step: a service reconnecting in between cannot stop it.
psql_admin -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)"
psql_admin -c "ALTER DATABASE $fresh RENAME TO $DB_NAME"
trap - EXIT
echo "== database settings and the operators' role"
"$ROOT/deploy/scripts/postgres.sh"
echo "restored $file into database $DB_NAME in $((SECONDS - start)) s. Start the fleet with bin/vla up (its services migrate the restored schema forward if the backup is older)."
