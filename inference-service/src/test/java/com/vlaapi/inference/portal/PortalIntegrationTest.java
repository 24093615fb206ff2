package com.vlaapi.inference.portal;

import static com.vlaapi.inference.support.Gateway.body;
import static com.vlaapi.inference.support.JsonArrays.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.inference.support.Gateway;
import com.vlaapi.inference.trainingimages.S3Proxy;
import com.vlaapi.inference.trainingimages.ServiceWithImageStore;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * The portal's API as customer-service calls it, with per-caller credentials, against a real
 * PostgreSQL (the request log in two monthly partitions, two customers' requests interleaved) and
 * a real S3 server for the training images (s3proxy), images stored by real requests through the
 * gateway's endpoint. A customer sees only its own requests, newest first; another customer's
 * request looks like one that does not exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PortalIntegrationTest {

    private static final String PORTAL_TOKEN = "test-customer-service-token";
    private static final String BUCKET = ServiceWithImageStore.BUCKET;
    /** Fewer than the customer's rows, so the summary's window is seen to bound it. */
    private static final int WINDOW = 40;
    private static final int ROWS = 150;

    /** A row the test logged, as it expects to read it back. */
    private record Logged(UUID requestId, UUID customerId, Instant timestamp, int statusCode, String errorCode,
                          List<String> flags) {

        boolean flagged(String flag) {
            return flags != null && flags.contains(flag);
        }
    }

    private final UUID customer = UUID.randomUUID();
    private final UUID other = UUID.randomUUID();
    /** This customer's rows, newest first. */
    private final List<Logged> logged = new ArrayList<>();
    private final List<Logged> othersLogged = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private ServiceWithImageStore store;
    private TestDatabase database;
    private S3Proxy s3;
    private ConfigurableApplicationContext application;
    private ApiClient service;
    private ApiClient portal;
    private EvalSet.Scene scene;

    @BeforeAll
    void startAndLog() throws Exception {
        store = ServiceWithImageStore.start(
                "--vla.callers.gateway=" + Gateway.TOKEN,
                "--vla.callers.customer=" + PORTAL_TOKEN,
                "--vla.inference.portal.safety-summary-requests=" + WINDOW,
                "--vla.inference.usage-relay.enabled=false");
        database = store.database();
        s3 = store.s3();
        application = store.application();
        service = store.api();
        portal = service.withHeader("X-Internal-Token", PORTAL_TOKEN);
        scene = EvalSet.read(RepoPaths.evalSet()).scenes().get(0);

        // This month's partition and the next one's, microseconds apart from the other customer's rows.
        Instant start = YearMonth.now(ZoneOffset.UTC).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant nextMonth = start.atOffset(ZoneOffset.UTC).plusMonths(1).toInstant();
        for (int i = 0; i < ROWS; i++) {
            Instant at = (i < ROWS / 2 ? start : nextMonth).plus(Duration.ofMinutes(7L * i)).plus(i * 1001L, ChronoUnit.MICROS);
            logged.add(log(customer, at, i));
            if (i % 3 == 0) {
                othersLogged.add(log(other, at.plus(1, ChronoUnit.MICROS), i));
            }
        }
        logged.sort(Comparator.comparing(Logged::timestamp).reversed());
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void theListIsTheCustomersOwnRequestsNewestFirst() {
        Response response = portal.get(requests(customer, ""));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(ids(response)).as("the default limit, 100, of the customer's own rows")
                .containsExactlyElementsOf(logged.subList(0, 100).stream().map(Logged::requestId).toList());
        JsonNode newest = response.json().path("requests").get(0);
        Logged expected = logged.get(0);
        assertThat(Instant.parse(newest.path("timestamp").asString())).as("to the microsecond").isEqualTo(expected.timestamp());
        assertThat(newest.path("status_code").asInt()).isEqualTo(expected.statusCode());
        assertThat(newest.path("instruction").asString()).isEqualTo("pick up the red cube");
        assertThat(newest.path("model").asString()).isEqualTo("tabletop-v1");
        assertThat(newest.path("image_stored").asBoolean()).isFalse();
        assertThat(newest.path("safety_flags").isArray()).isTrue();
        for (String field : List.of("request_id", "timestamp", "instruction", "status_code", "error_code",
                "total_latency_ms", "safety_score", "safety_flags", "robot", "model", "image_stored")) {
            assertThat(newest.has(field)).as(field).isTrue();
        }
    }

    @Test
    void theStatusFilterAndTheLimitSelectTheRows() {
        Response errors = portal.get(requests(customer, "?status=error"));
        Response ok = portal.get(requests(customer, "?status=ok&limit=30"));
        Response all = portal.get(requests(customer, "?status=all&limit=1"));

        assertThat(ids(errors)).containsExactlyElementsOf(
                logged.stream().filter(row -> row.statusCode() != 200).map(Logged::requestId).toList());
        assertThat(errors.json().path("requests").get(0).path("error_code").asString()).isNotEmpty();
        assertThat(ids(ok)).containsExactlyElementsOf(
                logged.stream().filter(row -> row.statusCode() == 200).limit(30).map(Logged::requestId).toList());
        assertThat(ids(all)).containsExactly(logged.get(0).requestId());
    }

    @Test
    void pagingWithBeforeReadsEveryRequestOnceNewestFirst() {
        for (String status : List.of("all", "error")) {
            List<UUID> read = new ArrayList<>();
            String before = "";
            for (int page = 0; page < ROWS; page++) {
                JsonNode rows = portal.get(requests(customer, "?limit=7&status=" + status + before)).json().path("requests");
                if (rows.isEmpty()) {
                    break;
                }
                assertThat(rows.size()).isLessThanOrEqualTo(7);
                rows.forEach(row -> read.add(UUID.fromString(row.path("request_id").asString())));
                before = "&before=" + rows.get(rows.size() - 1).path("timestamp").asString();
            }
            assertThat(read).as(status).containsExactlyElementsOf(logged.stream()
                    .filter(row -> status.equals("all") || row.statusCode() != 200).map(Logged::requestId).toList());
        }
    }

    @Test
    void aRequestInFull() {
        Logged clipped = logged.stream().filter(row -> row.flagged("clipped")).findFirst().orElseThrow();

        Response response = portal.get(requests(customer, "/" + clipped.requestId()));

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode detail = response.json();
        assertThat(detail.path("request_id").asString()).isEqualTo(clipped.requestId().toString());
        assertThat(Instant.parse(detail.path("timestamp").asString())).isEqualTo(clipped.timestamp());
        assertThat(detail.path("status_code").asInt()).isEqualTo(200);
        assertThat(detail.path("error_code").isNull()).isTrue();
        assertThat(strings(detail.path("safety_flags"))).containsExactlyElementsOf(clipped.flags());
        assertThat(detail.path("action")).hasSize(7);
        assertThat(detail.path("action").get(0).asDouble()).isEqualTo(0.05);
        assertThat(detail.path("raw_action").get(0).asDouble()).isEqualTo(0.08);
        assertThat(detail.path("safety_score").asDouble()).isEqualTo(0.75);
        assertThat(detail.path("total_latency_ms").asDouble()).isEqualTo(20.5);
        assertThat(detail.path("inference_latency_ms").asDouble()).isEqualTo(2.5);
        assertThat(detail.path("robot").asString()).isEqualTo("ur5");
        assertThat(detail.path("model").asString()).isEqualTo("tabletop-v1");
        assertThat(detail.path("image_width").asInt()).isEqualTo(224);
        assertThat(detail.path("image_height").asInt()).isEqualTo(224);
        assertThat(detail.path("image_bytes").asInt()).isEqualTo(48213);
        assertThat(detail.path("api_key_id").asString()).isEqualTo(Gateway.API_KEY.toString());
        assertThat(detail.path("image_stored").asBoolean()).isFalse();

        Logged error = logged.stream().filter(row -> row.statusCode() != 200).findFirst().orElseThrow();
        JsonNode failed = portal.get(requests(customer, "/" + error.requestId())).json();
        assertThat(failed.path("error_code").asString()).isEqualTo(error.errorCode());
        assertThat(failed.path("action").isNull()).isTrue();
        assertThat(failed.path("safety_flags")).isEmpty();
    }

    @Test
    void anotherCustomersRequestIsAnsweredLikeOneThatDoesNotExist() {
        Response othersRequest = portal.get(requests(customer, "/" + othersLogged.get(0).requestId()));
        Response unknown = portal.get(requests(customer, "/" + UUID.randomUUID()));

        for (Response response : List.of(othersRequest, unknown)) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.errorCode()).isEqualTo("request_not_found");
            assertThat(response.errorType()).isEqualTo("not_found_error");
            assertThat(response.json().properties()).extracting(Map.Entry::getKey).as("no data").containsExactly("error");
        }
        assertThat(portal.get(requests(other, "")).json().path("requests"))
                .extracting(row -> UUID.fromString(row.path("request_id").asString()))
                .containsExactlyElementsOf(othersLogged.stream().sorted(Comparator.comparing(Logged::timestamp).reversed())
                        .map(Logged::requestId).toList());
    }

    @Test
    void malformedIdsAndParametersAreRefusedNamingTheParameter() {
        assertRefused(requests(customer, "?limit=0"), "invalid_limit");
        assertRefused(requests(customer, "?limit=101"), "invalid_limit");
        assertRefused(requests(customer, "?limit=ten"), "invalid_limit");
        assertRefused(requests(customer, "?status=failed"), "invalid_status");
        assertRefused(requests(customer, "?before=yesterday"), "invalid_before");
        assertRefused("/internal/v1/customers/not-a-uuid/requests", "invalid_customer_id");
        assertRefused("/internal/v1/customers/not-a-uuid/safety-summary", "invalid_customer_id");
        assertRefused(requests(customer, "/42"), "invalid_request_id");
        assertRefused(requests(customer, "/42/image"), "invalid_request_id");
    }

    @Test
    void theSafetySummaryCountsTheReviewedAmongTheCustomersLastRequests() {
        Response response = portal.get("/internal/v1/customers/" + customer + "/safety-summary");

        assertThat(response.status()).as(response.body()).isEqualTo(200);
        JsonNode summary = response.json();
        List<Logged> window = logged.subList(0, WINDOW);
        long reviewed = window.stream().filter(row -> row.flags() != null).count();
        long clipped = window.stream().filter(row -> row.flagged("clipped")).count();
        long novel = window.stream().filter(row -> row.flagged("out_of_distribution")).count();
        assertThat(reviewed).isLessThan(WINDOW);
        assertThat(clipped).isPositive();
        assertThat(novel).isPositive();
        // Counted straight from the log, the window being the rows from its oldest on.
        assertThat(database.jdbc().queryForList("""
                SELECT count(*) FILTER (WHERE safety_flags IS NOT NULL) AS reviewed,
                       count(*) FILTER (WHERE 'clipped' = ANY (safety_flags)) AS clipped,
                       count(*) FILTER (WHERE 'out_of_distribution' = ANY (safety_flags)) AS novel
                FROM inference.inference_logs WHERE customer_id = ? AND "timestamp" >= ?""", customer,
                OffsetDateTime.ofInstant(window.get(WINDOW - 1).timestamp(), ZoneOffset.UTC)).get(0).values())
                .containsExactly(reviewed, clipped, novel);
        assertThat(summary.path("window").asString()).isEqualTo("last " + WINDOW + " requests");
        assertThat(summary.path("requests").asLong()).isEqualTo(reviewed);
        assertThat(summary.path("clipped").asLong()).isEqualTo(clipped);
        assertThat(summary.path("out_of_distribution").asLong()).isEqualTo(novel);
        assertThat(summary.path("clipped_share").asDouble()).isEqualTo((double) clipped / reviewed);
        assertThat(summary.path("out_of_distribution_share").asDouble()).isEqualTo((double) novel / reviewed);

        JsonNode none = portal.get("/internal/v1/customers/" + UUID.randomUUID() + "/safety-summary").json();
        assertThat(none.path("requests").asLong()).isZero();
        assertThat(none.path("clipped_share").asDouble()).isZero();
    }

    @Test
    void aStoredImageOnlyForTheCustomerWhoConsentedAndOnlyToIt() {
        UUID consenting = consentingCustomer(true);
        UUID notConsenting = consentingCustomer(false);
        UUID notStored = serve(notConsenting);
        // The instance re-reads the consenting customers every 200 ms, and uploads one image at a time
        // in arrival order: the consenting customer's first stored image comes after the other's would have.
        UUID stored = await().atMost(Duration.ofSeconds(60)).until(() -> {
            serve(consenting);
            return storedImage(consenting);
        }, Optional::isPresent).orElseThrow();
        byte[] sent = s3.client().getObjectAsBytes(r -> r.bucket(BUCKET).key(objectKey(stored))).asByteArray();

        HttpResponse<byte[]> image = image(consenting, stored);
        assertThat(image.statusCode()).isEqualTo(200);
        assertThat(image.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(image.body()).isEqualTo(sent);
        // The log rows reach the database in batches, after the answers: waited for, not assumed.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                portal.get(requests(consenting, "/" + stored)).json().path("image_stored").asBoolean()).isTrue());
        assertThat(StreamSupport.stream(portal.get(requests(consenting, "")).json().path("requests").spliterator(), false)
                .filter(row -> row.path("request_id").asString().equals(stored.toString())))
                .singleElement().satisfies(row -> assertThat(row.path("image_stored").asBoolean()).isTrue());

        for (HttpResponse<byte[]> refused : List.of(image(notConsenting, notStored), image(notConsenting, stored),
                image(customer, logged.get(0).requestId()), image(consenting, UUID.randomUUID()))) {
            assertThat(refused.statusCode()).isEqualTo(404);
            assertThat(ApiClient.parse(new String(refused.body())).path("error").path("code").asString())
                    .isEqualTo("training_image_not_found");
        }
    }

    @Test
    void onlyCustomerServicesCredentialOpensThePortalAndNothingElse() {
        String path = requests(customer, "?limit=1");

        Response none = service.get(path);
        Response unknown = service.withHeader("X-Internal-Token", "not-a-token").get(path);
        Response gateway = Gateway.calling(service).get(path);
        Response customerService = portal.get(path);

        assertThat(none.status()).isEqualTo(401);
        assertThat(none.errorCode()).isEqualTo("missing_internal_token");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.errorCode()).isEqualTo("invalid_internal_token");
        assertThat(gateway.status()).isEqualTo(403);
        assertThat(gateway.errorCode()).isEqualTo("caller_not_allowed");
        assertThat(Gateway.calling(service).get(requests(customer, "/" + logged.get(0).requestId())).status()).isEqualTo(403);
        assertThat(customerService.status()).isEqualTo(200);

        // customer-service's credential opens none of the gateway's endpoints.
        ApiClient asGateway = portal.withHeader("X-Vla-Customer-Id", customer.toString());
        for (Response refused : List.of(
                asGateway.post("/v1/inference", body("image", "aGVsbG8=", "instruction", "pick up the red cube")),
                portal.get("/internal/v1/usage/" + customer + "?month=" + YearMonth.now(ZoneOffset.UTC)),
                portal.post("/internal/v1/request-outcomes", body("request_ids", List.of(logged.get(0).requestId()))))) {
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.errorCode()).isEqualTo("caller_not_allowed");
        }
        assertThat(Gateway.calling(service).get("/internal/v1/usage/" + customer + "?month=" + YearMonth.now(ZoneOffset.UTC))
                .status()).isEqualTo(200);
    }

    /**
     * One row of the request log, as the service writes it: every tenth an error (400, and every
     * 25th a 503), the others reviewed, every sixth clipped and every ninth out of distribution.
     */
    private Logged log(UUID customerId, Instant at, int i) {
        int status = i % 10 == 3 ? 400 : i % 25 == 7 ? 503 : 200;
        String errorCode = status == 400 ? "not_an_image" : status == 503 ? "overloaded" : null;
        List<String> flags = null;
        if (status == 200) {
            flags = new ArrayList<>();
            if (i % 6 == 0) {
                flags.add("clipped");
            }
            if (i % 9 == 0) {
                flags.add("out_of_distribution");
            }
        }
        boolean ok = status == 200;
        boolean clipped = flags != null && flags.contains("clipped");
        UUID requestId = UUID.randomUUID();
        database.jdbc().update("""
                INSERT INTO inference.inference_logs (request_id, customer_id, api_key_id, "timestamp", model, model_version,
                    unnorm_key, instruction, action, inference_latency_ms, total_latency_ms, status_code, error_code,
                    image_bytes, image_width, image_height, batch_size, safety_score, robot, raw_action, safety_flags)
                VALUES (?, ?, ?, ?, 'tabletop-v1', '1.0.0', 'tabletop_sim', 'pick up the red cube', ?, ?, 20.5, ?, ?,
                        48213, 224, 224, 1, ?, ?, ?, ?)""",
                requestId, customerId, Gateway.API_KEY, OffsetDateTime.ofInstant(at, ZoneOffset.UTC),
                ok ? new double[] {0.05, 0, 0, 0, 0, 0, 1} : null, ok ? 2.5 : null, status, errorCode,
                ok ? 0.75 : null, ok ? "ur5" : null, clipped ? new double[] {0.08, 0, 0, 0, 0, 0, 1} : null,
                flags == null ? null : flags.toArray(String[]::new));
        return new Logged(requestId, customerId, at, status, errorCode, flags);
    }

    /** A customer as customer-service stores it, consenting to training images since an hour ago or not at all. */
    private UUID consentingCustomer(boolean consents) {
        UUID id = UUID.randomUUID();
        database.jdbc().update("""
                INSERT INTO customer.customers (customer_id, company_name, email, tier, monthly_quota, rate_limit_per_minute,
                                                training_images_consent_at)
                VALUES (?, 'Robots Inc', ?, 'pro', 100000, 600, CASE WHEN ? THEN now() - interval '1 hour' END)""",
                id, id + "@example.com", consents);
        return id;
    }

    /** A held-out scene sent for the customer through the gateway's endpoint, answered 200; its request id. */
    private UUID serve(UUID customerId) {
        Response response = Gateway.calling(service).withHeader("X-Vla-Customer-Id", customerId.toString())
                .post("/v1/inference", body("image", Base64.getEncoder().encodeToString(scene.imageBytes()),
                        "instruction", scene.instruction()));
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return UUID.fromString(response.json().path("request_id").asString());
    }

    private Optional<UUID> storedImage(UUID customerId) {
        return database.jdbc().queryForList("SELECT request_id FROM inference.training_images WHERE customer_id = ?",
                UUID.class, customerId).stream().findFirst();
    }

    private String objectKey(UUID requestId) {
        return database.jdbc().queryForObject("SELECT object_key FROM inference.training_images WHERE request_id = ?",
                String.class, requestId);
    }

    private HttpResponse<byte[]> image(UUID customerId, UUID requestId) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + ((WebServerApplicationContext) application).getWebServer().getPort()
                            + requests(customerId, "/" + requestId + "/image")))
                    .header("X-Internal-Token", PORTAL_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private void assertRefused(String path, String code) {
        Response response = portal.get(path);
        assertThat(response.status()).as(path + ": " + response.body()).isEqualTo(400);
        assertThat(response.errorCode()).as(path).isEqualTo(code);
        assertThat(response.errorType()).isEqualTo("invalid_request_error");
    }

    private static String requests(UUID customerId, String rest) {
        return "/internal/v1/customers/" + customerId + "/requests" + rest;
    }

    private static List<UUID> ids(Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        return StreamSupport.stream(response.json().path("requests").spliterator(), false)
                .map(row -> UUID.fromString(row.path("request_id").asString())).toList();
    }
}
