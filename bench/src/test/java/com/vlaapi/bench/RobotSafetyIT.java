package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.fleet.LocalFleet;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Robot profiles end to end: set through customer-service's admin API, applied by
 * inference-service to the model's real action behind the gateway, and logged.
 */
class RobotSafetyIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Held-out scene 1: the expert steps 3.8 cm right and 1.4 cm down the table, the model about as far. */
    private static final Path SCENE = ROOT.resolve("reference-policy/evalsets/tabletop-v1/images/0001.png");
    private static final String INSTRUCTION = "go to the purple tube";

    private static LocalFleet fleet;
    private static String apiKey;
    private static UUID customerId;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startFleet() throws Exception {
        fleet = new LocalFleet(ROOT);
        fleet.start();
        FleetCustomer customer = FleetCustomer.create(fleet, "Careful Robotics", "pro");
        apiKey = customer.apiKey();
        customerId = customer.id();
        admin("PUT", robot("short-steps"), "{\"max_translation_m\": 0.005, \"max_rotation_rad\": 0.01}", 200);
        admin("PUT", robot("roomy"), "{\"max_translation_m\": 1.0, \"max_rotation_rad\": 1.0, "
                + "\"workspace\": {\"min\": [-1, -1, -1], \"max\": [1, 1, 1]}}", 200);
        admin("PUT", robot("table-edge"), "{\"workspace\": {\"min\": [-0.3, -0.3, 0.0], \"max\": [0.3, 0.3, 0.4]}}", 200);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (fleet != null) {
            fleet.close();
        }
    }

    @Test
    void anActionOverTheProfilesLimitsComesBackClippedFlaggedAndWithTheRawAction() throws Exception {
        double[] model = values(infer("").get("action").get("values"));

        JsonNode answer = infer(", \"robot\": \"short-steps\"");

        double[] sent = values(answer.get("action").get("values"));
        assertArrayEquals(model, values(answer.get("action").get("raw")), 1e-9, "raw is the model's action");
        assertEquals(0.005, Math.hypot(Math.hypot(sent[0], sent[1]), sent[2]), 1e-9, "the step shortened to the limit");
        assertEquals(Math.atan2(model[1], model[0]), Math.atan2(sent[1], sent[0]), 1e-9, "in the model's direction");
        assertEquals(List.of("clipped"), flags(answer));
        assertEquals("short-steps", answer.get("safety").get("robot").asString());
        assertLogged(answer.get("request_id").asString(), 200, sent, model, List.of("clipped"));
    }

    @Test
    void anActionInsideTheLimitsIsSentUnchanged() throws Exception {
        double[] model = values(infer("").get("action").get("values"));

        JsonNode answer = infer(", \"robot\": \"roomy\", \"position\": [0.0, 0.0, 0.2]");

        assertArrayEquals(model, values(answer.get("action").get("values")), 1e-9);
        assertFalse(answer.get("action").has("raw"), answer.toString());
        assertFalse(flags(answer).contains("clipped"), answer.toString());
        assertLogged(answer.get("request_id").asString(), 200, model, null, flags(answer));
    }

    @Test
    void aStepOffTheWorkspaceEndsOnItsEdge() throws Exception {
        double[] model = values(infer("").get("action").get("values"));
        double[] position = {0.3 - model[0] / 2, 0.0, 0.2};

        JsonNode answer = infer(", \"robot\": \"table-edge\", \"position\": [" + position[0] + ", 0.0, 0.2]");

        assertEquals(0.3, position[0] + values(answer.get("action").get("values"))[0], 1e-9);
        assertTrue(flags(answer).containsAll(List.of("clipped", "out_of_workspace")), answer.toString());
    }

    @Test
    void onUnsafeRejectGets422WithTheFlagsAndSendsNothing() throws Exception {
        HttpResponse<String> refused = send(", \"robot\": \"short-steps\", \"on_unsafe\": \"reject\"");

        assertEquals(422, refused.statusCode(), refused.body());
        JsonNode error = JSON.readTree(refused.body()).get("error");
        assertEquals("unsafe_action", error.get("code").asString());
        assertEquals(List.of("clipped"), strings(error.get("details").get("flags")));
        assertEquals(7, error.get("details").get("raw").size());
        assertLogged(error.get("request_id").asString(), 422, null, values(error.get("details").get("raw")), List.of("clipped"));
    }

    @Test
    void anUnknownRobotOrABadSafetyFieldIsA400NamingIt() throws Exception {
        HttpResponse<String> unknown = send(", \"robot\": \"arm-99\"");
        assertEquals(400, unknown.statusCode(), unknown.body());
        assertTrue(unknown.body().contains("\"unknown_robot\"") && unknown.body().contains("arm-99"), unknown.body());

        HttpResponse<String> position = send(", \"robot\": \"roomy\", \"position\": [0.1, 0.2]");
        assertEquals(400, position.statusCode(), position.body());
        assertTrue(position.body().contains("\"invalid_field_value\"") && position.body().contains("position"), position.body());

        HttpResponse<String> onUnsafe = send(", \"on_unsafe\": \"ignore\"");
        assertEquals(400, onUnsafe.statusCode(), onUnsafe.body());
        assertTrue(onUnsafe.body().contains("on_unsafe"), onUnsafe.body());
    }

    private JsonNode infer(String extraFields) throws Exception {
        HttpResponse<String> answer = send(extraFields);
        assertEquals(200, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> send(String extraFields) throws Exception {
        String image = Base64.getEncoder().encodeToString(Files.readAllBytes(SCENE));
        return http.send(HttpRequest.newBuilder(fleet.url("gateway-service", "/v1/inference"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"image\": \"" + image + "\", \"instruction\": \""
                        + INSTRUCTION + "\"" + extraFields + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertLogged(String requestId, int status, double[] action, double[] raw, List<String> flags) {
        await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            try (Connection db = fleet.connect(); PreparedStatement query = db.prepareStatement(
                    "SELECT status_code, action, raw_action, safety_flags FROM inference.inference_logs "
                            + "WHERE request_id = ? AND customer_id = ?")) {
                query.setObject(1, UUID.fromString(requestId));
                query.setObject(2, customerId);
                try (ResultSet row = query.executeQuery()) {
                    assertTrue(row.next(), "request " + requestId + " is logged");
                    assertEquals(status, row.getInt("status_code"));
                    assertArrayEquals(action, doubles(row.getArray("action")), 1e-9);
                    assertArrayEquals(raw, doubles(row.getArray("raw_action")), 1e-9);
                    assertEquals(flags, List.of((String[]) row.getArray("safety_flags").getArray()));
                }
            }
        });
    }

    private static double[] doubles(Array array) throws Exception {
        if (array == null) {
            return null;
        }
        Double[] boxed = (Double[]) array.getArray();
        double[] values = new double[boxed.length];
        for (int i = 0; i < boxed.length; i++) {
            values[i] = boxed[i];
        }
        return values;
    }

    private static List<String> flags(JsonNode answer) {
        return strings(answer.get("safety").get("flags"));
    }

    private static List<String> strings(JsonNode array) {
        List<String> strings = new ArrayList<>();
        array.forEach(item -> strings.add(item.asString()));
        return strings;
    }

    private static double[] values(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asDouble();
        }
        return values;
    }

    private static String robot(String name) {
        return "/admin/v1/customers/" + customerId + "/robots/" + name;
    }

    private static JsonNode admin(String method, String path, String json, int expected) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(fleet.url("customer-service", path))
                .header("Authorization", "Bearer " + fleet.adminToken).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, answer.statusCode(), answer.body());
        return JSON.readTree(answer.body());
    }
}
