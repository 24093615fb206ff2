package com.vlaapi.gateway.session;

import com.vlaapi.gateway.apikey.ApiKeyAuthenticator;
import com.vlaapi.gateway.apikey.ApiKeyResolver;
import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.ErrorType;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The open sessions of this gateway instance: how many each key and customer holds (bounded by
 * {@code vla.gateway.sessions.max-sessions-per-key} and {@code -per-customer}), and what ends them
 * from outside the session:
 * <ul>
 * <li>a key event (revoked, rotated, plan changed; ApiKeyResolver#changedKeys) has each session of
 * that key look the key up again at once: a key that may no longer be used closes them (4001,
 * 4002, 4003), a changed plan applies to their next observation;</li>
 * <li>a key's expiry, checked every {@link #EXPIRY_CHECK} by the gateway's clock (4002);</li>
 * <li>a graceful shutdown: every session gets 1001 before the web server stops, and new ones are refused.</li>
 * </ul>
 */
@Component
public class SessionRegistry implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SessionRegistry.class);
    static final Duration EXPIRY_CHECK = Duration.ofMillis(250);

    /** What the registry needs of an open session. */
    public interface Member extends Observations.KeyHolder {
        /** Ends the session with {@code why}, telling the client {@code error} first when there is one. */
        void close(SessionClose why, ApiError error);

        /** Completes once the session is over. */
        Mono<Void> closed();
    }

    private final Set<Member> open = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Integer> perKey = new ConcurrentHashMap<>();
    private final Map<UUID, Integer> perCustomer = new ConcurrentHashMap<>();
    private final ApiKeyResolver resolver;
    private final SessionProperties properties;
    private final Clock clock;
    private final Counter droppedUnread;
    private volatile boolean stopping;
    private volatile Disposable watches;

    public SessionRegistry(ApiKeyResolver resolver, SessionProperties properties, Clock clock, MeterRegistry meters) {
        this.resolver = resolver;
        this.properties = properties;
        this.clock = clock;
        Gauge.builder("vla.gateway.sessions.open", open, Set::size)
                .description("WebSocket sessions open on this instance")
                .register(meters);
        this.droppedUnread = Counter.builder("vla.gateway.sessions.dropped.unread")
                .description("Session connections dropped because the client left vla.gateway.sessions.max-unsent-messages unread")
                .register(meters);
    }

    /**
     * Takes a place for a new session of {@code key}: empty when taken ({@link #leave} gives it
     * back), else why not.
     */
    public synchronized Optional<ApiError> admit(ResolvedApiKey key) {
        if (stopping) {
            return Optional.of(new ApiError(HttpStatus.SERVICE_UNAVAILABLE, ErrorType.OVERLOADED_ERROR, "going_away",
                    "This gateway is shutting down; connect again."));
        }
        if (perKey.getOrDefault(key.keyId(), 0) >= properties.maxSessionsPerKey()) {
            return Optional.of(tooMany("this API key", properties.maxSessionsPerKey()));
        }
        if (perCustomer.getOrDefault(key.customerId(), 0) >= properties.maxSessionsPerCustomer()) {
            return Optional.of(tooMany("this account", properties.maxSessionsPerCustomer()));
        }
        perKey.merge(key.keyId(), 1, Integer::sum);
        perCustomer.merge(key.customerId(), 1, Integer::sum);
        return Optional.empty();
    }

    private static ApiError tooMany(String holder, int max) {
        return new ApiError(HttpStatus.TOO_MANY_REQUESTS, ErrorType.RATE_LIMIT_EXCEEDED, "too_many_sessions",
                "At most " + max + " sessions may be open for " + holder + " at once; close one first.");
    }

    /** Gives back the place {@link #admit} took. */
    public synchronized void leave(ResolvedApiKey key) {
        perKey.computeIfPresent(key.keyId(), (id, n) -> n > 1 ? n - 1 : null);
        perCustomer.computeIfPresent(key.customerId(), (id, n) -> n > 1 ? n - 1 : null);
    }

    /** An admitted session is open; it is forgotten when it closes. */
    public void opened(Member session) {
        open.add(session);
        if (stopping) {
            session.close(SessionClose.GOING_AWAY, null);
        }
        session.closed().doFinally(signal -> open.remove(session)).subscribe();
    }

    /** A session's connection was dropped because its client stopped reading. */
    public void droppedUnread() {
        droppedUnread.increment();
    }

    int openSessions() {
        return open.size();
    }

    private Mono<Void> keyChanged(String keyHash) {
        List<Member> holders = open.stream().filter(s -> s.keyHash().equals(keyHash)).toList();
        if (holders.isEmpty()) {
            return Mono.empty();
        }
        return resolver.resolve(keyHash)
                .doOnNext(found -> holders.forEach(session -> {
                    Optional<ApiError> unusable = found.isEmpty()
                            ? Optional.of(PublicErrorCode.INVALID_API_KEY.error("This API key cannot be used."))
                            : ApiKeyAuthenticator.unusable(found.get(), clock.instant());
                    if (unusable.isPresent()) {
                        session.close(SessionClose.after(unusable.get()).orElse(SessionClose.KEY_UNUSABLE), unusable.get());
                    } else {
                        session.keyChanged(found.get());
                    }
                }))
                .onErrorResume(e -> {
                    // The next observation checks the key again, as a routed request would.
                    log.warn("could not look up a changed key of {} open sessions: {}", holders.size(), e.toString());
                    return Mono.empty();
                })
                .then();
    }

    private void closeExpired() {
        for (Member session : open) {
            Optional<ApiError> unusable = ApiKeyAuthenticator.unusable(session.key(), clock.instant());
            if (unusable.isPresent() && unusable.get().code().equals(PublicErrorCode.EXPIRED_API_KEY.id())) {
                session.close(SessionClose.KEY_EXPIRED, unusable.get());
            }
        }
    }

    @Override
    public void start() {
        stopping = false;
        Disposable events = resolver.changedKeys()
                .flatMap(this::keyChanged)
                .subscribe();
        Disposable expiry = Flux.interval(EXPIRY_CHECK).doOnNext(tick -> closeExpired())
                .onErrorContinue((e, tick) -> log.warn("expiry check of sessions failed: {}", e.toString()))
                .subscribe();
        watches = () -> {
            events.dispose();
            expiry.dispose();
        };
    }

    /**
     * Runs before the web server stops (the highest phase stops first): every session is told
     * 1001 Going Away, and the stop waits up to {@code shutdown-grace} for them to close.
     */
    @Override
    public void stop() {
        stopping = true;
        List<Member> sessions = List.copyOf(open);
        sessions.forEach(session -> session.close(SessionClose.GOING_AWAY, null));
        try {
            Flux.fromIterable(sessions).flatMap(Member::closed).then()
                    .block(properties.shutdownGrace());
        } catch (RuntimeException timedOut) {
            log.warn("{} sessions had not closed {} ms after being told the gateway stops", open.size(),
                    properties.shutdownGrace().toMillis());
        }
        if (watches != null) {
            watches.dispose();
            watches = null;
        }
    }

    @Override
    public boolean isRunning() {
        return watches != null;
    }

    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
