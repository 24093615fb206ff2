package com.vlaapi.bench;

import static com.vlaapi.bench.RepositoryFiles.ROOT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.referencepolicy.eval.EvalSet;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * deploy/nginx in front of two gateways, started as {@code bin/vla up --tls} starts it (Debian's
 * nginx through deploy/scripts/nginx.sh, with the self-signed certificate it generates, which the
 * clients here trust and verify): traffic reaches both gateways, each gateway's request id reaches
 * the client as it is, a gateway killed with SIGKILL during 1,000 concurrent requests costs the
 * clients no error, TLS 1.0, 1.1 and ciphers without forward secrecy are refused, and clients get
 * HTTP/2.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsLoadBalancerIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECOND = "gateway-service-2";

    @TempDir
    static Path nginxDir;
    private static LocalFleet fleet;
    private static int tlsPort;
    private static HttpClient https;
    private static String key;
    private static String body;

    @BeforeAll
    static void startTwoGatewaysBehindNginx() throws Exception {
        // The gateways take the client's address from nginx's X-Forwarded-For, as bin/vla up --tls has them.
        fleet = new LocalFleet(ROOT).configure("gateway-service", Map.of("VLA_GATEWAY_TRUSTED_PROXIES", "127.0.0.1"));
        fleet.start();
        fleet.startExtra(SECOND, "gateway-service", Map.of());
        tlsPort = LocalFleet.freePort();
        nginx("start");
        https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(trusting(nginxDir.resolve("tls/cert.pem"))).build();
        EvalSet.Scene scene = EvalSet.read(ROOT.resolve("reference-policy/evalsets/tabletop-v1")).scenes().get(0);
        body = "{\"image\": \"" + Base64.getEncoder().encodeToString(scene.imageBytes())
                + "\", \"instruction\": \"" + scene.instruction() + "\"}";
        key = FleetCustomer.create(fleet, "Behind nginx", "enterprise").apiKey();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (tlsPort != 0) {
                nginx("stop");
            }
        } finally {
            if (fleet != null) {
                fleet.close();
            }
        }
    }

    @Test
    @Order(1)
    void trafficReachesBothGatewaysAndEachRequestIdReachesTheClientUnchanged() throws Exception {
        Map<String, String> servedBy = new TreeMap<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> answer = infer();
            assertEquals(200, answer.statusCode(), answer.body());
            assertEquals(HttpClient.Version.HTTP_2, answer.version(), "HTTP/2 negotiated (ALPN h2)");
            assertEquals("max-age=31536000", answer.headers().firstValue("Strict-Transport-Security").orElse(""));
            String requestId = answer.headers().firstValue("X-Request-Id").orElseThrow();
            assertEquals(requestId, JSON.readTree(answer.body()).path("request_id").asString());
            servedBy.put(requestId, "");
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Map<String, JsonNode> logged = nginxLog().stream().filter(line -> servedBy.containsKey(line.path("request_id").asString()))
                    .collect(Collectors.toMap(line -> line.path("request_id").asString(), Function.identity()));
            assertEquals(servedBy.keySet(), logged.keySet(), "nginx logged each request with the id its client got");
            logged.forEach((id, line) -> servedBy.put(id, line.path("upstream_addr").asString()));
        });
        Map<String, Long> perGateway = servedBy.values().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertEquals(Set.of(address("gateway-service"), address(SECOND)), perGateway.keySet(),
                "nginx's access log: requests per gateway " + perGateway);
        // Each gateway's own access log has the requests nginx says it sent there, under the same ids.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (String gateway : List.of("gateway-service", SECOND)) {
                List<String> idsInItsLog = gatewayAccessLog(gateway).stream().map(line -> line.path("request_id").asString()).toList();
                servedBy.forEach((id, upstream) -> assertEquals(upstream.equals(address(gateway)), idsInItsLog.contains(id),
                        id + " served by " + upstream + ", in " + gateway + "'s log"));
            }
        });
        JsonNode line = nginxLog().get(nginxLog().size() - 1);
        assertEquals("HTTP/2.0", line.path("protocol").asString());
        assertTrue(line.path("request_time").isNumber() && !line.path("upstream_response_time").asString().isEmpty(), line.toString());
    }

    @Test
    @Order(2)
    void http2IsNegotiatedByAlpn() throws Exception {
        Handshake handshake = handshake("-tls1_3", "-alpn", "h2,http/1.1");
        assertEquals(0, handshake.exitCode(), handshake.output());
        assertTrue(handshake.output().contains("ALPN protocol: h2"), handshake.output());
    }

    /** Java 17 will not offer TLS 1.0 or 1.1 at all, so openssl offers them, at the lowest security level it has. */
    @Test
    @Order(3)
    void tls10And11AndCiphersWithoutForwardSecrecyAreRefused() throws Exception {
        for (String version : List.of("-tls1", "-tls1_1")) {
            Handshake refused = handshake(version, "-cipher", "DEFAULT@SECLEVEL=0");
            assertNotEquals(0, refused.exitCode(), version + " handshake completed:\n" + refused.output());
            // The server's alert, not the client giving up on its own: nginx saw the offer and refused it.
            assertTrue(refused.output().contains("alert protocol version"), version + ":\n" + refused.output());
        }
        Handshake staticRsa = handshake("-tls1_2", "-cipher", "AES128-SHA:@SECLEVEL=0");
        assertNotEquals(0, staticRsa.exitCode(), "TLS 1.2 with static RSA key exchange:\n" + staticRsa.output());
        assertTrue(staticRsa.output().contains("alert handshake failure"), staticRsa.output());
        for (String version : List.of("-tls1_2", "-tls1_3")) {
            Handshake accepted = handshake(version);
            assertEquals(0, accepted.exitCode(), version + ":\n" + accepted.output());
            assertTrue(accepted.output().contains("Verify return code: 0 (ok)"), "the certificate verifies:\n" + accepted.output());
        }
    }

    /**
     * 8 clients send 1,000 requests; once a quarter are answered the second gateway is killed
     * (SIGKILL, as in a crash). nginx retries the requests that gateway held or refused on the
     * other one: every client gets a 200. How many were retried is printed, from nginx's log.
     */
    @Test
    @Order(4)
    void killingOneGatewayDuringAThousandRequestsCostsClientsNothing() throws Exception {
        int total = 1_000;
        int logLinesBefore = nginxLog().size();
        AtomicInteger next = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        Map<Integer, String> failures = new ConcurrentHashMap<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            running.add(clients.submit(() -> {
                for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    try {
                        HttpResponse<String> answer = infer();
                        if (answer.statusCode() != 200) {
                            failures.put(i, answer.statusCode() + " " + answer.body());
                        }
                    } catch (IOException | InterruptedException e) {
                        failures.put(i, e.toString());
                    }
                    answered.incrementAndGet();
                }
            }));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> answered.get() >= total / 4);
        int answeredAtKill = answered.get();
        fleet.kill(SECOND);
        clients.shutdown();
        assertTrue(clients.awaitTermination(5, TimeUnit.MINUTES), "the clients finished");
        for (Future<?> client : running) {
            client.get();
        }

        assertEquals(Map.of(), failures, "client errors (request number: status and body, or exception)");
        assertTrue(answeredAtKill < total * 3 / 4, "the gateway died while requests were still coming: " + answeredAtKill);

        // nginx logs a request once its answer is sent, so the last lines may come a moment after their answers.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertEquals(total, inferenceLines(logLinesBefore).size(),
                "nginx's log lines for the run's requests"));
        List<JsonNode> run = inferenceLines(logLinesBefore);
        long retried = run.stream().filter(line -> line.path("upstream_addr").asString().contains(",")).count();
        long bySecond = run.stream().filter(line -> line.path("upstream_addr").asString().equals(address(SECOND))).count();
        System.out.printf("TlsLoadBalancerIT: %d requests from 8 clients, %s killed after %d answers; it answered %d, "
                + "%d were retried on the other gateway, %d client errors%n", total, SECOND, answeredAtKill, bySecond, retried, failures.size());
        assertTrue(bySecond > 0, "the killed gateway served some requests before it died");
    }

    /** nginx's log lines for inference requests, from line {@code from} on. */
    private static List<JsonNode> inferenceLines(int from) throws IOException {
        List<JsonNode> lines = nginxLog();
        return lines.subList(from, lines.size()).stream().filter(line -> line.path("uri").asString().equals("/v1/inference")).toList();
    }

    private static HttpResponse<String> infer() throws IOException, InterruptedException {
        return https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tlsPort + "/v1/inference"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String address(String gateway) {
        return fleet.url(gateway, "").getAuthority();
    }

    private static List<JsonNode> nginxLog() throws IOException {
        return completeLines(Files.readString(nginxDir.resolve("logs/access.log"))).map(JSON::readTree).toList();
    }

    /** The lines written so far, without one still being written. */
    private static Stream<String> completeLines(String log) {
        return log.substring(0, log.lastIndexOf('\n') + 1).lines();
    }

    /** The gateway's vla.access lines for inference requests. */
    private static List<JsonNode> gatewayAccessLog(String gateway) throws IOException {
        return completeLines(fleet.log(gateway)).filter(line -> line.startsWith("{")).map(JSON::readTree)
                .filter(line -> line.path("log").path("logger").asString().equals("vla.access")
                        && line.path("message").asString().startsWith("POST /v1/inference "))
                .toList();
    }

    private static void nginx(String command) throws Exception {
        ProcessBuilder script = new ProcessBuilder("bash", ROOT.resolve("deploy/scripts/nginx.sh").toString(), command)
                .redirectErrorStream(true);
        script.environment().putAll(Map.of("VLA_NGINX_DIR", nginxDir.toString(), "VLA_TLS_PORT", String.valueOf(tlsPort),
                "VLA_TLS_UPSTREAMS", address("gateway-service") + " " + address(SECOND)));
        Process process = script.start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "nginx.sh " + command + " finished");
        assertEquals(0, process.exitValue(), "nginx.sh " + command + ":\n" + output);
    }

    /** Clients trust exactly the certificate nginx.sh generated: names and chain are verified as usual. */
    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(certificate)) {
            trusted.setCertificateEntry("vla-local", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    record Handshake(int exitCode, String output) {
    }

    /** {@code openssl s_client} against nginx with the given options, verifying its certificate. */
    private static Handshake handshake(String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + tlsPort,
                "-CAfile", nginxDir.resolve("tls/cert.pem").toString()));
        command.addAll(List.of(options));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "openssl s_client finished");
        return new Handshake(process.exitValue(), output);
    }
}
