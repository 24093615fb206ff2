#!/usr/bin/env bash
# Creates a customer and its first API key through customer-service's admin API.
# Wired as `bin/vla create-customer`; `--help` lists the flags.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
URL=${VLA_CUSTOMER_URL:-http://127.0.0.1:8082}
PYTHON=/usr/bin/python3
TIERS="free pro enterprise"

usage() {
  cat <<'USAGE'
usage: bin/vla create-customer [--company NAME] [--email EMAIL] [--tier free|pro|enterprise]
                               [--non-interactive] [--json]

Creates a customer and its first API key, and prints the key (shown only this once).
Whatever the flags leave out is asked for, unless --non-interactive is given.
  --json   print customer-service's raw JSON response instead of the summary

Environment:
  VLA_ADMIN_TOKEN    admin token of customer-service (default: contents of .vla/admin-token)
  VLA_CUSTOMER_URL   customer-service base URL (default: http://127.0.0.1:8082)
USAGE
}

fail() { echo "error: $*" >&2; exit 1; }
usage_error() { echo "error: $*" >&2; echo >&2; usage >&2; exit 2; }

company="" email="" tier="" interactive=true json=false
needs_value() { [ "$1" -ge 2 ] || usage_error "$2 needs a value"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
    --company) needs_value $# "$1"; company=$2; shift 2 ;;
    --email) needs_value $# "$1"; email=$2; shift 2 ;;
    --tier) needs_value $# "$1"; tier=$2; shift 2 ;;
    --non-interactive) interactive=false; shift ;;
    --json) json=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done

command -v curl >/dev/null || fail "curl is needed: apt-get install -y curl"
[ -x "$PYTHON" ] || fail "$PYTHON is needed to read JSON: apt-get install -y python3"

token=${VLA_ADMIN_TOKEN:-}
if [ -z "$token" ] && [ -r "$ROOT/.vla/admin-token" ]; then
  token=$(tr -d '[:space:]' < "$ROOT/.vla/admin-token")
fi
[ -n "$token" ] || fail "no admin token: set VLA_ADMIN_TOKEN or write the token customer-service runs with to $ROOT/.vla/admin-token"

# ask PROMPT [DEFAULT [CHOICES]]: prints the answer; prompts go to stderr so --json output stays clean.
ask() {
  local prompt=$1 default=${2:-} choices=${3:-} answer
  while true; do
    printf '%s ' "$prompt" >&2
    if ! IFS= read -r answer; then
      echo >&2
      fail "no answer to '$prompt' (input ended); pass it as a flag instead"
    fi
    [ -t 0 ] || printf '%s\n' "$answer" >&2  # piped answers: keep the transcript readable
    answer=$(printf '%s' "$answer" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
    [ -n "$answer" ] || answer=$default
    if [ -n "$answer" ] && { [ -z "$choices" ] || [[ " $choices " == *" $answer "* ]]; }; then
      printf '%s' "$answer"
      return
    fi
    [ -z "$answer" ] || echo "Please answer one of: $choices" >&2
  done
}

if $interactive; then
  [ -n "$company" ] || company=$(ask "Company name:")
  [ -n "$email" ] || email=$(ask "Email:")
  [ -n "$tier" ] || tier=$(ask "Tier (free/pro/enterprise) [free]:" free "$TIERS")
else
  missing=""
  [ -n "$company" ] || missing="$missing --company"
  [ -n "$email" ] || missing="$missing --email"
  [ -n "$tier" ] || missing="$missing --tier"
  [ -z "$missing" ] || usage_error "--non-interactive needs:$missing"
fi

body=$(COMPANY=$company EMAIL=$email TIER=$tier "$PYTHON" -c '
import json, os
print(json.dumps({"company_name": os.environ["COMPANY"], "email": os.environ["EMAIL"], "tier": os.environ["TIER"]}))')

response=$(mktemp)
trap 'rm -f "$response"' EXIT
# The token goes to curl on stdin, never on its command line where `ps` would show it.
if ! status=$(printf 'Authorization: Bearer %s\n' "$token" | curl -sS --connect-timeout 5 --max-time 30 \
      -H @- -H 'Content-Type: application/json' --data-binary "$body" \
      -o "$response" -w '%{http_code}' "$URL/admin/v1/customers" 2>/dev/null); then
  fail "customer-service is not reachable at $URL: start the fleet with bin/vla up (or set VLA_CUSTOMER_URL)"
fi

# error_field NAME: a field of the {"error": {...}} body, empty when the body is not one.
error_field() {
  "$PYTHON" - "$response" "$1" <<'PY'
import json, sys
try:
    print(json.load(open(sys.argv[1]))["error"][sys.argv[2]])
except Exception:
    print("")
PY
}

if [ "$status" != 201 ]; then
  $json && { cat "$response"; echo; }
  message=$(error_field message)
  case "$status" in
    409) fail "$email already has an account. Look it up with GET $URL/admin/v1/customers, or use another email." ;;
    400) fail "customer-service rejected the request: ${message:-HTTP 400}" ;;
    401) fail "customer-service rejected the admin token: VLA_ADMIN_TOKEN (or .vla/admin-token) must be the token it was started with" ;;
    *) fail "customer-service answered HTTP $status${message:+: $message} (request_id $(error_field request_id))" ;;
  esac
fi

if $json; then
  cat "$response"
  echo
  exit 0
fi

"$PYTHON" - "$response" <<'PY'
import json, sys
created = json.load(open(sys.argv[1]))
customer, key = created["customer"], created["api_key"]
print(f"""Customer created.

  Customer ID:    {customer["customer_id"]}
  Company:        {customer["company_name"]}
  Tier:           {customer["tier"]}
  Monthly quota:  {customer["monthly_quota"]:,} requests
  Rate limit:     {customer["rate_limit_per_minute"]:,} requests per minute

  API key:        {key["key"]}

The API key is shown only this once: store it now (e.g. in your secrets manager).
It cannot be retrieved later; if it is lost, issue a new key and revoke this one.""")
PY
