package com.vlaapi.inference.usage;

import static com.vlaapi.inference.support.Gateway.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.vlaapi.inference.support.Gateway;
import com.vlaapi.inference.support.StandaloneApplication;
import com.vlaapi.referencepolicy.eval.EvalSet;
import com.vlaapi.testsupport.database.TestDatabase;
import com.vlaapi.testsupport.http.ApiClient;
import com.vlaapi.testsupport.http.ApiClient.Response;
import com.vlaapi.testsupport.repo.RepoPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The usage pipeline's inference side with the real writer, outbox and relay: billable requests
 * served while billing is down wait in the outbox (also across a restart of the service), and all
 * reach billing once it is up, failed pushes retried; errors never become usage.
 */
class UsageRelayIntegrationTest {

    private TestDatabase database;
    private StubBilling billing;
    private ConfigurableApplicationContext application;

    @BeforeEach
    void setUp() {
        database = TestDatabase.create("inference").withMigrationsOf("customer-service", "customer");
        billing = new StubBilling(Gateway.TOKEN);
    }

    @AfterEach
    void tearDown() {
        if (application != null) {
            application.close();
        }
        billing.close();
        database.drop();
    }

    @Test
    void requestsServedWhileBillingIsDownAllArriveOnceItIsUpEvenAcrossARestart() throws Exception {
        application = start();
        Set<UUID> successes = new HashSet<>();
        successes.addAll(serve(120));
        await().atMost(Duration.ofSeconds(30)).until(() -> logged() == 120 + 120 / 10);

        // Billable requests only, written with their log rows; nothing could be delivered.
        assertThat(outboxIds()).containsExactlyInAnyOrderElementsOf(successes);
        assertThat(successfulLogIds()).containsExactlyInAnyOrderElementsOf(successes);
        assertThat(billing.stored).isEmpty();

        // Restart while billing is still down: the outbox is durable, the relay resumes.
        application.close();
        application = start();
        successes.addAll(serve(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxIds().size() == successes.size());

        billing.failNext.set(2);
        billing.start();

        await().atMost(Duration.ofSeconds(60)).until(() -> billing.stored.size() == successes.size()
                && outboxIds().isEmpty());
        assertThat(billing.stored).containsExactlyInAnyOrderElementsOf(successfulLogIds());
        assertThat(billing.stored).containsExactlyInAnyOrderElementsOf(successes);
        assertThat(billing.rejectedTokens).hasValue(0);
        assertThat(billing.failNext).hasValue(0);
    }

    @Test
    void safetyScoreIsStoredForEverySuccessAndNeverForAnError() throws Exception {
        billing.start();
        application = start();
        serve(40);
        await().atMost(Duration.ofSeconds(30)).until(() -> logged() == 44);

        List<Double> scores = database.jdbc().queryForList(
                "SELECT safety_score FROM inference.inference_logs WHERE status_code = 200", Double.class);
        assertThat(scores).hasSize(40).allSatisfy(s -> assertThat(s).isBetween(0.0, 1.0));
        // The held-out scenes are mostly confident, but not all equally: the score is no constant.
        assertThat(new HashSet<>(scores)).hasSizeGreaterThan(1);
        assertThat(database.jdbc().queryForObject("""
                SELECT count(*) FROM inference.inference_logs WHERE status_code <> 200 AND safety_score IS NOT NULL""",
                Long.class)).isZero();
    }

    private ConfigurableApplicationContext start() {
        return StandaloneApplication.start(database,
                "--vla.billing.url=" + billing.url(),
                "--vla.inference.usage-relay.batch-size=50",
                "--vla.inference.usage-relay.poll-interval=50ms",
                "--vla.inference.usage-relay.max-retry-backoff=500ms");
    }

    /** {@code n} held-out scenes plus one bad request per ten; returns the successful request ids. */
    private List<UUID> serve(int n) {
        int port = ((WebServerApplicationContext) application).getWebServer().getPort();
        ApiClient gateway = Gateway.calling(ApiClient.onPort(port));
        List<EvalSet.Scene> scenes = EvalSet.read(RepoPaths.evalSet()).scenes();
        List<CompletableFuture<Response>> responses = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            EvalSet.Scene scene = scenes.get(i % scenes.size());
            responses.add(gateway.sendAsync(gateway.jsonRequest("POST", "/v1/inference", body("image",
                    Base64.getEncoder().encodeToString(scene.imageBytes()), "instruction", scene.instruction()))));
            if (i % 10 == 0) {
                responses.add(gateway.sendAsync(gateway.jsonRequest("POST", "/v1/inference",
                        body("image", "not base64!", "instruction", "go"))));
            }
        }
        List<UUID> ok = new ArrayList<>();
        for (CompletableFuture<Response> response : responses) {
            Response done = response.join();
            if (done.status() == 200) {
                ok.add(UUID.fromString(done.json().get("request_id").asString()));
            }
        }
        assertThat(ok).hasSize(n);
        return ok;
    }

    private long logged() {
        return database.jdbc().queryForObject("SELECT count(*) FROM inference.inference_logs", Long.class);
    }

    private List<UUID> outboxIds() {
        return database.jdbc().queryForList("SELECT request_id FROM inference.usage_outbox", UUID.class);
    }

    private List<UUID> successfulLogIds() {
        return database.jdbc().queryForList(
                "SELECT request_id FROM inference.inference_logs WHERE status_code = 200", UUID.class);
    }
}
