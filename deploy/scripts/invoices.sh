#!/usr/bin/env bash
# Generates a month's invoices in billing-service and exports them (CSV + one HTML per invoice).
# Wired as `bin/vla invoices`; `--help` lists the flags.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
URL=${VLA_BILLING_URL:-$(local_url billing-service)}

usage() {
  cat <<'USAGE'
usage: bin/vla invoices --month YYYY-MM [--finalize] [--out DIR] [--json]

Generates (or regenerates) the draft invoices of a calendar month (UTC) for every customer, then
writes DIR/invoices-YYYY-MM.csv and DIR/invoice-YYYY-MM-<company>-<id>.html and prints a summary.
Running it again rewrites the drafts; it never creates a second invoice for a customer and month.
  --finalize  finalize the month instead: refused until the month is over and every request served
              in it has reached billing; finalized invoices never change again
  --out DIR   where to write the files (default: ./invoices-YYYY-MM)
  --json      print billing-service's raw JSON response instead of the summary

Environment:
  VLA_ADMIN_TOKEN    admin token (default: contents of .vla/admin-token)
  VLA_BILLING_URL    billing-service base URL (default: http://127.0.0.1 on its port in deploy/fleet.conf)
USAGE
}

month="" finalize=false out="" json=false
while [ $# -gt 0 ]; do
  case "$1" in
    --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
    --month) needs_value $# "$1"; month=$2; shift 2 ;;
    --out) needs_value $# "$1"; out=$2; shift 2 ;;
    --finalize) finalize=true; shift ;;
    --json) json=true; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done
[ -n "$month" ] || usage_error "--month YYYY-MM is required"
[[ "$month" =~ ^[0-9]{4}-[0-9]{2}$ ]] || usage_error "--month must be YYYY-MM (e.g. 2026-11), not '$month'"
out=${out:-invoices-$month}

require_http_tools
token=$(admin_token)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# call METHOD PATH OUTFILE [BODY]: prints the HTTP status.
call() {
  local method=$1 path=$2 file=$3 body=${4:-}
  local args=(-sS --connect-timeout 5 --max-time 300 -X "$method" -o "$file" -w '%{http_code}')
  [ -z "$body" ] || args+=(-H 'Content-Type: application/json' --data-binary "$body")
  admin_curl "$token" "${args[@]}" "$URL$path" 2>/dev/null \
    || fail "billing-service is not reachable at $URL: start the fleet with bin/vla up (or set VLA_BILLING_URL)"
}

action=generate
$finalize && action=finalize
status=$(call POST "/admin/v1/invoices/$action" "$work/result.json" "{\"month\": \"$month\"}")
if [ "$status" != 200 ]; then
  $json && { cat "$work/result.json"; echo; }
  case "$status" in
    401) fail "billing-service rejected the admin token: VLA_ADMIN_TOKEN (or .vla/admin-token) must be the token it was started with" ;;
    *) fail "billing-service answered HTTP $status: $(error_message "$work/result.json")" ;;
  esac
fi

mkdir -p "$out"
status=$(call GET "/admin/v1/invoices/export.csv?month=$month" "$out/invoices-$month.csv")
[ "$status" = 200 ] || fail "CSV export failed with HTTP $status: $(error_message "$out/invoices-$month.csv")"
"$PYTHON" - "$work/result.json" "$month" > "$work/html-list" <<'PY'
import json, re, sys
for invoice in json.load(open(sys.argv[1]))["invoices"]:
    slug = re.sub(r"[^a-z0-9]+", "-", invoice["company_name"].lower()).strip("-")[:40] or "customer"
    print(invoice["invoice_id"], f'invoice-{sys.argv[2]}-{slug}-{invoice["invoice_id"][:8]}.html')
PY
while read -r id file; do
  status=$(call GET "/admin/v1/invoices/$id/html" "$out/$file")
  [ "$status" = 200 ] || fail "HTML export of invoice $id failed with HTTP $status"
done < "$work/html-list"

if $json; then
  cat "$work/result.json"
  echo
  exit 0
fi

"$PYTHON" "$ROOT/deploy/scripts/invoice_summary.py" "$work/result.json" "$out" "$month"
