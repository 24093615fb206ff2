# Shared by the deploy scripts (source it; it defines functions and ROOT, and runs nothing).
# Errors say what to do next; secrets reach curl on stdin, never on a command line `ps` shows.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
FLEET_DEFINITION="$ROOT/deploy/fleet.conf"
PYTHON=/usr/bin/python3

fail() { echo "error: $*" >&2; exit 1; }
# Needs the calling script's usage function.
usage_error() { echo "error: $*" >&2; echo >&2; usage >&2; exit 2; }
# needs_value $# FLAG: the flag being parsed has a value after it.
needs_value() { [ "$1" -ge 2 ] || usage_error "$2 needs a value"; }

require_http_tools() {
  command -v curl >/dev/null || fail "curl is needed: apt-get install -y curl"
  [ -x "$PYTHON" ] || fail "$PYTHON is needed to read JSON: apt-get install -y python3"
}

# A secret `bin/vla up` generated and keeps in .vla/NAME (made on first use, readable by this user alone).
token() {
  local file="$ROOT/.vla/$1"
  if [ ! -s "$file" ]; then
    mkdir -p "$ROOT/.vla"
    (umask 077 && head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$file")
  fi
  cat "$file"
}

# --- PostgreSQL, administered as the postgres OS user over the local socket ---
# Debian's default peer authentication lets that user in without a password, so nothing here needs
# a superuser over TCP or any trust. VLA_POSTGRES_PORT picks the cluster (its socket, .s.PGSQL.PORT).

POSTGRES_PORT=${VLA_POSTGRES_PORT:-5432}
# The psql, pg_dump and pg_restore below run as `postgres`; redirections stay the caller's, so
# files they read or write need not be readable by `postgres`. From / because `postgres` may not
# enter the caller's directory.
as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u postgres -- "$@")
  elif command -v sudo >/dev/null; then
    (cd / && sudo -u postgres "$@")
  else
    fail "administering PostgreSQL needs root or sudo (it runs as the postgres OS user over the local socket): run this as root, or apt-get install sudo"
  fi
}
psql_admin() { as_postgres env PGOPTIONS="-c client_min_messages=warning" psql -p "$POSTGRES_PORT" -X -v ON_ERROR_STOP=1 -qAt "$@"; }
postgres_running() { pg_isready -q -h 127.0.0.1 -p "$POSTGRES_PORT"; }
# Fails, saying what to do, unless the database exists on a running server.
require_database() {
  postgres_running || fail "PostgreSQL is not running on 127.0.0.1:$POSTGRES_PORT: start it with bin/vla up (or deploy/scripts/postgres.sh), or set VLA_POSTGRES_PORT to your server's port"
  [ -n "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$1'")" ] \
    || fail "there is no database $1 on 127.0.0.1:$POSTGRES_PORT: set VLA_DB_NAME to the one to use ('sudo -u postgres psql -p $POSTGRES_PORT -l' lists them) or create it with deploy/scripts/postgres.sh"
}

# --- the fleet definition (deploy/fleet.conf) ---

fleet_services() { awk '$1 == "service" { print $2 }' "$FLEET_DEFINITION"; }
fleet_health_path() { awk -v s="$1" '$1 == "service" && $2 == s { print $4 }' "$FLEET_DEFINITION"; }
# Lines "VARIABLE VALUE" of the service's settings, placeholders unresolved.
fleet_env() { awk -v s="$1" '$1 == "env" && $2 == s { print $3, $4 }' "$FLEET_DEFINITION"; }
# The service's JVM options (its "jvm" lines), on one line.
fleet_jvm_options() {
  awk -v s="$1" '$1 == "jvm" && $2 == s { for (i = 3; i <= NF; i++) printf "%s ", $i }' "$FLEET_DEFINITION"
}
# VLA_GATEWAY_PORT for gateway-service: the service's own port setting, vla.gateway.port.
port_variable() { local name=${1%%-*}; echo "VLA_${name^^}_PORT"; }
# Where the service listens on this machine: its port variable when exported, else the definition's.
port_of() {
  local variable
  variable=$(port_variable "$1")
  if [ -n "${!variable:-}" ]; then
    echo "${!variable}"
  else
    awk -v s="$1" '$1 == "service" && $2 == s { print $3 }' "$FLEET_DEFINITION"
  fi
}
local_url() { echo "http://127.0.0.1:$(port_of "$1")"; }
# Where the service's actuator (health, metrics) listens: its management port if the definition
# gives it one (MANAGEMENT_SERVER_PORT when exported), else its own port.
health_url() {
  local management
  management=$(awk -v s="$1" '$1 == "management" && $2 == s { print $3 }' "$FLEET_DEFINITION")
  if [ -n "$management" ]; then
    echo "http://127.0.0.1:${MANAGEMENT_SERVER_PORT:-$management}"
  else
    local_url "$1"
  fi
}

# --- operators' commands against the admin APIs ---

# The admin token: VLA_ADMIN_TOKEN, else the one `bin/vla up` generated.
admin_token() {
  local token=${VLA_ADMIN_TOKEN:-}
  if [ -z "$token" ] && [ -r "$ROOT/.vla/admin-token" ]; then
    token=$(tr -d '[:space:]' < "$ROOT/.vla/admin-token")
  fi
  [ -n "$token" ] || fail "no admin token: set VLA_ADMIN_TOKEN or start the fleet (bin/vla up writes $ROOT/.vla/admin-token)"
  printf '%s' "$token"
}

# admin_curl TOKEN CURL_ARGS...: curl with the admin token as bearer, the token passed on stdin.
admin_curl() {
  local token=$1
  shift
  printf 'Authorization: Bearer %s\n' "$token" | curl -H @- "$@"
}

# customer_admin_post TOKEN PATH BODY RESPONSE_FILE: POSTs JSON to customer-service's admin API
# at $URL, writes the answer to RESPONSE_FILE and prints the HTTP status; fails with what to do
# when the service cannot be reached.
customer_admin_post() {
  local token=$1 path=$2 body=$3 response=$4
  admin_curl "$token" -sS --connect-timeout 5 --max-time 30 -H 'Content-Type: application/json' \
      --data-binary "$body" -o "$response" -w '%{http_code}' "$URL$path" 2>/dev/null \
    || fail "customer-service is not reachable at $URL: start the fleet with bin/vla up (or set VLA_CUSTOMER_URL)"
}

# fail_admin_answer STATUS RESPONSE_FILE WHAT: the error of an admin API answer that is not one of
# the command's own cases (bad input, wrong token, anything else).
fail_admin_answer() {
  case "$1" in
    400) fail "customer-service rejected the $3: $(error_message "$2")" ;;
    401) fail "customer-service rejected the admin token: VLA_ADMIN_TOKEN (or .vla/admin-token) must be the token it was started with" ;;
    *) fail "customer-service answered HTTP $1: $(error_message "$2")" ;;
  esac
}

# error_message FILE: "message (code, request_id ...)" of an {"error": {...}} body, else its start.
error_message() {
  "$PYTHON" - "$1" <<'PY'
import json, sys
try:
    e = json.load(open(sys.argv[1]))["error"]
    print(f'{e["message"]} ({e["code"]}, request_id {e["request_id"]})')
except Exception:
    print(open(sys.argv[1], errors="replace").read()[:300])
PY
}
