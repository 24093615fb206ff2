package com.vlaapi.client;

import com.fasterxml.jackson.core.JacksonException;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The VLA API: {@code act(image, instruction)} returns the robot's next action.
 *
 * <pre>{@code
 * VlaClient client = VlaClient.builder(System.getenv("VLA_API_KEY")).build();
 * ActionResult result = client.act(Path.of("camera.png"), "pick up the red cube");
 * result.values();   // [dx, dy, dz, droll, dpitch, dyaw, gripper]
 * }</pre>
 *
 * Each call sends one {@code Idempotency-Key} with all its attempts, so however often it is retried
 * it is served and billed once. Errors are {@link VlaException}s, one subclass per error type.
 * Thread-safe: share one client.
 */
public final class VlaClient {

    private static final String USER_AGENT = "vla-client-java";

    private final String apiKey;
    private final URI endpoint;
    private final Duration timeout;
    private final RetryPolicy retries;
    private final HttpClient http;

    private VlaClient(Builder builder) {
        this.apiKey = builder.apiKey;
        this.endpoint = URI.create(builder.baseUrl.replaceAll("/+$", "") + "/v1/inference");
        this.timeout = builder.timeout;
        this.retries = new RetryPolicy(builder.maxRetries, builder.initialBackoff, builder.maxBackoff, builder.maxRetryWait);
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                // Over TLS HTTP/2 is negotiated; in clear text HTTP/1.1 spares the h2c upgrade dance.
                .version("https".equalsIgnoreCase(endpoint.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** A client for this API key ({@code vla_live_...}); the builder's defaults are on its methods. */
    public static Builder builder(String apiKey) {
        return new Builder(apiKey);
    }

    /** The action for the PNG or JPEG file at {@code image}. */
    public ActionResult act(Path image, String instruction) {
        return act(image, instruction, ActOptions.defaults());
    }

    public ActionResult act(Path image, String instruction, ActOptions options) {
        return send(ImageEncoding.encode(image), instruction, options);
    }

    /** The action for a PNG or JPEG image's bytes. */
    public ActionResult act(byte[] image, String instruction) {
        return act(image, instruction, ActOptions.defaults());
    }

    public ActionResult act(byte[] image, String instruction, ActOptions options) {
        return send(ImageEncoding.encode(image), instruction, options);
    }

    /** The action for an image in memory, sent as a PNG. */
    public ActionResult act(BufferedImage image, String instruction) {
        return act(image, instruction, ActOptions.defaults());
    }

    public ActionResult act(BufferedImage image, String instruction, ActOptions options) {
        return send(ImageEncoding.encode(image), instruction, options);
    }

    private ActionResult send(String image, String instruction, ActOptions options) {
        Objects.requireNonNull(instruction, "instruction");
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(new InferenceRequest(image, instruction, options.unnormKey(), options.model(),
                    options.robot(), options.position(), options.onUnsafe()));
        } catch (JacksonException e) {
            throw new IllegalStateException("a request of strings always serialises", e);
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", USER_AGENT)
                .header("Idempotency-Key", options.idempotencyKey() != null ? options.idempotencyKey() : UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        for (int attempt = 1; ; attempt++) {
            VlaException failure;
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (response.statusCode() == 200) {
                    return result(response, attempt);
                }
                failure = VlaException.fromResponse(response.statusCode(), response.headers(), response.body());
            } catch (HttpTimeoutException e) {
                throw new VlaTimeoutException(timeout, e);
            } catch (IOException e) {
                failure = new VlaConnectionException(e);
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
            Optional<Duration> wait = retries.delayBeforeRetry(attempt, failure, ThreadLocalRandom.current().nextDouble());
            if (wait.isEmpty()) {
                throw failure;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(wait.get().toNanos());
            } catch (InterruptedException e) {
                throw interrupted(e);
            }
        }
    }

    private static ActionResult result(HttpResponse<String> response, int attempts) {
        RateLimitInfo rateLimit = RateLimitInfo.fromHeaders(response.headers());
        InferenceAnswer answer;
        try {
            answer = Json.MAPPER.readValue(response.body(), InferenceAnswer.class);
        } catch (JacksonException e) {
            throw new VlaException(200, null, null, "the API's answer could not be read: " + e.getOriginalMessage(),
                    response.headers().firstValue("X-Request-Id").orElse(null), null, rateLimit, e);
        }
        boolean replayed = response.headers().firstValue("Idempotent-Replayed").map("true"::equalsIgnoreCase).orElse(false);
        Safety safety = answer.safety() != null ? answer.safety() : new Safety(null, List.of(), null);
        return new ActionResult(answer.requestId(), answer.model(), answer.modelVersion(), answer.action(), safety,
                answer.latencyMs(), rateLimit, replayed, attempts);
    }

    private static VlaException interrupted(InterruptedException e) {
        // The caller's thread is being stopped: keep its flag for the code that asked.
        Thread.currentThread().interrupt();
        return new VlaException(0, null, null, "interrupted while waiting for the API", null, null, RateLimitInfo.NONE, e);
    }

    /** Settings of a {@link VlaClient}; every one has a default. */
    public static final class Builder {

        private final String apiKey;
        private String baseUrl = Optional.ofNullable(System.getenv("VLA_API_URL")).filter(url -> !url.isBlank())
                .orElse("http://127.0.0.1:8080");
        private Duration timeout = Duration.ofSeconds(30);
        private int maxRetries = 2;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(8);
        private Duration maxRetryWait = Duration.ofSeconds(30);

        private Builder(String apiKey) {
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("an API key is required (vla_live_...)");
            }
            this.apiKey = apiKey.strip();
        }

        /** Where the API is: default {@code VLA_API_URL} from the environment, else {@code http://127.0.0.1:8080} (bin/vla up). */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /** The longest one attempt waits for its answer, connecting included; default 30 s. Timeouts are not retried. */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("the timeout must be positive: " + timeout);
            }
            this.timeout = timeout;
            return this;
        }

        /** Retries after the first attempt; default 2 (0: never retry). */
        public Builder maxRetries(int maxRetries) {
            this.maxRetries = maxRetries;
            return this;
        }

        /** The first retry's backoff, doubled for each next one, and its cap; default 0.5 s and 8 s. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = Objects.requireNonNull(initial, "initial");
            this.maxBackoff = Objects.requireNonNull(max, "max");
            return this;
        }

        /** The longest {@code Retry-After} the client waits for before it retries; longer ones fail at once. Default 30 s. */
        public Builder maxRetryWait(Duration maxRetryWait) {
            this.maxRetryWait = Objects.requireNonNull(maxRetryWait, "maxRetryWait");
            return this;
        }

        public VlaClient build() {
            return new VlaClient(this);
        }
    }
}
