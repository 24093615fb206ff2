package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.servicecontract.InferenceChannelFrames;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /v1/inference} through a gateway whose inference instances take the inference
 * channel: the request travels on the channel with the caller's identity, and the client gets the
 * status, body and Retry-After the instance answered, counted as over HTTP. A request that could be
 * answered differently over the channel goes over HTTP, and a channel that closes mid-request is
 * a dropped connection: the request goes to the next instance under the same request id.
 */
class ChannelRoutingTest extends GatewayOnStandInsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BODY = "{\"instruction\": \"pick up the red cube\", \"image\": \"iVBORw0KGgo=\"}";

    private final List<String> channelRequestIds = new CopyOnWriteArrayList<>();
    private final List<DisposableServer> instances = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopInstances() {
        instances.forEach(DisposableServer::disposeNow);
    }

    @Test
    void aRequestTravelsOnTheChannelAndIsAnsweredAndCountedAsOverHttp() throws Exception {
        UUID customer = UUID.randomUUID();
        String key = standIns.key(customer, "active", "pro", 100_000, 100_000);
        try (ConfigurableApplicationContext gateway = standIns.startGateway(Map.of("vla.inference.urls", instance("a")))) {
            HttpResponse<String> served = post(gateway, key, BODY, "application/json", null);
            HttpResponse<String> busy = post(gateway, key, BODY.replace("pick", "busy"), "application/json; charset=UTF-8", "*/*");

            assertEquals(200, served.statusCode(), served.body());
            JsonNode answer = JSON.readTree(served.body());
            assertEquals("channel a", answer.get("via").asString());
            assertEquals(customer.toString(), answer.get("customer").asString());
            assertEquals(standIns.keyIds.get(key).toString(), answer.get("api_key_id").asString());
            assertEquals(BODY.length(), answer.get("body_bytes").asInt());
            assertEquals(served.headers().firstValue("X-Request-Id").orElseThrow(), answer.get("request_id").asString());
            assertEquals("application/json", served.headers().firstValue("Content-Type").orElseThrow());
            assertTrue(served.headers().firstValue("RateLimit").isPresent(), "the gateway's limit headers are on the answer");

            assertEquals(503, busy.statusCode(), busy.body());
            assertEquals("5", busy.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("request_log_unavailable", JSON.readTree(busy.body()).get("error").get("code").asString());
            assertEquals(2, channelRequestIds.size());
            // Settled off the request's path, in batches: the 200 is counted, and the 503 is not.
            await().atMost(Duration.ofSeconds(10)).during(Duration.ofMillis(500))
                    .until(() -> standIns.usageCounted(redis, customer) == 1L);
        }
    }

    @Test
    void requestsTheChannelCouldAnswerDifferentlyGoOverHttp() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        try (ConfigurableApplicationContext gateway = standIns.startGateway(Map.of("vla.inference.urls", instance("a")))) {
            for (String[] headers : new String[][] {{"text/plain", null}, {"application/json", "text/html"},
                    {"application/json; charset=ISO-8859-1", null}}) {
                HttpResponse<String> response = post(gateway, key, BODY, headers[0], headers[1]);
                assertEquals("http a", JSON.readTree(response.body()).get("via").asString(), headers[0] + " " + headers[1]);
            }
            assertEquals("http a", JSON.readTree(post(gateway, key, "", "application/json", null).body()).get("via").asString(),
                    "no body");
            assertEquals(List.of(), channelRequestIds);
        }
    }

    @Test
    void aChannelThatClosesMidRequestSendsItToTheNextInstanceUnderTheSameRequestId() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        try (ConfigurableApplicationContext gateway = standIns.startGateway(Map.of(
                "vla.inference.urls", instance("dropping") + "," + instance("b"),
                "vla.inference.failure-ejection", "1h"))) {
            HttpResponse<String> first = post(gateway, key, BODY, "application/json", null);
            HttpResponse<String> second = post(gateway, key, BODY, "application/json", null);

            assertEquals(200, first.statusCode(), first.body());
            assertEquals("channel b", JSON.readTree(first.body()).get("via").asString());
            assertEquals("channel b", JSON.readTree(second.body()).get("via").asString());
            String requestId = first.headers().firstValue("X-Request-Id").orElseThrow();
            assertEquals(List.of(requestId, requestId, second.headers().firstValue("X-Request-Id").orElseThrow()),
                    channelRequestIds, "the dropped request went to b under its id; the next one to b alone");
            assertEquals(1.0, gateway.getBean(MeterRegistry.class).counter("vla.gateway.upstream.retries").count());
        }
    }

    @Test
    void withTheChannelOffEveryRequestGoesOverHttp() throws Exception {
        String key = standIns.key(UUID.randomUUID(), "active", "pro", 100_000, 100_000);
        try (ConfigurableApplicationContext gateway = standIns.startGateway(Map.of("vla.inference.urls", instance("a"),
                "vla.gateway.inference-channel", "false"))) {
            HttpResponse<String> response = post(gateway, key, BODY, "application/json", null);
            assertEquals("http a", JSON.readTree(response.body()).get("via").asString());
            assertNull(response.headers().firstValue("Retry-After").orElse(null));
            assertEquals(List.of(), channelRequestIds);
        }
    }

    private HttpResponse<String> post(ConfigurableApplicationContext gateway, String key, String body, String contentType,
                                      String accept) throws Exception {
        int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/inference"))
                .header("Authorization", "Bearer " + key).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A stand-in inference instance named {@code name} that answers {@code POST /v1/inference} over
     * HTTP and over its channel, saying which way each came; on the channel, an instruction with
     * "busy" gets a 503 to retry in 5 s, and the instance named "dropping" closes its channel on
     * the first request.
     */
    private String instance(String name) {
        DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .post("/v1/inference", (request, response) -> request.receive().aggregate().asString()
                                .defaultIfEmpty("")
                                .flatMap(body -> response.header("Content-Type", "application/json")
                                        .sendString(Mono.just(answer("http " + name, request.requestHeaders().get("X-Request-Id"),
                                                request.requestHeaders().get("X-Vla-Customer-Id"),
                                                request.requestHeaders().get("X-Vla-Api-Key-Id"), body.length())))
                                        .then()))
                        .ws(InferenceChannelFrames.PATH, (in, out) -> out.sendObject(in.aggregateFrames().receiveFrames()
                                .map(frame -> InferenceChannelFrames.readRequest(ByteBufUtil.getBytes(frame.content())).orElseThrow())
                                .doOnNext(request -> channelRequestIds.add(request.requestId().toString()))
                                .takeWhile(request -> !name.equals("dropping"))
                                .map(request -> new BinaryWebSocketFrame(Unpooled.wrappedBuffer(channelAnswer(name, request)))))))
                .bindNow();
        instances.add(server);
        return "http://127.0.0.1:" + server.port();
    }

    private static byte[] channelAnswer(String name, InferenceChannelFrames.Request request) {
        String body = new String(request.frame(), request.bodyOffset(), request.bodyLength(), StandardCharsets.UTF_8);
        if (body.contains("busy")) {
            return InferenceChannelFrames.answer(request.requestId(), 503, 5,
                    "{\"error\": {\"code\": \"request_log_unavailable\"}}".getBytes(StandardCharsets.UTF_8));
        }
        return InferenceChannelFrames.answer(request.requestId(), 200, null, answer("channel " + name,
                request.requestId().toString(), request.customerId().toString(), String.valueOf(request.apiKeyId()),
                request.bodyLength()).getBytes(StandardCharsets.UTF_8));
    }

    private static String answer(String via, String requestId, String customer, String apiKeyId, int bodyBytes) {
        return "{\"via\": \"" + via + "\", \"request_id\": \"" + requestId + "\", \"customer\": \"" + customer
                + "\", \"api_key_id\": \"" + apiKeyId + "\", \"body_bytes\": " + bodyBytes + "}";
    }
}
