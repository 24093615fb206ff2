package com.vlaapi.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Unauthenticated traffic is limited per client address, and so are the access log lines its
 * refusals get. The test client is the "proxy" on 127.0.0.1, trusted to name the client in
 * X-Forwarded-For, so it can speak for several addresses.
 */
@ExtendWith(OutputCaptureExtension.class)
class FailedAuthenticationLimitTest extends GatewayOnStandInsTest {

    private static final int ALLOWED = 5;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("vla.gateway.failed-authentications-per-minute", () -> Integer.toString(ALLOWED));
        registry.add("vla.gateway.trusted-proxies", () -> "127.0.0.1");
        registry.add("vla.gateway.refusal-log-window", () -> "3s");
    }

    @Test
    void anAddressThatKeepsFailingIsRefusedWithoutLookupsWhileOthersAreServed() throws Exception {
        String scanner = "203.0.113.7";
        for (int i = 0; i < ALLOWED; i++) {
            HttpResponse<String> response = infer(scanner, unknownKeyWithoutChecksum());
            assertEquals(401, response.statusCode(), response.body());
        }
        int lookups = standIns.keyLookups.get();

        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = infer(scanner, unknownKeyWithoutChecksum());
            assertEquals(429, response.statusCode(), response.body());
            assertTrue(response.body().contains("\"too_many_failed_authentications\""), response.body());
            assertTrue(response.headers().firstValue("Retry-After").isPresent());
        }
        assertEquals(lookups, standIns.keyLookups.get(), "key lookups for a refused address");

        String customerKey = standIns.key(UUID.randomUUID(), "active", "pro", 1_000_000, 1_000_000);
        assertEquals(200, infer("198.51.100.20", customerKey).statusCode(), "another address with a valid key");
        assertEquals(401, infer("198.51.100.21", unknownKeyWithoutChecksum()).statusCode(),
                "another address's first failure");
    }

    @Test
    void anAddressRefusedAgainAndAgainGetsALineAWindowWithTheCountOfTheRest(CapturedOutput output) throws Exception {
        String scanner = "203.0.113.8";
        int refused = 30;
        for (int i = 0; i < refused; i++) {
            assertThat(infer(scanner, unknownKeyWithoutChecksum()).statusCode()).isIn(401, 429);
        }

        // Every refusal is in the log, as a line of its own or in a window's count; the count's line
        // comes when its window ends.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<JsonNode> lines = accessLines(output, scanner);
            List<JsonNode> ownLines = lines.stream().filter(line -> !line.has("repeated")).toList();
            long counted = lines.stream().filter(line -> line.has("repeated")).mapToLong(line -> line.get("repeated").asLong()).sum();
            assertThat(ownLines.size() + counted).isEqualTo(refused);
            assertThat(ownLines).as("lines of their own").hasSizeLessThan(refused);
            assertThat(ownLines).allMatch(line -> line.get("message").asString().startsWith("POST /v1/inference 4"));
        });
        List<JsonNode> lines = accessLines(output, scanner);
        assertThat(lines).extracting(line -> line.get("error_code").asString())
                .containsOnly("invalid_api_key", "too_many_failed_authentications");
        assertThat(lines).filteredOn(line -> line.has("repeated")).allMatch(line -> line.get("message").asString()
                .matches("(401 invalid_api_key|429 too_many_failed_authentications) to 203\\.0\\.113\\.8: \\d+ more in 3000 ms"));
    }

    /** The access log's lines about one client address. */
    private static List<JsonNode> accessLines(CapturedOutput output, String address) {
        return output.getOut().lines().filter(line -> line.startsWith("{") && line.contains("\"vla.access\""))
                .map(JSON::readTree).filter(line -> line.path("client_address").asString("").equals(address)).toList();
    }

    /** The shape of keys issued before keys had a checksum: only a lookup can tell it is unknown. */
    private static String unknownKeyWithoutChecksum() {
        return "vla_live_" + UUID.randomUUID().toString().replace("-", "") + "abcdefghijk";
    }

    private HttpResponse<String> infer(String client, String key) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .header("X-Forwarded-For", client)
                .POST(HttpRequest.BodyPublishers.ofString("{\"instruction\": \"pick up the red cube\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
