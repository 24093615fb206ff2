package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The public listener bounds what one client can hold: its time (slow bodies) and its bytes (large bodies). */
class SlowAndLargeRequestsTest extends GatewayOnStandInsTest {

    private static final int DECLARED_BODY_BYTES = 10_000;

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        registry.add("vla.gateway.request-read-timeout", () -> "3s");
        registry.add("vla.gateway.max-body-bytes", () -> "64KB");
    }

    @Test
    void aClientSendingOneByteASecondIsCutOffByTheReadTimeout() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 1_000_000, 1_000_000);
        AtomicInteger sent = new AtomicInteger();
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/inference HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + key + "\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + DECLARED_BODY_BYTES + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            CompletableFuture<Void> trickle = CompletableFuture.runAsync(() -> {
                try {
                    while (sent.get() < DECLARED_BODY_BYTES) {
                        out.write(' ');
                        out.flush();
                        sent.incrementAndGet();
                        Thread.sleep(1000);
                    }
                } catch (Exception cutOff) {
                    // the gateway closed the connection
                }
            });
            InputStream in = socket.getInputStream();
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                } catch (Exception closed) {
                    return "";
                }
            });

            await().atMost(Duration.ofMinutes(2)).until(answer::isDone);

            String response = answer.join();
            assertTrue(response.isEmpty() || response.startsWith("HTTP/1.1 408"), response);
            assertTrue(sent.get() < DECLARED_BODY_BYTES, "cut off before the body was complete");
            trickle.cancel(true);
        }
    }

    @Test
    void aDeclaredOversizedBodyIsRefusedBeforeItsKeyIsLookedUp() throws Exception {
        int lookups = standIns.keyLookups.get();
        HttpResponse<String> response = post(HttpRequest.BodyPublishers.ofByteArray(new byte[100 * 1024]));

        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"request_too_large\""), response.body());
        assertEquals(lookups, standIns.keyLookups.get(), "key lookups for an oversized request");
    }

    /** As Python's requests and http.client do: the whole body is sent before the answer is read. */
    @Test
    void aClientThatSendsItsWholeOversizedBodyFirstStillReadsThe413() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        try (Socket socket = new Socket("127.0.0.1", port)) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/inference HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer vla_live_notlookedupatall\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();

            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertTrue(response.startsWith("HTTP/1.1 413"), response);
            assertTrue(response.contains("\"request_too_large\""), response);
        }
    }

    @Test
    void aChunkedBodyIsRefusedOnceItPassesTheCap() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 1_000_000, 1_000_000);
        // No length: the JDK client sends an InputStream publisher's body chunked.
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(new byte[200 * 1024])))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertEquals(413, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"request_too_large\""), response.body());
    }

    private HttpResponse<String> post(HttpRequest.BodyPublisher body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .header("Authorization", "Bearer vla_live_notlookedupatall").header("Content-Type", "application/json")
                .POST(body).build(), HttpResponse.BodyHandlers.ofString());
    }
}
