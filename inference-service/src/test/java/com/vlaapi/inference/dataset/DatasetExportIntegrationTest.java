package com.vlaapi.inference.dataset;

import static com.vlaapi.inference.support.Gateway.body;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A customer's training dataset of one month: the listing endpoint against the real request log
 * and links in PostgreSQL, and {@code bin/vla export-dataset}'s script run against the booted
 * service with its images in a real S3 server (s3proxy). Only the customer's consented, successful
 * requests of that month, in arrival order, every page of them once, never another customer's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatasetExportIntegrationTest {

    private static final String BUCKET = ServiceWithImageStore.BUCKET;
    private static final String ADMIN_TOKEN = ServiceWithImageStore.ADMIN_TOKEN;
    private static final YearMonth MONTH = YearMonth.of(2030, 2);
    private static final Instant START = MONTH.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    private static final Instant END = MONTH.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);

    /** A request as the robot sent it and as it was answered. */
    record Sent(UUID requestId, byte[] image, String instruction, List<Double> action) {
    }

    record Run(int exitCode, String stdout, String stderr) {
    }

    private ServiceWithImageStore store;
    private TestDatabase database;
    private S3Proxy s3;
    private ConfigurableApplicationContext application;
    private ApiClient service;
    private List<EvalSet.Scene> scenes;
    private UUID customer;
    private UUID otherCustomer;
    /** The customer's requests of MONTH in arrival order, request id breaking the tie of the two at one instant. */
    private List<Sent> expected;

    @TempDir
    Path dir;

    @BeforeAll
    void storeTwoCustomersRequests() throws Exception {
        store = ServiceWithImageStore.start();
        database = store.database();
        s3 = store.s3();
        application = store.application();
        service = store.api();
        scenes = EvalSet.read(RepoPaths.evalSet()).scenes();

        customer = consentingCustomer();
        otherCustomer = consentingCustomer();
        List<Sent> sent = serve(customer, 7);
        List<Sent> othersSent = serve(otherCustomer, 2);
        UUID failed = failedRequest(customer);
        await().atMost(Duration.ofSeconds(30)).until(() -> stored(sent) == 7 && stored(othersSent) == 2
                && logged(failed));
        // A link to a failed request cannot happen today (only successful requests' images are
        // queued); it stands for any row the dataset must leave out although an image is linked.
        database.jdbc().update("""
                INSERT INTO inference.training_images (request_id, customer_id, object_key, stored_at)
                VALUES (?, ?, ?, now())""", failed, customer, customer + "/failed.png");

        // Arrival times at the month's edges and two at one instant (the keyset's tie).
        Instant tie = START.plus(1, ChronoUnit.DAYS);
        arrivedAt(sent.get(0), START);
        arrivedAt(sent.get(1), tie);
        arrivedAt(sent.get(2), tie);
        arrivedAt(sent.get(3), START.plus(2, ChronoUnit.DAYS));
        arrivedAt(sent.get(4), END.minus(1, ChronoUnit.MICROS));
        arrivedAt(sent.get(5), START.minus(1, ChronoUnit.MICROS));
        arrivedAt(sent.get(6), END);
        arrivedAt(othersSent.get(0), START.plus(1, ChronoUnit.DAYS));
        arrivedAt(othersSent.get(1), START.plus(3, ChronoUnit.DAYS));
        database.jdbc().update("UPDATE inference.inference_logs SET \"timestamp\" = ? WHERE request_id = ?",
                tie.atOffset(ZoneOffset.UTC), failed);

        List<Sent> tied = new ArrayList<>(sent.subList(1, 3));
        tied.sort(Comparator.comparing(s -> s.requestId().toString()));  // PostgreSQL orders uuids by their bytes
        expected = List.of(sent.get(0), tied.get(0), tied.get(1), sent.get(3), sent.get(4));
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void theListingPagesThroughTheCustomersConsentedSuccessfulRequestsOfTheMonthOnce() {
        List<JsonNode> pages = new ArrayList<>();
        String after = null;
        do {
            Response page = list(customer, MONTH + "&limit=2" + (after == null ? "" : "&after=" + after));
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            pages.add(page.json());
            after = page.json().path("next_after").isNull() ? null : page.json().path("next_after").asString();
        } while (after != null && pages.size() < 10);

        assertThat(pages).hasSize(3);
        assertThat(pages.get(0).path("total").asLong()).isEqualTo(5);
        assertThat(pages.get(1).path("total").isNull()).as("counted on the first page only").isTrue();
        List<JsonNode> steps = pages.stream().flatMap(p -> p.path("steps").values().stream()).toList();
        assertThat(steps).extracting(s -> UUID.fromString(s.path("request_id").asString()))
                .containsExactlyElementsOf(expected.stream().map(Sent::requestId).toList());
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            Sent sent = expected.get(i);
            assertThat(step.path("instruction").asString()).isEqualTo(sent.instruction());
            assertThat(step.path("action").values()).extracting(JsonNode::asDouble).containsExactlyElementsOf(sent.action());
            assertThat(step.path("object_key").asString()).startsWith(customer + "/").endsWith(sent.requestId() + ".png");
            assertThat(step.path("model").asString()).isEqualTo("tabletop-v1");
            assertThat(step.path("model_version").asString()).isNotBlank();
            assertThat(step.path("unnorm_key").asString()).isEqualTo("tabletop_sim");
            assertThat(step.path("safety_score").isNumber()).isTrue();
            assertThat(step.path("safety_flags").isArray()).isTrue();
            assertThat(step.has("raw_action") && step.has("robot")).isTrue();
        }
        assertThat(steps.get(0).path("timestamp").asString()).isEqualTo(START.toString());
        assertThat(steps.get(4).path("timestamp").asString()).isEqualTo(END.minus(1, ChronoUnit.MICROS).toString());

        Response others = list(otherCustomer, MONTH.toString());
        assertThat(others.json().path("total").asLong()).isEqualTo(2);
        assertThat(others.json().path("steps").values()).allMatch(s ->
                s.path("object_key").asString().startsWith(otherCustomer + "/"));
        assertThat(list(UUID.randomUUID(), MONTH.toString()).json().path("total").asLong()).isZero();
    }

    @Test
    void theListingRefusesWhatItCannotAnswer() {
        Response badLimit = list(customer, MONTH + "&limit=1001");
        Response badCursor = list(customer, MONTH + "&after=yesterday");
        Response badMonth = list(customer, "2030-13");
        Response asGateway = Gateway.calling(service).get("/admin/v1/customers/" + customer + "/dataset?month=" + MONTH);

        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.errorCode()).isEqualTo("invalid_limit");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.errorCode()).isEqualTo("invalid_after");
        assertThat(badMonth.status()).isEqualTo(400);
        assertThat(badMonth.errorCode()).isEqualTo("invalid_month");
        assertThat(asGateway.status()).isEqualTo(401);
        assertThat(asGateway.errorCode()).isEqualTo("missing_admin_token");
    }

    @Test
    void exportDatasetWritesTheImagesTheLinesAndTheReadme() throws Exception {
        Path out = dir.resolve("dataset");

        Run export = export(ADMIN_TOKEN, "--customer", customer.toString(), "--month", MONTH.toString(),
                "--out", out.toString());

        assertThat(export.exitCode()).as(export.stderr()).isZero();
        assertThat(export.stderr()).contains("exporting 5/5 images");
        assertThat(export.stdout()).contains("Written: " + out + " (5 steps");
        List<String> lines = Files.readAllLines(out.resolve("data.jsonl"));
        assertThat(lines).hasSize(expected.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = ApiClient.parse(lines.get(i));
            Sent sent = expected.get(i);
            assertThat(line.path("request_id").asString()).isEqualTo(sent.requestId().toString());
            assertThat(line.path("image").asString()).isEqualTo("images/" + sent.requestId() + ".png");
            assertThat(Files.readAllBytes(out.resolve(line.path("image").asString())))
                    .as("the image as the robot sent it").isEqualTo(sent.image());
            assertThat(line.path("instruction").asString()).isEqualTo(sent.instruction());
            assertThat(line.path("action").values()).extracting(JsonNode::asDouble).containsExactlyElementsOf(sent.action());
            assertThat(line.has("raw_action") && line.has("safety_score") && line.has("safety_flags")
                    && line.has("robot") && line.has("unnorm_key") && line.has("model_version")).isTrue();
        }
        try (Stream<Path> images = Files.list(out.resolve("images"))) {
            assertThat(images.count()).isEqualTo(expected.size());
        }
        assertThat(Files.readString(out.resolve("README.md"))).contains(
                "# Training dataset: customer " + customer + ", " + MONTH, "5 steps", "`tabletop_sim`: 5",
                "bin/vla export-dataset --customer " + customer + " --month " + MONTH, "| `raw_action` |");
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).doesNotContain("dataset.partial");
        }
    }

    @Test
    void exportDatasetSaysWhatToDoWhenItCannotExport() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("existing"));
        Path empty = dir.resolve("empty");

        Run wrongToken = export("not-the-token", "--customer", customer.toString(), "--month", MONTH.toString(),
                "--out", dir.resolve("wrong").toString());
        Run nothingStored = export(ADMIN_TOKEN, "--customer", customer.toString(), "--month", "2030-04",
                "--out", empty.toString());
        Run exists = export(ADMIN_TOKEN, "--customer", customer.toString(), "--month", MONTH.toString(),
                "--out", existing.toString());
        Run badCustomer = export(ADMIN_TOKEN, "--customer", "acme", "--month", MONTH.toString());

        assertThat(wrongToken.exitCode()).isEqualTo(1);
        assertThat(wrongToken.stderr()).contains("rejected the admin token").doesNotContain("not-the-token");
        assertThat(nothingStored.exitCode()).isEqualTo(1);
        assertThat(nothingStored.stderr()).contains("no stored training images in 2030-04", "consented");
        assertThat(empty).doesNotExist();
        assertThat(exists.exitCode()).isEqualTo(1);
        assertThat(exists.stderr()).contains("already exists");
        assertThat(badCustomer.exitCode()).isEqualTo(2);
        assertThat(badCustomer.stderr()).contains("--customer must be a customer id");
    }

    private Run export(String token, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(RepoPaths.root().resolve("deploy/scripts/export-dataset.sh").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().putAll(Map.of(
                "VLA_ADMIN_TOKEN", token,
                "VLA_INFERENCE_URLS", "http://127.0.0.1:" + ((WebServerApplicationContext) application).getWebServer().getPort(),
                // Pages of 2: the script's paging is exercised by five requests.
                "VLA_EXPORT_PAGE_SIZE", "2"));
        // Files, not pipes: a full pipe the test is not reading would block the script.
        Path out = Files.createTempFile(dir, "stdout", ".txt");
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        builder.redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Run run = new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    private Response list(UUID customerId, String monthAndQuery) {
        return service.send(service.request("/admin/v1/customers/" + customerId + "/dataset?month=" + monthAndQuery)
                .header("Authorization", "Bearer " + ADMIN_TOKEN).GET());
    }

    private UUID consentingCustomer() {
        UUID id = UUID.randomUUID();
        database.jdbc().update("""
                INSERT INTO customer.customers (customer_id, company_name, email, tier, monthly_quota, rate_limit_per_minute,
                                                training_images_consent_at)
                VALUES (?, 'Robots Inc', ?, 'pro', 100000, 600, now() - interval '1 hour')""", id, id + "@example.com");
        await().atMost(Duration.ofSeconds(20)).until(() -> probeStored(id));
        return id;
    }

    /**
     * Whether a probe request of the customer had its image stored: the instance re-reads its
     * consenting customers every 200 ms, and a request sent before that stores nothing. The probe
     * stays in the current month, out of the month under test, and its link is removed.
     */
    private boolean probeStored(UUID customerId) {
        Sent probe = serve(customerId, 1).get(0);
        try {
            await().atMost(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(50)).until(() -> database.jdbc()
                    .update("DELETE FROM inference.training_images WHERE request_id = ?", probe.requestId()) == 1);
            return true;
        } catch (ConditionTimeoutException notStored) {
            return false;
        }
    }

    /** Held-out scenes sent for the customer, every one answered 200. */
    private List<Sent> serve(UUID customerId, int n) {
        ApiClient gateway = Gateway.calling(service).withHeader("X-Vla-Customer-Id", customerId.toString());
        List<Sent> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EvalSet.Scene scene = scenes.get((i * 37 + sent.size()) % scenes.size());
            byte[] image = scene.imageBytes();
            Response response = gateway.post("/v1/inference",
                    body("image", Base64.getEncoder().encodeToString(image), "instruction", scene.instruction()));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            List<Double> action = response.json().path("action").path("values").values().stream()
                    .map(JsonNode::asDouble).toList();
            sent.add(new Sent(UUID.fromString(response.json().path("request_id").asString()), image,
                    scene.instruction(), action));
        }
        return sent;
    }

    /** A request the model refused (400): logged, never stored. */
    private UUID failedRequest(UUID customerId) {
        Response response = Gateway.calling(service).withHeader("X-Vla-Customer-Id", customerId.toString())
                .post("/v1/inference", body("image", Base64.getEncoder().encodeToString(scenes.get(0).imageBytes()),
                        "instruction", ""));
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        return UUID.fromString(response.json().path("error").path("request_id").asString());
    }

    private void arrivedAt(Sent request, Instant at) {
        assertThat(database.jdbc().update("UPDATE inference.inference_logs SET \"timestamp\" = ? WHERE request_id = ?",
                at.atOffset(ZoneOffset.UTC), request.requestId())).isEqualTo(1);
    }

    /** How many of these requests are both logged and linked to their stored image. */
    private long stored(List<Sent> requests) {
        return database.jdbc().queryForObject("""
                SELECT count(*) FROM inference.training_images t JOIN inference.inference_logs l USING (request_id)
                WHERE t.request_id = ANY (?)""", Long.class,
                (Object) requests.stream().map(Sent::requestId).toArray(UUID[]::new));
    }

    private boolean logged(UUID requestId) {
        return database.jdbc().queryForObject("SELECT count(*) FROM inference.inference_logs WHERE request_id = ?",
                Long.class, requestId) == 1;
    }
}
