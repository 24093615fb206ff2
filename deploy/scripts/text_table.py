"""The operators' commands print their results as one kind of plain-text table (invoices.sh,
report_stream.py): each column as wide as its widest cell, a dashed rule under the head, text
columns left-aligned and the others, the figures, right-aligned."""


def print_table(head, rows, text_columns):
    """Prints head and rows (tuples of cells); text_columns: the indexes of the left-aligned columns."""
    widths = [max(len(str(row[c])) for row in [head] + rows) for c in range(len(head))]

    def line(row):
        return "  ".join(str(v).ljust(w) if c in text_columns else str(v).rjust(w)
                         for c, (v, w) in enumerate(zip(row, widths)))

    print(line(head))
    print(line(tuple("-" * w for w in widths)))
    for row in rows:
        print(line(row))
