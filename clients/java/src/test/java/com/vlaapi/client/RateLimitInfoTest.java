package com.vlaapi.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RateLimitInfoTest {

    @Test
    void readsBothWindowsOfTheApisHeaders() {
        RateLimitInfo info = RateLimitInfo.fromHeaders(HttpHeaders.of(Map.of(
                "RateLimit-Policy", List.of("\"burst\";q=600;w=60, \"monthly\";q=100000;w=2592000"),
                "RateLimit", List.of("\"burst\";r=599;t=1, \"monthly\";r=99999;t=1814400")), (name, value) -> true));
        assertEquals(Optional.of(new RateLimitInfo.Window("burst", 600, Duration.ofSeconds(60), 599, Duration.ofSeconds(1))),
                info.burst());
        assertEquals(Optional.of(new RateLimitInfo.Window("monthly", 100_000, Duration.ofSeconds(2_592_000), 99_999,
                Duration.ofSeconds(1_814_400))), info.monthly());
    }

    @Test
    void withoutTheSharedCountersOnlyTheBurstWindowIsReported() {
        RateLimitInfo info = RateLimitInfo.parse("\"burst\";q=60;w=60", "\"burst\";r=0;t=60");
        assertEquals(0, info.burst().orElseThrow().remaining());
        assertEquals(Optional.empty(), info.monthly());
    }

    @Test
    void aPolicyWithoutStateHasUnknownRemainingAndReset() {
        RateLimitInfo.Window burst = RateLimitInfo.parse("\"burst\";q=60;w=60", "").burst().orElseThrow();
        assertEquals(-1, burst.remaining());
        assertEquals(null, burst.reset());
    }

    @Test
    void malformedItemsAreLeftOutRatherThanFailingTheAnswer() {
        RateLimitInfo info = RateLimitInfo.parse("burst;q=60;w=60, \"monthly\";q=lots;w=60, \"x\";q=1, \"ok\";q=5;w=1",
                "\"ok\";r=4;t=1;junk");
        assertEquals(Map.of("ok", new RateLimitInfo.Window("ok", 5, Duration.ofSeconds(1), 4, Duration.ofSeconds(1))),
                info.windows());
        assertTrue(RateLimitInfo.fromHeaders(HttpHeaders.of(Map.of(), (name, value) -> true)).windows().isEmpty());
    }
}
