package com.vlaapi.gateway.idempotency;

import com.vlaapi.gateway.apikey.ApiKeyAuthenticationFilter;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.idempotency.StoredAnswer.Claim;
import com.vlaapi.gateway.redis.LuaScripts;
import com.vlaapi.gateway.requestid.RequestIdFilter;
import com.vlaapi.gateway.routing.ReplayableBody;
import com.vlaapi.gateway.routing.RouteMetering;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import com.vlaapi.servicecontract.reactive.ReactiveErrorWriter;
import com.vlaapi.servicecontract.settings.RedisProperties;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code Idempotency-Key}: a client that timed out can send the same request again with the same
 * key and gets the first answer back, served and billed once (Stripe's semantics, and the IETF
 * draft's). Keys are the customer's own, kept for {@link #RETENTION}. The first request with a key
 * claims it in Redis, with its request id, and is served; its final answer (a 200 or a 4xx) is
 * stored under the key. A repeat with the same body gets that answer with
 * {@code Idempotent-Replayed: true}, without reaching the model, the limits or the bill; a repeat
 * while the first is still running gets 409 {@code idempotency_key_in_use}; a repeat with another
 * body gets 422 {@code idempotency_key_reused}. An answer worth retrying (429, 5xx) releases the
 * key, so the retry runs. A claim older than {@link #ABANDONED_AFTER} lost its gateway (no request
 * runs that long): a repeat takes it over and is served under the claimed request id, which
 * inference-service logs and bills once however often it is served. Requests without the header
 * are untouched, their bodies streamed as before; so are those of unmetered routes
 * ({@link RouteMetering}): they change and bill nothing, so a repeat is simply answered again.
 */
@Component
public class IdempotencyFilter implements GlobalFilter, Ordered {

    public static final String HEADER = "Idempotency-Key";
    static final Duration RETENTION = Duration.ofHours(24);
    /** Longer than any request runs (the upstream response timeout is 30 s). */
    static final Duration ABANDONED_AFTER = Duration.ofMinutes(1);
    private static final RedisScript<Long> TAKE_OVER = LuaScripts.load("idempotency/take-over.lua", Long.class);
    private static final int MAX_KEY_CHARS = 255;
    /** Inference answers are about a kilobyte; an answer larger than this is not stored. */
    private static final int MAX_STORED_ANSWER_BYTES = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(IdempotencyFilter.class);

    private final ReactiveStringRedisTemplate redis;
    private final String prefix;
    private final Clock clock;

    IdempotencyFilter(ReactiveStringRedisTemplate redis, RedisProperties names, Clock clock) {
        this.redis = redis;
        this.prefix = names.prefix();
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        String clientKey = exchange.getRequest().getHeaders().getFirst(HEADER);
        ResolvedApiKey customer = exchange.getAttribute(ApiKeyAuthenticationFilter.CUSTOMER_ATTRIBUTE);
        if (clientKey == null || customer == null || !RouteMetering.metered(exchange)) {
            return chain.filter(exchange);
        }
        if (clientKey.isBlank() || clientKey.length() > MAX_KEY_CHARS) {
            return reply(exchange, PublicErrorCode.INVALID_IDEMPOTENCY_KEY.error(
                    "The Idempotency-Key header must hold 1 to " + MAX_KEY_CHARS + " characters (a UUID is best)."));
        }
        String redisKey = prefix + "idempotency:{" + customer.customerId() + "}:" + sha256(clientKey.getBytes(StandardCharsets.UTF_8));
        return ReplayableBody.read(exchange).flatMap(body -> {
            Claim claim = new Claim(sha256(body), RequestIdFilter.of(exchange), clock.instant());
            return redis.opsForValue().setIfAbsent(redisKey, claim.stored(), RETENTION)
                    .map(claimed -> claimed ? Outcome.CLAIMED : Outcome.TAKEN)
                    .onErrorResume(e -> {
                        log.warn("Idempotency-Key not honoured for request {}: Redis {}", claim.requestId(), e.toString());
                        return Mono.just(Outcome.UNAVAILABLE);
                    })
                    .flatMap(outcome -> switch (outcome) {
                        case CLAIMED -> serve(exchange, chain, body, redisKey, claim);
                        case TAKEN -> redis.opsForValue().get(redisKey).defaultIfEmpty("")
                                .onErrorReturn("")
                                .flatMap(stored -> repeat(exchange, chain, body, redisKey, stored, claim));
                        case UNAVAILABLE -> chain.filter(ReplayableBody.attach(exchange, body));
                    });
        });
    }

    private enum Outcome { CLAIMED, TAKEN, UNAVAILABLE }

    /** Served under {@code claim}'s request id; its final answer stored under the key. */
    private Mono<Void> serve(ServerWebExchange exchange, GatewayFilterChain chain, byte[] body, String redisKey,
                             Claim claim) {
        RequestIdFilter.continueRequest(exchange, claim.requestId());
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        AtomicBoolean stored = new AtomicBoolean();
        // The answer is stored before it is sent: a client that retries the moment it has the answer
        // gets it replayed, not "still being served".
        ServerHttpResponseDecorator recording = new ServerHttpResponseDecorator(exchange.getResponse()) {
            @Override
            public Mono<Void> writeWith(Publisher<? extends DataBuffer> chunks) {
                return Flux.from(chunks).collectList().doOnDiscard(DataBuffer.class, DataBufferUtils::release).flatMap(all -> {
                    for (DataBuffer chunk : all) {
                        if (answer.size() <= MAX_STORED_ANSWER_BYTES) {
                            byte[] bytes = new byte[chunk.readableByteCount()];
                            chunk.toByteBuffer().get(bytes);
                            answer.writeBytes(bytes);
                        }
                    }
                    stored.set(true);
                    return settle(exchange, redisKey, claim.bodyHash(), answer).then(super.writeWith(Flux.fromIterable(all)));
                });
            }
        };
        ServerWebExchange served = ReplayableBody.attach(exchange, body).mutate().response(recording).build();
        return chain.filter(served).then(Mono.defer(
                () -> stored.get() ? Mono.<Void>empty() : settle(exchange, redisKey, claim.bodyHash(), answer)));
    }

    /** A key in use: its stored answer, or its claim's request, taken over when its gateway is gone. */
    private Mono<Void> repeat(ServerWebExchange exchange, GatewayFilterChain chain, byte[] body, String redisKey,
                              String stored, Claim mine) {
        StoredAnswer.Answer answer = StoredAnswer.parse(stored);
        if (answer != null) {
            return answerRepeat(exchange, answer, mine.bodyHash());
        }
        Optional<Claim> claimed = StoredAnswer.parseClaim(stored);
        if (claimed.isPresent() && !claimed.get().bodyHash().equals(mine.bodyHash())) {
            return reused(exchange);
        }
        if (claimed.isEmpty() || claimed.get().claimedAt().plus(ABANDONED_AFTER).isAfter(mine.claimedAt())) {
            return inUse(exchange);
        }
        Claim takeOver = new Claim(mine.bodyHash(), claimed.get().requestId(), mine.claimedAt());
        return redis.execute(TAKE_OVER, List.of(redisKey), List.of(stored, takeOver.stored())).next()
                .onErrorReturn(0L)
                .flatMap(took -> {
                    if (took != 1L) {
                        return inUse(exchange);
                    }
                    log.info("request {} takes over Idempotency-Key request {}, claimed at {} by a gateway that is gone",
                            mine.requestId(), takeOver.requestId(), claimed.get().claimedAt());
                    return serve(exchange, chain, body, redisKey, takeOver);
                });
    }

    /** Stores a final answer for the key's retention; releases the key after an answer worth retrying. */
    private Mono<Void> settle(ServerWebExchange exchange, String redisKey, String bodyHash, ByteArrayOutputStream answer) {
        HttpStatusCode status = exchange.getResponse().getStatusCode();
        boolean finalAnswer = status != null && (status.is2xxSuccessful()
                || (status.is4xxClientError() && status.value() != 429 && status.value() != 408));
        Mono<?> outcome = finalAnswer && answer.size() <= MAX_STORED_ANSWER_BYTES
                ? redis.opsForValue().set(redisKey, StoredAnswer.of(bodyHash, status.value(),
                        answer.toString(StandardCharsets.UTF_8)), RETENTION)
                : redis.delete(redisKey);
        return outcome.then().onErrorResume(e -> {
            log.warn("could not settle Idempotency-Key of request {} in Redis: {}", RequestIdFilter.of(exchange), e.toString());
            return Mono.empty();
        });
    }

    private Mono<Void> answerRepeat(ServerWebExchange exchange, StoredAnswer.Answer answer, String bodyHash) {
        if (!answer.bodyHash().equals(bodyHash)) {
            return reused(exchange);
        }
        exchange.getResponse().setStatusCode(HttpStatusCode.valueOf(answer.status()));
        exchange.getResponse().getHeaders().setContentType(MediaType.APPLICATION_JSON);
        exchange.getResponse().getHeaders().set("Idempotent-Replayed", "true");
        byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
        return exchange.getResponse().writeWith(Mono.just(exchange.getResponse().bufferFactory().wrap(body)));
    }

    private static Mono<Void> inUse(ServerWebExchange exchange) {
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
        return reply(exchange, PublicErrorCode.IDEMPOTENCY_KEY_IN_USE.error(
                "A request with this Idempotency-Key is still being served; retry in a moment to get its answer."));
    }

    private static Mono<Void> reused(ServerWebExchange exchange) {
        return reply(exchange, PublicErrorCode.IDEMPOTENCY_KEY_REUSED.error(
                "This Idempotency-Key was used with a different request body; use a new key for a new request."));
    }

    private static Mono<Void> reply(ServerWebExchange exchange, ApiError error) {
        return ReactiveErrorWriter.write(exchange, error, RequestIdFilter.of(exchange));
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** After authentication (keys are per customer), before the limits: a replay is not a new request. */
    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 15;
    }
}
