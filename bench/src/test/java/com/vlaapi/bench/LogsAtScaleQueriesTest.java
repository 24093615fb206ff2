package com.vlaapi.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.testsupport.seed.SeedQueries;
import org.junit.jupiter.api.Test;

/** The benchmark times the seed's own SQL: its copies (main code cannot use test-support) stay verbatim. */
class LogsAtScaleQueriesTest {

    @Test
    void theSeedsQueriesAreTimedVerbatim() {
        assertEquals(SeedQueries.LATENCY_LAST_30_DAYS, LogsAtScaleBenchmark.SEED_LAST_30_DAYS);
        assertEquals(SeedQueries.USAGE_FOR_INVOICING, LogsAtScaleBenchmark.SEED_INVOICING_WHOLE_MONTH.replace(
                "il.timestamp >= '%s' AND il.timestamp < '%s'", "il.timestamp >= date_trunc('month', CURRENT_DATE)"),
                "the invoicing query differs from the seed's in its month's bounds only");
    }
}
