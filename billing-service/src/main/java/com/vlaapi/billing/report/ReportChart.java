package com.vlaapi.billing.report;

/**
 * One chart of the HTML report as a PNG, with what it shows in words for its alt text.
 *
 * @param id element id on the page (stable, so tests and people can find it)
 */
record ReportChart(String id, String title, String alt, byte[] png) {
}
