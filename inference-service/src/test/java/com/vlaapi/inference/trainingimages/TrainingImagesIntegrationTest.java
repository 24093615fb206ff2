package com.vlaapi.inference.trainingimages;

import static com.vlaapi.inference.support.Gateway.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.inference.support.Gateway;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Training images end to end: inference-service as the gateway calls it, its request log in a real
 * PostgreSQL, the consent in customer-service's real customers_v1, the images in a real S3 server
 * (s3proxy, its own process). Stored only for the customer who consented, downloadable, erased on
 * request with their links, swept after the retention; storage that is down costs requests nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainingImagesIntegrationTest {

    private static final String BUCKET = ServiceWithImageStore.BUCKET;
    private static final String ADMIN_TOKEN = ServiceWithImageStore.ADMIN_TOKEN;

    private ServiceWithImageStore store;
    private TestDatabase database;
    private S3Proxy s3;
    private ConfigurableApplicationContext application;
    private ApiClient service;
    private List<EvalSet.Scene> scenes;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    void startEverything() throws Exception {
        store = ServiceWithImageStore.start(
                "--vla.inference.training-images.request-timeout=2s");
        database = store.database();
        s3 = store.s3();
        application = store.application();
        service = store.api();
        scenes = EvalSet.read(RepoPaths.evalSet()).scenes();
    }

    @AfterAll
    void stopEverything() throws Exception {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void anOptedInCustomersImagesAreStoredAndDownloadableAnOptedOutCustomersNeverUntilErased() throws Exception {
        UUID optedIn = customer(true);
        UUID optedOut = customer(false);
        awaitConsentKnown(optedIn);

        Map<UUID, byte[]> sentByOptedOut = serve(optedOut, 6);
        Map<UUID, byte[]> sentByOptedIn = serve(optedIn, 6);
        await().atMost(Duration.ofSeconds(30)).until(() -> links(optedIn) == 6);
        // One thread uploads in arrival order: with the later opted-in images stored, an opted-out
        // image would have been too.
        assertThat(s3.keys(BUCKET)).filteredOn(key -> key.startsWith(optedOut + "/")).isEmpty();
        assertThat(links(optedOut)).isZero();
        assertThat(s3.keys(BUCKET)).filteredOn(key -> key.startsWith(optedIn + "/")).hasSize(6)
                .allMatch(key -> key.matches(optedIn + "/\\d{4}-\\d{2}-\\d{2}/[0-9a-f-]{36}\\.png"));
        // The log rows reach the database in batches, after the answers: waited for, not assumed.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(database.jdbc().queryForObject("""
                SELECT count(*) FROM inference.training_images t
                JOIN inference.inference_logs l USING (request_id)
                WHERE t.customer_id = ? AND l.customer_id = t.customer_id AND l.status_code = 200
                  AND t.object_key = t.customer_id || '/' || to_char(l."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD')
                                     || '/' || t.request_id || '.png'""", Long.class, optedIn))
                .as("each link names its logged request's object").isEqualTo(6));
        for (Map.Entry<UUID, byte[]> sent : sentByOptedIn.entrySet()) {
            HttpResponse<byte[]> download = download(optedIn, sent.getKey());
            assertThat(download.statusCode()).isEqualTo(200);
            assertThat(download.headers().firstValue("Content-Type")).hasValue("image/png");
            assertThat(download.body()).isEqualTo(sent.getValue());
        }
        UUID someoneElsesRequest = sentByOptedIn.keySet().iterator().next();
        assertThat(download(optedOut, someoneElsesRequest).statusCode()).as("scoped to the customer in the path").isEqualTo(404);
        assertThat(download(optedOut, sentByOptedOut.keySet().iterator().next()).statusCode()).isEqualTo(404);

        Response erased = admin(HttpRequest.newBuilder(adminUri(optedIn, "")).DELETE());
        assertThat(erased.status()).isEqualTo(200);
        assertThat(erased.json().path("images_deleted").asInt()).isEqualTo(6);
        assertThat(s3.keys(BUCKET)).filteredOn(key -> key.startsWith(optedIn + "/")).isEmpty();
        assertThat(links(optedIn)).isZero();
        assertThat(download(optedIn, someoneElsesRequest).statusCode()).isEqualTo(404);
        assertThat(metric("vla_training_images_stored_total(\\{[^}]*\\})?")).isGreaterThanOrEqualTo(6);
    }

    @Test
    void theAdminApiWantsTheAdminTokenNotTheGateways() {
        UUID customer = customer(true);
        Response asGateway = Gateway.calling(service).send(Gateway.calling(service)
                .request("/admin/v1/customers/" + customer + "/training-images").DELETE());
        Response wrongToken = service.send(service.request("/admin/v1/customers/" + customer + "/training-images")
                .header("Authorization", "Bearer not-the-token").DELETE());

        assertThat(asGateway.status()).isEqualTo(401);
        assertThat(asGateway.errorCode()).isEqualTo("missing_admin_token");
        assertThat(wrongToken.status()).isEqualTo(401);
        assertThat(wrongToken.errorCode()).isEqualTo("invalid_admin_token");
    }

    @Test
    void aRequestTheConsentDoesNotCoverAtUploadTimeStoresNothing() {
        // Consent recorded after these requests arrive: the customer is in the instance's set, so its
        // images are queued, and the re-check at upload (the same one that catches a consent
        // withdrawn meanwhile) drops them.
        UUID customer = customer(true);
        database.jdbc().update("""
                UPDATE customer.customers SET training_images_consent_at = now() + interval '1 hour'
                WHERE customer_id = ?""", customer);
        awaitConsentKnown(customer);
        double droppedBefore = dropped("no_consent");

        serve(customer, 3);

        await().atMost(Duration.ofSeconds(30)).until(() -> dropped("no_consent") >= droppedBefore + 3);
        assertThat(links(customer)).isZero();
        assertThat(s3.keys(BUCKET)).filteredOn(key -> key.startsWith(customer + "/")).isEmpty();
    }

    @Test
    void theRetentionSweepDeletesImagesStoredLongerAgoThanTheRetention() {
        UUID customer = customer(true);
        awaitConsentKnown(customer);
        List<UUID> requests = new ArrayList<>(serve(customer, 2).keySet());
        await().atMost(Duration.ofSeconds(30)).until(() -> links(customer) == 2);
        database.jdbc().update("""
                UPDATE inference.training_images SET stored_at = stored_at - interval '91 days' WHERE request_id = ?""",
                requests.get(0));

        application.getBean(TrainingImages.class).sweep();

        assertThat(links(customer)).isEqualTo(1);
        assertThat(download(customer, requests.get(0)).statusCode()).isEqualTo(404);
        assertThat(download(customer, requests.get(1)).statusCode()).isEqualTo(200);
        assertThat(s3.keys(BUCKET)).filteredOn(key -> key.startsWith(customer + "/")).hasSize(1);
    }

    @Test
    void storageThatIsDownCostsRequestsNothingItsImagesAreDroppedAndCounted() throws Exception {
        UUID customer = customer(true);
        awaitConsentKnown(customer);
        double droppedBefore = dropped("storage_error");
        s3.stop();
        try {
            Map<UUID, byte[]> served = serve(customer, 5);

            assertThat(served).hasSize(5);
            await().atMost(Duration.ofSeconds(60)).until(() -> dropped("storage_error") >= droppedBefore + 5);
            assertThat(links(customer)).isZero();
        } finally {
            s3.start();
        }
        // Back up: the next images are stored again.
        serve(customer, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> links(customer) == 1);
    }

    /** A customer as customer-service stores it, consenting since an hour ago or not at all. */
    private UUID customer(boolean consents) {
        UUID id = UUID.randomUUID();
        database.jdbc().update("""
                INSERT INTO customer.customers (customer_id, company_name, email, tier, monthly_quota, rate_limit_per_minute,
                                                training_images_consent_at)
                VALUES (?, 'Robots Inc', ?, 'pro', 100000, 600, CASE WHEN ? THEN now() - interval '1 hour' END)""",
                id, id + "@example.com", consents);
        return id;
    }

    /** Until the instance has re-read its set of consenting customers since the customer was stored. */
    private void awaitConsentKnown(UUID customer) {
        await().atMost(Duration.ofSeconds(10)).until(() ->
                application.getBean(TrainingImages.class).consents(customer));
    }

    /** Held-out scenes sent for the customer, every one answered 200; their request ids and image bytes. */
    private Map<UUID, byte[]> serve(UUID customer, int n) {
        ApiClient gateway = Gateway.calling(service).withHeader("X-Vla-Customer-Id", customer.toString());
        Map<UUID, byte[]> sent = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            EvalSet.Scene scene = scenes.get((int) (Math.random() * scenes.size()));
            byte[] image = scene.imageBytes();
            Response response = gateway.post("/v1/inference",
                    body("image", Base64.getEncoder().encodeToString(image), "instruction", scene.instruction()));
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            sent.put(UUID.fromString(response.json().path("request_id").asString()), image);
        }
        return sent;
    }

    private long links(UUID customer) {
        return database.jdbc().queryForObject("SELECT count(*) FROM inference.training_images WHERE customer_id = ?",
                Long.class, customer);
    }

    private URI adminUri(UUID customer, String rest) {
        return URI.create("http://127.0.0.1:" + ((WebServerApplicationContext) application).getWebServer().getPort()
                + "/admin/v1/customers/" + customer + "/training-images" + rest);
    }

    private HttpResponse<byte[]> download(UUID customer, UUID request) {
        try {
            return http.send(HttpRequest.newBuilder(adminUri(customer, "/" + request))
                    .header("Authorization", "Bearer " + ADMIN_TOKEN).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Response admin(HttpRequest.Builder request) {
        return service.send(request.header("Authorization", "Bearer " + ADMIN_TOKEN));
    }

    private double dropped(String reason) {
        return metric("vla_training_images_dropped_total\\{[^}]*reason=\"" + reason + "\"[^}]*\\}");
    }

    private double metric(String namePattern) {
        String scrape = service.get("/actuator/prometheus").body();
        Matcher line = Pattern.compile("(?m)^" + namePattern + " (?<value>[0-9.eE+-]+)$").matcher(scrape);
        if (!line.find()) {
            throw new AssertionError("no " + namePattern + " in the scrape");
        }
        return Double.parseDouble(line.group("value"));
    }
}
