#!/usr/bin/env bash
# Creates a customer and its first API key through customer-service's admin API.
# Wired as `bin/vla create-customer`; `--help` lists the flags.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
URL=${VLA_CUSTOMER_URL:-$(local_url customer-service)}
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
  VLA_CUSTOMER_URL   customer-service base URL (default: http://127.0.0.1 on its port in deploy/fleet.conf)
USAGE
}

company="" email="" tier="" interactive=true json=false
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

require_http_tools
token=$(admin_token)

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
status=$(customer_admin_post "$token" /admin/v1/customers "$body" "$response")

if [ "$status" != 201 ]; then
  $json && { cat "$response"; echo; }
  case "$status" in
    409) fail "$email already has an account. Look it up with GET $URL/admin/v1/customers, or use another email." ;;
    *) fail_admin_answer "$status" "$response" request ;;
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
