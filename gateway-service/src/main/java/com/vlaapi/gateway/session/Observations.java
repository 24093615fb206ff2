package com.vlaapi.gateway.session;

import com.vlaapi.gateway.apikey.ApiKeyAuthenticator;
import com.vlaapi.gateway.apikey.ApiKeyResolver;
import com.vlaapi.gateway.apikey.LastUsedReporter;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.errors.Causes;
import com.vlaapi.gateway.ratelimit.LimitDecision;
import com.vlaapi.gateway.ratelimit.QuotaReservations;
import com.vlaapi.gateway.ratelimit.QuotaReservations.Reservation;
import com.vlaapi.servicecontract.RequestIds;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ErrorType;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatusCode;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * One observation of a session, served as one request: the key is checked again (as a routed
 * request's is, through the same caches), a quota slot is reserved exactly as for
 * {@code POST /v1/inference} (fail-open and reconciliation included; normally ahead, while the
 * session waited for the observation: {@link SlotAhead}), inference-service is asked for the chunk
 * ({@code POST /v1/inference}, {@code "return": "chunk"}, under the slot's request id), and the
 * slot is settled: billable when inference-service answered 200. So each observation is one row of
 * the request log, one usage event and one request of the quota.
 */
@Component
public class Observations {

    private static final Logger log = LoggerFactory.getLogger(Observations.class);

    /** How an observation ended. */
    public sealed interface Result {
        String requestId();
    }

    /**
     * inference-service's 200.
     *
     * @param answer     its body
     * @param upstreamMs its round trip as the gateway saw it
     * @param gatewayMs  the rest of the gateway's time on the observation (key check, quota, encoding)
     */
    public record Served(String requestId, JsonNode answer, double upstreamMs, double gatewayMs) implements Result {
    }

    /**
     * Not served.
     *
     * @param retryAfterMs when to try again (rate limits, quota), 0 when it says nothing
     * @param close        the close the session ends with, when it cannot go on
     */
    public record Refused(String requestId, ApiError error, long retryAfterMs, Optional<SessionClose> close)
            implements Result {
    }

    private final ApiKeyResolver resolver;
    private final QuotaReservations reservations;
    private final InferenceCalls inference;
    private final LastUsedReporter lastUsed;
    private final JsonMapper json;
    private final Clock clock;
    private final Timer served;

    public Observations(ApiKeyResolver resolver, QuotaReservations reservations, InferenceCalls inference,
                        LastUsedReporter lastUsed, JsonMapper json, Clock clock, MeterRegistry meters) {
        this.resolver = resolver;
        this.reservations = reservations;
        this.inference = inference;
        this.lastUsed = lastUsed;
        this.json = json;
        this.clock = clock;
        this.served = Timer.builder("vla.gateway.sessions.observations")
                .description("Observations of WebSocket sessions served, from their turn to the chunk")
                .register(meters);
    }

    /**
     * Serves {@code body} (a {@code POST /v1/inference} body, {@code "return": "chunk"} set) for
     * {@code holder}'s session, continuing on {@code continueOn} after Redis's decision.
     */
    public Mono<Result> serve(KeyHolder holder, ObjectNode body, Executor continueOn) {
        long start = System.nanoTime();
        AtomicReference<ResolvedApiKey> reserveAheadFor = new AtomicReference<>();
        return refusalOfKey(holder).<Result>map(refused -> refused).switchIfEmpty(Mono.defer(() -> {
            ResolvedApiKey key = holder.key();
            lastUsed.used(key.keyId());
            byte[] request = json.writeValueAsBytes(body);
            if (!reservations.enabled()) {
                return call(key, RequestIds.mint().toString(), request, start, null);
            }
            Instant now = clock.instant();
            return reservation(holder.slotAhead(), key, now, continueOn).flatMap(reservation -> {
                LimitDecision decision = reservation.decision();
                String requestId = reservation.requestId();
                return switch (decision.outcome()) {
                    case RATE_LIMITED -> Mono.just(new Refused(requestId, QuotaReservations.rateLimited(key, decision),
                            QuotaReservations.retryAfterSeconds(decision) * 1000, Optional.empty()));
                    case QUOTA_EXCEEDED -> Mono.just(new Refused(requestId, QuotaReservations.quotaExceeded(key, now),
                            QuotaReservations.secondsUntilQuotaReset(now) * 1000, Optional.of(SessionClose.QUOTA_EXCEEDED)));
                    case ALLOWED -> call(key, requestId, request, start, reservation).doOnNext(result -> {
                        if (result instanceof Served) {
                            reserveAheadFor.set(key);
                        }
                    });
                };
            });
        })).doOnNext(result -> {
            if (result instanceof Served) {
                served.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        }).doAfterTerminate(() -> {
            // After the session has sent the chunk: the next slot's reservation is off this one's path.
            ResolvedApiKey key = reserveAheadFor.get();
            if (key != null) {
                reserveAhead(holder.slotAhead(), key, continueOn);
            }
        });
    }

    /**
     * The slot reserved ahead for this observation when it can be used: allowed, for the key as it
     * is now, in this month. Otherwise that one is given back and the observation reserves its own,
     * as a routed request does (so a refusal is decided now, not when the slot was reserved).
     */
    private Mono<Reservation> reservation(SlotAhead ahead, ResolvedApiKey key, Instant now, Executor continueOn) {
        Mono<Reservation> held = ahead.take();
        Mono<Reservation> own = Mono.defer(() -> reservations.reserveOrTakeLeased(key, RequestIds.mint().toString(), now, continueOn));
        if (held == null) {
            return own;
        }
        return held.flatMap(reservation -> {
            if (reservation.decision().outcome() == LimitDecision.Outcome.ALLOWED && reservation.key().equals(key)
                    && reservation.month().equals(QuotaReservations.monthOf(now))) {
                return Mono.just(reservation);
            }
            giveBack(reservation);
            return own;
        });
    }

    /** Reserves the next observation's slot now, while the session waits for it. */
    private void reserveAhead(SlotAhead ahead, ResolvedApiKey key, Executor continueOn) {
        Mono<Reservation> next = reservations.reserveOrTakeLeased(key, RequestIds.mint().toString(), clock.instant(), continueOn).cache();
        next.subscribe(reservation -> { }, failure -> log.debug("reserving ahead failed: {}", failure.toString()));
        ahead.hold(next, this::giveBack);
    }

    /** A slot reserved ahead and not used: freed, as the slot of a request not served. */
    private void giveBack(Reservation reservation) {
        if (reservation.decision().outcome() == LimitDecision.Outcome.ALLOWED) {
            reservations.settle(reservation, false, null);
        }
    }

    /**
     * The session's key as a routed request would find it now: a refusal if it may no longer be
     * used; else none, and the holder is brought up to date (a changed plan applies from this observation on).
     * While customer-service cannot answer and no last known state helps, the session goes on with
     * the key it was opened with, as open connections of any other kind would.
     */
    private Mono<Refused> refusalOfKey(KeyHolder holder) {
        return resolver.resolve(holder.keyHash())
                .flatMap(found -> {
                    if (found.isEmpty()) {
                        return Mono.just(refusal(PublicErrorCode.INVALID_API_KEY.error("This API key cannot be used.")));
                    }
                    Optional<ApiError> unusable = ApiKeyAuthenticator.unusable(found.get(), clock.instant());
                    if (unusable.isPresent()) {
                        return Mono.just(refusal(unusable.get()));
                    }
                    holder.keyChanged(found.get());
                    return Mono.<Refused>empty();
                })
                .onErrorResume(e -> {
                    log.warn("cannot check the key of a session ({}); going on with its last known state", e.toString());
                    return Mono.empty();
                });
    }

    private static Refused refusal(ApiError error) {
        return new Refused(RequestIds.mint().toString(), error, 0, SessionClose.after(error));
    }

    private Mono<Result> call(ResolvedApiKey key, String requestId, byte[] request, long start, Reservation reservation) {
        return inference.infer(key, requestId, request)
                .doOnNext(answer -> {
                    if (reservation != null) {
                        reservations.settle(reservation, answer.status() == 200, null);
                    }
                })
                .doOnError(failure -> {
                    if (reservation != null) {
                        reservations.settle(reservation, false, failure);
                    }
                })
                .map(answer -> toResult(requestId, answer, start))
                .onErrorResume(failure -> Mono.just(failed(requestId, failure)));
    }

    private Result toResult(String requestId, InferenceCalls.Answer answer, long start) {
        if (answer.status() == 200) {
            double totalMs = (System.nanoTime() - start) / 1e6;
            return new Served(requestId, json.readTree(answer.body()), answer.upstreamMs(),
                    Math.max(0, totalMs - answer.upstreamMs()));
        }
        ApiError error = upstreamError(answer);
        return new Refused(requestId, error, 0, SessionClose.after(error));
    }

    /** inference-service's error body as it sent it; a body that is not one is its status's error. */
    private ApiError upstreamError(InferenceCalls.Answer answer) {
        HttpStatusCode status = HttpStatusCode.valueOf(answer.status());
        try {
            JsonNode error = json.readTree(answer.body()).path("error");
            String code = error.path("code").asString("");
            if (!code.isEmpty()) {
                ErrorType type = Arrays.stream(ErrorType.values()).filter(t -> t.id().equals(error.path("type").asString("")))
                        .findFirst().orElse(ErrorType.forStatus(status));
                return new ApiError(status, type, code, error.path("message").asString(""));
            }
        } catch (RuntimeException notJson) {
            // Falls through to the status's own error.
        }
        return status.is5xxServerError() && status.value() != 503 ? ApiError.internal()
                : ApiError.forStatus(status, "POST", "/v1/inference");
    }

    /** The same errors a routed request gets for the same failures (GatewayErrorHandler). */
    private static Refused failed(String requestId, Throwable failure) {
        ApiError error;
        if (Causes.has(failure, ConnectException.class)) {
            error = PublicErrorCode.UPSTREAM_UNAVAILABLE.error("No inference server is reachable right now; retry in a few seconds.");
        } else if (Causes.has(failure, TimeoutException.class)) {
            error = PublicErrorCode.UPSTREAM_TIMEOUT.error("The inference server did not answer in time; retry.");
        } else if (Causes.has(failure, IOException.class)) {
            error = PublicErrorCode.UPSTREAM_CONNECTION_LOST.error(
                    "The inference server closed the connection before answering; retry in a moment.");
        } else {
            log.error("unexpected failure serving observation {}", requestId, failure);
            error = ApiError.internal();
        }
        return new Refused(requestId, error, error.status().value() >= 502 ? 1000 : 0, SessionClose.after(error));
    }

    /** The key a session was opened with, kept current by key events and each observation's check. */
    public interface KeyHolder {
        String keyHash();

        ResolvedApiKey key();

        void keyChanged(ResolvedApiKey latest);

        /** The slot reserved for the session's next observation. */
        SlotAhead slotAhead();
    }
}
