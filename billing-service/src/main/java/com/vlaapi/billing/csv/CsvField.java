package com.vlaapi.billing.csv;

/** One field of the CSV files billing exports (invoices, reports), which operators open in spreadsheets. */
public final class CsvField {

    private CsvField() {
    }

    /**
     * RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so a spreadsheet never runs a
     * company name as a formula.
     */
    public static String of(String value) {
        if (value == null) {
            return "";
        }
        String safe = !value.isEmpty() && "=+-@".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        if (safe.contains(",") || safe.contains("\"") || safe.contains("\n") || safe.contains("\r")) {
            return "\"" + safe.replace("\"", "\"\"") + "\"";
        }
        return safe;
    }
}
