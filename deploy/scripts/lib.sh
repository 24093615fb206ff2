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

# --- the fleet definition (deploy/fleet.conf) ---

fleet_services() { awk '$1 == "service" { print $2 }' "$FLEET_DEFINITION"; }
fleet_health_path() { awk -v s="$1" '$1 == "service" && $2 == s { print $4 }' "$FLEET_DEFINITION"; }
# Lines "VARIABLE VALUE" of the service's settings, placeholders unresolved.
fleet_env() { awk -v s="$1" '$1 == "env" && $2 == s { print $3, $4 }' "$FLEET_DEFINITION"; }
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
