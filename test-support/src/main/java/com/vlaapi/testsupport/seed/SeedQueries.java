package com.vlaapi.testsupport.seed;

/**
 * The SQL the seed gave operators, verbatim (its trailing spaces kept as {@code \s}): they run it in
 * psql, so billing's reporting views and the whole fleet are tested on exactly these texts.
 */
public final class SeedQueries {

    public static final String MONTHLY_USAGE = """
            SELECT\s
                company_name,
                tier,
                monthly_usage,
                monthly_quota,
                (monthly_usage::float / monthly_quota * 100) as usage_percent
            FROM customers
            ORDER BY monthly_usage DESC;""";

    public static final String REVENUE_THIS_MONTH = """
            SELECT\s
                c.company_name,
                c.tier,
                COUNT(*) *\s
                CASE c.tier\s
                    WHEN 'enterprise' THEN 0.01
                    WHEN 'pro' THEN 0.005
                    WHEN 'free' THEN 0
                END as revenue
            FROM inference_logs il
            JOIN customers c ON il.customer_id = c.customer_id
            WHERE il.timestamp >= date_trunc('month', CURRENT_DATE)
            GROUP BY c.company_name, c.tier;""";

    public static final String USAGE_FOR_INVOICING = """
            -- Query usage for invoicing
            SELECT company_name, COUNT(*) as requests
            FROM inference_logs il
            JOIN customers c ON il.customer_id = c.customer_id
            WHERE il.timestamp >= date_trunc('month', CURRENT_DATE)
            GROUP BY company_name;""";

    public static final String SAFETY_THIS_MONTH = """
            SELECT\s
                c.company_name,
                COUNT(*) as requests,
                AVG(il.safety_score) as avg_safety
            FROM inference_logs il
            JOIN customers c ON il.customer_id = c.customer_id
            WHERE il.timestamp >= date_trunc('month', CURRENT_DATE)
            GROUP BY c.company_name""";

    public static final String LATENCY_LAST_30_DAYS = """
            SELECT\s
                c.company_name,
                COUNT(*) as total_requests,
                AVG(il.inference_latency_ms) as avg_latency
            FROM inference_logs il
            JOIN customers c ON il.customer_id = c.customer_id
            WHERE il.timestamp >= NOW() - INTERVAL '30 days'
            GROUP BY c.company_name
            ORDER BY total_requests DESC;""";

    private SeedQueries() {
    }
}
