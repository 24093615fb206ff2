"""Reads billing-service's report stream (JSON lines, then the HTTP status) from stdin: shows
progress on stderr while a large period is read, writes the CSV, prints a summary table, and
writes the period's name (e.g. 2026-11) to PERIOD_FILE for report.sh's HTML report.
Used by report.sh; exits 1 with the server's error message when the report failed.

usage: report_stream.py monthly|weekly CSV_PATH_OR_EMPTY PERIOD_FILE"""
import csv
import json
import os
import sys
import time
from decimal import Decimal

from text_table import print_table

kind, out, period_file = sys.argv[1], sys.argv[2], sys.argv[3]
mode = os.environ.get("VLA_REPORT_PROGRESS", "auto")
tty = sys.stderr.isatty()
started = time.monotonic()
rows, summary, error, last_shown = [], None, None, -1


def show_progress(p):
    global last_shown
    slow = time.monotonic() - started > 1.0
    if mode == "never" or (mode == "auto" and not slow):
        return
    percent = int(100 * p["done"] / max(1, p["total"]))
    if tty:
        bar = "#" * (percent // 4)
        print(f"\rreading {p['done']}/{p['total']} days [{bar:<25}] {percent:3d}%  {p['requests']:,} requests",
              end="", file=sys.stderr, flush=True)
    elif percent // 10 != last_shown // 10 or p["done"] == p["total"]:
        print(f"reading {p['done']}/{p['total']} days ({percent}%), {p['requests']:,} requests",
              file=sys.stderr, flush=True)
    last_shown = percent


status = None
for raw in sys.stdin:
    raw = raw.strip()
    if not raw:
        continue
    if raw.isdigit() and len(raw) == 3:
        status = int(raw)
        continue
    try:
        item = json.loads(raw, parse_float=Decimal)
    except ValueError:
        error = raw[:300]
        continue
    if "progress" in item:
        show_progress(item["progress"])
    elif "row" in item:
        rows.append(item["row"])
    elif "summary" in item:
        summary = item["summary"]
    elif "error" in item:
        e = item["error"]
        error = f'{e["message"]} ({e["code"]}, request_id {e["request_id"]})'
if tty and last_shown >= 0:
    print(file=sys.stderr)

if status != 200 or summary is None:
    if status == 401:
        error = "billing-service rejected the admin token: VLA_ADMIN_TOKEN (or .vla/admin-token) must be the token it was started with"
    print(f"error: report failed (HTTP {status}): {error or 'incomplete response'}", file=sys.stderr)
    sys.exit(1)

out = out or f"report-{kind}-{summary['period']}.csv"
with open(period_file, "w", encoding="utf-8") as f:
    f.write(summary["period"])


def cell(value):
    text = "" if value is None else str(value)
    # A spreadsheet must never run a company name as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


with open(out, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["company", "tier", "requests", "avg_latency_ms", "avg_safety_score", "revenue"])
    for r in rows:
        w.writerow([cell(r["company"]), r["tier"], r["requests"], cell(r["avg_latency_ms"]),
                    cell(r["avg_safety_score"]), cell(r["revenue"])])

currency = summary["currency"]
head = ("Company", "Tier", "Requests", "Avg latency ms", "Avg safety", f"Revenue {currency}")
shown = rows[:25]
table = [(r["company"][:32], r["tier"], f'{r["requests"]:,}',
          "-" if r["avg_latency_ms"] is None else f'{r["avg_latency_ms"]}',
          "-" if r["avg_safety_score"] is None else f'{r["avg_safety_score"]}',
          f'{Decimal(r["revenue"]):,.2f}') for r in shown]
label = "Monthly" if kind == "monthly" else "Weekly"
print(f"{label} report {summary['period']} ({summary['from']} to {summary['to']} exclusive, UTC)")
print()
print_table(head, table, text_columns={0, 1})
if len(rows) > len(shown):
    print(f"... {len(rows) - len(shown)} more customers in the CSV")
print()
for tier, t in summary["tiers"].items():
    print(f"  {tier:<11} {t['customers']:>5} customers  {t['requests']:>12,} requests  {currency} {Decimal(t['revenue']):>14,.2f}")
print(f"  {'total':<11} {summary['customers']:>5} customers  {summary['requests']:>12,} requests  {currency} {Decimal(summary['revenue']):>14,.2f}")
print()
print(f"Written: {out}")
