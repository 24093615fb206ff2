"""Prints the summary of a month's invoices from billing-service's generate (or finalize) response.
Used by invoices.sh: invoice_summary.py RESULT_JSON OUT_DIR MONTH."""
import json
import sys
from decimal import Decimal

from text_table import print_table

result_file, out, month = sys.argv[1:4]
result = json.load(open(result_file), parse_float=Decimal)
invoices = result["invoices"]


def money(v):
    return f"{Decimal(v):,.2f}"


def line(invoice, kind):
    return next((l for l in invoice["line_items"] if l["kind"] == kind), {"amount": Decimal(0)})


head = ("Company", "Tier", "Requests", "Base fee", "Usage", "Total", "Status")
rows = [(i["company_name"][:32], i["tier"], f'{i["requests"]:,}', money(line(i, "base_fee")["amount"]),
         money(line(i, "usage")["amount"]), money(i["total"]), i["status"]) for i in invoices]
currency = invoices[0]["currency"] if invoices else "USD"
print(f"Invoices for {month} (UTC), amounts in {currency}")
print()
print_table(head, rows, text_columns={0, 1, 6})
total = sum((Decimal(i["total"]) for i in invoices), Decimal("0.00"))
print()
print(f'{len(invoices)} invoices, {sum(i["requests"] for i in invoices):,} billable requests, total {currency} {money(total)}'
      + (f'; {result["finalized_unchanged"]} finalized (never rewritten)' if result.get("finalized_unchanged") else ""))
print(f"Written: {out}/invoices-{month}.csv and {len(invoices)} HTML invoices in {out}/")
