#!/usr/bin/env bash
# Invites a person to a customer's portal through customer-service's admin API and prints the
# one-time link that sets their password. Wired as `bin/vla invite`; `--help` lists the flags.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
URL=${VLA_CUSTOMER_URL:-$(local_url customer-service)}

usage() {
  cat <<'USAGE'
usage: bin/vla invite --customer ID --email EMAIL [--role viewer|admin] [--json]

Invites EMAIL to the customer portal of customer ID and prints the one-time link that sets the
password (valid for vla.customer.portal.invitation-ttl, 72 h by default). Send it to them; it is
shown only this once. The first user of a customer should be an admin: admins invite the rest
from the portal's Team page.
  --role   viewer (sees usage, costs, keys, requests, invoices) or admin (also manages keys and
           users); default admin
  --json   print customer-service's raw JSON response instead of the summary

Environment:
  VLA_ADMIN_TOKEN    admin token of customer-service (default: contents of .vla/admin-token)
  VLA_CUSTOMER_URL   customer-service base URL (default: http://127.0.0.1 on its port in deploy/fleet.conf)
USAGE
}

customer="" email="" role=admin json=false
while [ $# -gt 0 ]; do
  case "$1" in
    --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
    --customer) needs_value $# "$1"; customer=$2; shift 2 ;;
    --email) needs_value $# "$1"; email=$2; shift 2 ;;
    --role) needs_value $# "$1"; role=$2; shift 2 ;;
    --json) json=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[ -n "$customer" ] || usage_error "--customer is required (the customer ID bin/vla create-customer printed)"
[ -n "$email" ] || usage_error "--email is required"
[[ $customer =~ ^[0-9a-fA-F-]{36}$ ]] || usage_error "--customer must be a customer ID (a UUID), not '$customer'"

require_http_tools
token=$(admin_token)
body=$(EMAIL=$email ROLE=$role "$PYTHON" -c '
import json, os
print(json.dumps({"email": os.environ["EMAIL"], "role": os.environ["ROLE"]}))')

response=$(mktemp)
trap 'rm -f "$response"' EXIT
status=$(customer_admin_post "$token" "/admin/v1/customers/$customer/portal-users" "$body" "$response")

if [ "$status" != 201 ]; then
  $json && { cat "$response"; echo; }
  case "$status" in
    404) fail "there is no customer $customer: list them with GET $URL/admin/v1/customers" ;;
    409) fail "$email already has a portal account; remove it first (DELETE .../portal-users/{user_id}) to invite again" ;;
    *) fail_admin_answer "$status" "$response" invitation ;;
  esac
fi

if $json; then
  cat "$response"
  echo
  exit 0
fi

"$PYTHON" - "$response" <<'PY'
import json, sys
invited = json.load(open(sys.argv[1]))
print(f"""Invited {invited["email"]} ({invited["role"]}).

  Link: {invited["invitation_url"]}

Send this link to them: it sets their password once, until {invited["expires_at"]} (UTC).
It is shown only this once.""")
PY
