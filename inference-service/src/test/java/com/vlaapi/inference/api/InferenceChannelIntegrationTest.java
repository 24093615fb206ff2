package com.vlaapi.inference.api;

import static com.vlaapi.inference.support.Gateway.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.vlaapi.inference.support.Gateway;
import com.vlaapi.inference.testdatabase.OwnTestDatabase;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.servicecontract.InferenceChannelFrames;
import com.vlaapi.servicecontract.RequestIds;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway's inference channel, spoken as the gateway speaks it, against the
 * real model and database: several requests in flight on one connection, each answered under its
 * own id as {@code POST /v1/inference} would answer it, and each a row of the request log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "vla.internal-token=" + Gateway.TOKEN,
        "vla.inference.usage-relay.enabled=false",
        "vla.inference.max-body-bytes=1MB"})
@Import(OwnTestDatabase.class)
@DirtiesContext
class InferenceChannelIntegrationTest {

    private static final EvalSet evalSet = EvalSet.read(RepoPaths.evalSet());
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    TestDatabase database;
    @Autowired
    InferenceChannel inferenceChannel;
    @LocalServerPort
    int port;

    private final Map<String, CompletableFuture<InferenceChannelFrames.Answer>> answers = new ConcurrentHashMap<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private WebSocket channel;

    @AfterEach
    void close() {
        if (channel != null) {
            channel.abort();
        }
    }

    @Test
    void requestsInFlightTogetherAreEachAnsweredUnderTheirIdAndLogged() throws Exception {
        channel = open(Gateway.TOKEN);
        EvalSet.Scene scene = evalSet.scenes().get(0);
        String image = Base64.getEncoder().encodeToString(scene.imageBytes());
        String chunk = send(body("image", image, "instruction", scene.instruction(), "return", "chunk"));
        String typo = send(body("image", image, "instruction", scene.instruction(), "retrun", "chunk"));
        String keyless = RequestIds.mint().toString();
        answers.put(keyless, new CompletableFuture<>());
        channel.sendBinary(ByteBuffer.wrap(InferenceChannelFrames.request(keyless, Gateway.CUSTOMER, null,
                body("image", image, "instruction", scene.instruction()).getBytes(StandardCharsets.UTF_8))), true).join();

        InferenceChannelFrames.Answer served = answer(chunk);
        assertEquals(200, served.status());
        JsonNode body = JSON.readTree(served.body());
        assertEquals(chunk, body.get("request_id").asString());
        assertThat(body.get("actions").size()).isGreaterThan(1);
        assertThat(body.get("actions").get(0).size()).isEqualTo(7);
        assertThat(body.get("latency_ms").asDouble()).isPositive();

        InferenceChannelFrames.Answer refused = answer(typo);
        assertEquals(400, refused.status());
        JsonNode error = JSON.readTree(refused.body()).get("error");
        assertEquals("unknown_field", error.get("code").asString());
        assertThat(error.get("message").asString()).contains("'retrun'");
        assertEquals(typo, error.get("request_id").asString());

        assertEquals(200, answer(keyless).status());

        Map<String, Object> servedRow = row(chunk);
        assertEquals(200, servedRow.get("status_code"));
        assertEquals(Gateway.CUSTOMER, servedRow.get("customer_id"));
        assertEquals(Gateway.API_KEY, servedRow.get("api_key_id"));
        assertEquals(scene.instruction(), servedRow.get("instruction"));
        Map<String, Object> refusedRow = row(typo);
        assertEquals(400, refusedRow.get("status_code"));
        assertEquals("unknown_field", refusedRow.get("error_code"));
        assertEquals(null, row(keyless).get("api_key_id"));
    }

    /**
     * The dashboards count a service's requests and errors in http_server_requests: one carried by
     * the channel is there under the labels the same request gets over HTTP, in the same series.
     */
    @Test
    void channelRequestsAreTimedInHttpServerRequestsAsTheSameRequestOverHttp() throws Exception {
        ApiClient service = ApiClient.onPort(port);
        String typo = body("image", "iVBORw0KGgo=", "instruction", "pick up the red cube", "retrun", "chunk");
        assertEquals(400, Gateway.calling(service).post("/v1/inference", typo).status());
        String series = "http_server_requests_seconds_count{error=\"none\",error_code=\"unknown_field\","
                + "exception=\"none\",method=\"POST\",outcome=\"CLIENT_ERROR\",status=\"400\",uri=\"/v1/inference\"}";
        double overHttp = count(service, series);
        assertThat(overHttp).as("the HTTP request is in the series").isGreaterThanOrEqualTo(1);

        channel = open(Gateway.TOKEN);
        assertEquals(400, answer(send(typo)).status());

        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> assertEquals(overHttp + 1, count(service, series), 0.0));
    }

    private static double count(ApiClient service, String series) {
        String scrape = service.get("/actuator/prometheus").body();
        return scrape.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(
                line -> Double.parseDouble(line.substring(series.length() + 1).strip())).findFirst().orElse(0);
    }

    @Test
    void aStoppingInstanceTakesNoNewRequestLogsNoneAndClosesItsChannelsWith1001() throws Exception {
        channel = open(Gateway.TOKEN);
        EvalSet.Scene scene = evalSet.scenes().get(0);
        String image = Base64.getEncoder().encodeToString(scene.imageBytes());
        String late;
        try {
            inferenceChannel.stopTaking();
            late = send(body("image", image, "instruction", scene.instruction()));

            assertEquals(InferenceChannelFrames.NOT_TAKEN, answer(late).status());
            inferenceChannel.stop();
            assertEquals(1001, closed.get(10, TimeUnit.SECONDS));
        } finally {
            inferenceChannel.start();
        }
        channel = open(Gateway.TOKEN);
        String after = send(body("image", image, "instruction", scene.instruction()));
        assertEquals(200, answer(after).status());
        row(after);
        assertThat(database.jdbc().queryForList("SELECT 1 FROM inference.inference_logs WHERE request_id = ?",
                UUID.fromString(late))).as("logged in order: the one not taken would be there by now").isEmpty();
    }

    @Test
    void aFrameOfManyPartsIsGatheredAndOneOverTheBodyLimitClosesTheChannel() throws Exception {
        channel = open(Gateway.TOKEN);
        EvalSet.Scene scene = evalSet.scenes().get(0);
        String image = Base64.getEncoder().encodeToString(scene.imageBytes());
        // Whitespace after the object is still one JSON body: a request that arrives in several parts.
        String padded = body("image", image, "instruction", scene.instruction())
                + " ".repeat(3 * InferenceChannelConfiguration.PART_BYTES);
        String served = send(padded);
        assertEquals(200, answer(served).status());
        assertEquals(200, row(served).get("status_code"));

        send(body("image", image, "instruction", scene.instruction()) + " ".repeat(1024 * 1024));
        assertEquals(1009, closed.get(10, TimeUnit.SECONDS));
    }

    @Test
    void withoutTheInternalTokenTheChannelDoesNotOpen() {
        CompletionException refused = assertThrows(CompletionException.class, () -> open("not-the-token"));
        assertThat(refused.getCause()).isInstanceOf(WebSocketHandshakeException.class);
        assertEquals(401, ((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode());
    }

    @Test
    void aFrameThatIsNotARequestClosesTheChannel() throws Exception {
        channel = open(Gateway.TOKEN);
        channel.sendBinary(ByteBuffer.wrap("{\"image\": \"no header\"}".getBytes(StandardCharsets.UTF_8)), true).join();
        assertEquals(1008, closed.get(10, TimeUnit.SECONDS));
    }

    private String send(String body) {
        String requestId = RequestIds.mint().toString();
        answers.put(requestId, new CompletableFuture<>());
        channel.sendBinary(ByteBuffer.wrap(InferenceChannelFrames.request(requestId, Gateway.CUSTOMER, Gateway.API_KEY,
                body.getBytes(StandardCharsets.UTF_8))), true).join();
        return requestId;
    }

    private InferenceChannelFrames.Answer answer(String requestId) throws Exception {
        return answers.get(requestId).get(30, TimeUnit.SECONDS);
    }

    private Map<String, Object> row(String requestId) {
        return await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> database.jdbc().queryForList("SELECT * FROM inference.inference_logs WHERE request_id = ?",
                        UUID.fromString(requestId)), rows -> !rows.isEmpty())
                .get(0);
    }

    private WebSocket open(String token) {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .header("X-Internal-Token", token)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + InferenceChannelFrames.PATH), new WebSocket.Listener() {
                    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();

                    @Override
                    public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
                        byte[] part = new byte[data.remaining()];
                        data.get(part);
                        frame.writeBytes(part);
                        if (last) {
                            InferenceChannelFrames.Answer answer = InferenceChannelFrames.readAnswer(frame.toByteArray())
                                    .orElseThrow();
                            frame.reset();
                            answers.get(answer.requestId()).complete(answer);
                        }
                        socket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
                        closed.complete(statusCode);
                        return null;
                    }
                }).join();
    }
}
