package com.vlaapi.inference.requestlog;

import static com.vlaapi.inference.support.Gateway.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.vlaapi.inference.support.Gateway;
import com.vlaapi.inference.support.StandaloneApplication;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Billing must not lose a request because the service was stopped: closing the application lets
 * in-flight requests finish, then drains the request-log queue into the database. The test starts and closes the application
 * itself (not through Spring's test context cache, which must never see a context closed under it).
 */
class RequestLogShutdownIntegrationTest {

    private static final int REQUESTS = 200;

    private TestDatabase database;
    private ConfigurableApplicationContext application;

    @BeforeEach
    void startApplication() {
        database = TestDatabase.create("inference").withMigrationsOf("customer-service", "customer");
        application = StandaloneApplication.start(database,
                // Nothing is flushed on its own before close: every row must come from the shutdown drain.
                "--vla.inference.request-log.flush-interval=1h",
                "--vla.inference.request-log.batch-size=1000");
    }

    @AfterEach
    void dropDatabase() {
        application.close();
        database.drop();
    }

    @Test
    void everyAcceptedRequestIsStoredWhenTheServiceStopsMidTraffic() {
        int port = ((WebServerApplicationContext) application).getWebServer().getPort();
        ApiClient gateway = Gateway.calling(ApiClient.onPort(port));
        List<EvalSet.Scene> scenes = EvalSet.read(RepoPaths.evalSet()).scenes();
        List<CompletableFuture<Response>> inFlight = IntStream.range(0, REQUESTS)
                .mapToObj(i -> scenes.get(i % scenes.size()))
                .map(scene -> gateway.sendAsync(gateway.jsonRequest("POST", "/v1/inference", body("image",
                        Base64.getEncoder().encodeToString(scene.imageBytes()), "instruction", scene.instruction()))))
                .toList();
        await().atMost(Duration.ofSeconds(60)).until(() -> inFlight.stream().filter(CompletableFuture::isDone).count()
                >= REQUESTS / 10);
        assertEquals(0, storedIds().size(), "rows are still queued, waiting for the (1 h) flush");

        // Stop while requests are still in flight: the ones the server accepted finish and are logged.
        application.close();

        Set<UUID> accepted = new HashSet<>();
        for (CompletableFuture<Response> response : inFlight) {
            Response done = response.exceptionally(refusedDuringShutdown -> null).join();
            if (done != null && done.status() == 200) {
                accepted.add(UUID.fromString(done.json().get("request_id").asString()));
            }
        }
        assertThat(accepted).hasSizeGreaterThanOrEqualTo(REQUESTS / 10);
        // A superset: a request can be handled and logged while its client gives up on the response.
        assertThat(storedIds()).doesNotHaveDuplicates().containsAll(accepted);
    }

    private List<UUID> storedIds() {
        return database.jdbc().queryForList("SELECT request_id FROM inference.inference_logs", UUID.class);
    }
}
