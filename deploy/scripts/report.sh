#!/usr/bin/env bash
# Monthly or weekly customer report from billing-service: CSV file plus a summary table, and with
# --html a self-contained HTML page with charts.
# Wired as `bin/vla report`; `--help` lists the flags.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
URL=${VLA_BILLING_URL:-$(local_url billing-service)}

usage() {
  cat <<'USAGE'
usage: bin/vla report monthly [--month YYYY-MM] [--out FILE] [--html]
       bin/vla report weekly  [--week YYYY-Www] [--out FILE] [--html]

Per customer: company, tier, requests (successful), average latency (model forward pass, ms),
average safety score (0..1), revenue. Monthly revenue is the month's invoice total (base fee plus
usage); weekly revenue is the usage charges the week's requests add (base fees are monthly).
Default period: the current month / ISO week (UTC), so far. Writes the CSV (default
./report-monthly-YYYY-MM.csv or ./report-weekly-YYYY-Www.csv) and prints a summary table; shows
progress while a large period is read.

--html also writes one self-contained HTML page (charts drawn by billing-service: daily requests,
usage by customer, revenue by tier, total latency p50/p99 by day; the summary and the customer
table), named like the CSV with .html (./report-monthly-YYYY-MM.html, or FILE's name with .html),
and prints its path. billing-service reads the period a second time for it.

Environment:
  VLA_ADMIN_TOKEN    admin token (default: contents of .vla/admin-token)
  VLA_BILLING_URL    billing-service base URL (default: http://127.0.0.1 on its port in deploy/fleet.conf)
  VLA_REPORT_PROGRESS  auto (default: when reading takes over a second), always, never
USAGE
}

kind=${1:-}
case "$kind" in
  monthly|weekly) shift ;;
  -h|--help) usage; exit 0 ;;
  *) usage_error "say which report: monthly or weekly" ;;
esac
period="" out="" html=0
while [ $# -gt 0 ]; do
  case "$1" in
    --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
    --month) [ "$kind" = monthly ] || usage_error "--month is for the monthly report"; needs_value $# "$1"; period=$2; shift 2 ;;
    --week) [ "$kind" = weekly ] || usage_error "--week is for the weekly report"; needs_value $# "$1"; period=$2; shift 2 ;;
    --out) needs_value $# "$1"; out=$2; shift 2 ;;
    --html) html=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown argument: $1" ;;
  esac
done

require_http_tools
token=$(admin_token)

param=month
[ "$kind" = weekly ] && param=week
urlencode() { printf '%s' "$1" | "$PYTHON" -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read()))'; }
unreachable() {
  fail "billing-service is not reachable at $URL: start the fleet with bin/vla up (or set VLA_BILLING_URL) ($(cat "$work/curl.err"))"
}
query=""
[ -z "$period" ] || query="?$param=$(urlencode "$period")"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The report streams as JSON lines (progress, rows, summary); python reads it as it arrives.
set +e
admin_curl "$token" -sS -N --connect-timeout 5 --max-time 3600 \
    -w '\n%{http_code}\n' "$URL/admin/v1/reports/$kind$query" 2>"$work/curl.err" \
  | "$PYTHON" -u "$ROOT/deploy/scripts/report_stream.py" "$kind" "$out" "$work/period"
codes=("${PIPESTATUS[@]}")
set -e
[ "${codes[0]}" = 0 ] || unreachable
[ "${codes[1]}" = 0 ] || exit "${codes[1]}"
[ "$html" = 1 ] || exit 0

# The period the CSV covers (the server's "now" decided a default one), so both files agree.
period=$(cat "$work/period")
if [ -n "$out" ]; then html_out="${out%.csv}.html"; else html_out="report-$kind-$period.html"; fi
[ "${VLA_REPORT_PROGRESS:-auto}" = never ] || echo "reading the period again for the HTML report's charts..." >&2
status=$(admin_curl "$token" -sS --connect-timeout 5 --max-time 3600 -o "$work/report.html" -w '%{http_code}' \
    "$URL/admin/v1/reports/$kind?$param=$(urlencode "$period")&format=html" 2>"$work/curl.err") || unreachable
[ "$status" = 200 ] || fail "HTML report failed (HTTP $status): $(error_message "$work/report.html")"
mv "$work/report.html" "$html_out"
echo "Written: $html_out"
