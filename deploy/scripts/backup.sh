#!/usr/bin/env bash
# `bin/vla backup`: the whole database (every schema, the pgvector extension, owners and grants) in
# pg_dump's custom format, into VLA_BACKUP_DIR as <database>-<UTC time>.dump, then rotation: the
# newest backup of each of the last VLA_BACKUP_KEEP_DAILY days that have one, and of each of the
# last VLA_BACKUP_KEEP_WEEKLY ISO weeks, are kept; other backups of the database are deleted. The
# seed's operators "back up the database weekly": run this at least weekly (daily from cron is
# better, the rotation keeps it small). `bin/vla restore FILE` puts one back.
#
# Owners and grants are kept (no --no-owner): they are the least-privilege setup each service's
# migrations rely on. The roles themselves belong to the server, not to the database, so no
# pg_dump holds them: restore.sh creates them first (deploy/postgres/roles.sql, via postgres.sh).
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  cat <<'USAGE'
usage: bin/vla backup [--rotate-only]

  Backs up the database (VLA_DB_NAME, default vlaapi) into VLA_BACKUP_DIR (default .vla/backups),
  then deletes the backups that rotation does not keep (VLA_BACKUP_KEEP_DAILY, default 7 days;
  VLA_BACKUP_KEEP_WEEKLY, default 8 weeks). --rotate-only deletes without backing up.
USAGE
}

DB_NAME=${VLA_DB_NAME:-vlaapi}
BACKUP_DIR=${VLA_BACKUP_DIR:-$ROOT/.vla/backups}
KEEP_DAILY=${VLA_BACKUP_KEEP_DAILY:-7}
KEEP_WEEKLY=${VLA_BACKUP_KEEP_WEEKLY:-8}
[[ $KEEP_DAILY =~ ^[0-9]+$ && $KEEP_WEEKLY =~ ^[0-9]+$ ]] \
  || fail "VLA_BACKUP_KEEP_DAILY and VLA_BACKUP_KEEP_WEEKLY must be whole numbers (they are '$KEEP_DAILY' and '$KEEP_WEEKLY')"
[ $((KEEP_DAILY + KEEP_WEEKLY)) -gt 0 ] \
  || fail "VLA_BACKUP_KEEP_DAILY and VLA_BACKUP_KEEP_WEEKLY are both 0: rotation would delete every backup, the new one too"

rotate_only=false
while [ $# -gt 0 ]; do
  case "$1" in
    --rotate-only) rotate_only=true ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
  shift
done

# Newest first: the names sort by their UTC time. The first backup seen of a day (of an ISO week)
# is that day's (week's) newest; it is kept while fewer than KEEP_DAILY days (KEEP_WEEKLY weeks)
# have one kept. A file whose name is not <database>-YYYYMMDDTHHMMSSZ.dump is never touched.
rotate() {
  local file stamp day week kept_days=0 kept_weeks=0 keep removed=0
  declare -A seen_days=() seen_weeks=()
  while read -r file; do
    stamp=${file##*/"$DB_NAME"-}
    stamp=${stamp%Z.dump}
    day=${stamp%%T*}
    week=$(date -u -d "$day" +%G-W%V)
    keep=false
    if [ -z "${seen_days[$day]:-}" ]; then
      seen_days[$day]=1
      if [ "$kept_days" -lt "$KEEP_DAILY" ]; then keep=true; kept_days=$((kept_days + 1)); fi
    fi
    if [ -z "${seen_weeks[$week]:-}" ]; then
      seen_weeks[$week]=1
      if [ "$kept_weeks" -lt "$KEEP_WEEKLY" ]; then keep=true; kept_weeks=$((kept_weeks + 1)); fi
    fi
    if [ "$keep" = false ]; then
      rm -f -- "$file"
      removed=$((removed + 1))
    fi
  done < <(find "$BACKUP_DIR" -maxdepth 1 -type f -regextype posix-extended \
             -regex ".*/$DB_NAME-[0-9]{8}T[0-9]{6}Z\.dump" | sort -r)
  echo "rotation: kept the newest backup of each of the last $KEEP_DAILY days and $KEEP_WEEKLY ISO weeks that have one; deleted $removed"
}

# Reads pg_dump --verbose on standard input and shows one line per table as its data is written,
# with the size of the backup so far.
progress() {
  local file=$1 total=$2 count=0 line
  while IFS= read -r line; do
    case "$line" in
      *"dumping contents of table "*)
        count=$((count + 1))
        printf '  [%3d/%d] %-45s %s so far\n' "$count" "$total" "$(tr -d '"' <<< "${line##*dumping contents of table }")" \
          "$(du -h "$file" 2>/dev/null | cut -f1)"
        ;;
      *"pg_dump: error"*|*"pg_dump: detail"*|*"pg_dump: hint"*|*"FATAL"*|*"ERROR"*) echo "$line" >&2 ;;
    esac
  done
}

mkdir -p "$BACKUP_DIR" || fail "cannot create the backup directory $BACKUP_DIR: set VLA_BACKUP_DIR to a writable one"
if [ "$rotate_only" = false ]; then
  require_database "$DB_NAME"
  file="$BACKUP_DIR/$DB_NAME-$(date -u +%Y%m%dT%H%M%SZ).dump"
  [ ! -e "$file" ] || fail "$file already exists (a backup started this very second): run bin/vla backup again"
  # Until it is complete the backup has another name: rotation and restore never see half of one.
  partial="$file.partial"
  trap 'rm -f "$partial"' EXIT
  tables=$(psql_admin -d "$DB_NAME" -c "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'")
  echo "backing up database $DB_NAME ($tables tables, $(psql_admin -c "SELECT pg_size_pretty(pg_database_size('$DB_NAME'))") on disk) to $file"
  start=$SECONDS
  set +e
  # umask: a backup holds every customer's data (API keys only as hashes): readable by this user alone.
  (umask 077 && as_postgres pg_dump -p "$POSTGRES_PORT" --format=custom --verbose "$DB_NAME" > "$partial") 2>&1 \
    | progress "$partial" "$tables"
  status=${PIPESTATUS[0]}
  set -e
  [ "$status" -eq 0 ] || fail "pg_dump failed (see above); nothing was written to $BACKUP_DIR. Check that PostgreSQL runs (bin/vla status) and that the disk has room (df -h $BACKUP_DIR), then run bin/vla backup again"
  mv "$partial" "$file"
  trap - EXIT
  echo "backup written: $file ($(du -h "$file" | cut -f1), $((SECONDS - start)) s). Restore it with: bin/vla restore $file"
fi
rotate
