package com.vlaapi.gateway.apikey;

import com.vlaapi.gateway.edge.ClientAddress;
import com.vlaapi.gateway.edge.FailedAuthenticationLimiter;
import com.vlaapi.servicecontract.apikey.ApiKeyFormat;
import com.vlaapi.servicecontract.apikey.ApiKeyHashes;
import com.vlaapi.servicecontract.error.ApiError;
import com.vlaapi.servicecontract.error.PublicErrorCode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The API-key checks of every way in: routed requests (ApiKeyAuthenticationFilter) and the
 * WebSocket sessions the gateway terminates itself. The failed-authentication limit per client
 * address is applied and charged here, so no way in can be used to scan keys faster.
 */
@Component
public class ApiKeyAuthenticator {

    /** The scheme of {@code Authorization: Bearer vla_live_...}, accepted everywhere. */
    public static final String BEARER = "Bearer";

    private static final Pattern KEY_FORMAT = Pattern.compile("vla_live_[0-9A-Za-z]{24,128}");
    private static final String UNKNOWN_KEY = "Unknown API key. Check for typos or ask for a new key.";

    /** Who the key belongs to, or why it was refused. */
    public sealed interface Outcome {
    }

    /** @param keyHash the key's SHA-256, to look it up again later (never the key itself) */
    public record Authenticated(ResolvedApiKey key, String keyHash) implements Outcome {
    }

    /** @param retryAfterSeconds for {@code too_many_failed_authentications}; 0 otherwise */
    public record Refused(ApiError error, long retryAfterSeconds) implements Outcome {
    }

    private final ApiKeyResolver resolver;
    private final FailedAuthenticationLimiter failedAuthentications;
    private final ClientAddress clientAddress;
    private final Clock clock;

    public ApiKeyAuthenticator(ApiKeyResolver resolver, FailedAuthenticationLimiter failedAuthentications,
                               ClientAddress clientAddress, Clock clock) {
        this.resolver = resolver;
        this.failedAuthentications = failedAuthentications;
        this.clientAddress = clientAddress;
        this.clock = clock;
    }

    /** The exchange's {@code Authorization} header, in the Bearer scheme. */
    public Mono<Outcome> authenticate(ServerWebExchange exchange) {
        return authenticate(exchange, List.of(BEARER));
    }

    /**
     * The exchange's {@code Authorization} header in one of {@code schemes} (the first is the one
     * error messages name).
     */
    public Mono<Outcome> authenticate(ServerWebExchange exchange, List<String> schemes) {
        String address = clientAddress.of(exchange);
        if (failedAuthentications.exhausted(address)) {
            long seconds = failedAuthentications.retryAfterSeconds();
            return Mono.just(new Refused(PublicErrorCode.TOO_MANY_FAILED_AUTHENTICATIONS.error(
                    "Too many requests with missing or invalid API keys from this address; retry after " + seconds
                            + " s with a valid key."), seconds));
        }
        String authorization = exchange.getRequest().getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return failed(address, PublicErrorCode.MISSING_API_KEY,
                    "No API key. Send it as the header 'Authorization: " + schemes.get(0) + " vla_live_...'.");
        }
        Optional<String> key = schemes.stream()
                .filter(scheme -> authorization.regionMatches(true, 0, scheme + " ", 0, scheme.length() + 1))
                .findFirst()
                .map(scheme -> authorization.substring(scheme.length() + 1).trim());
        if (key.isEmpty()) {
            return failed(address, PublicErrorCode.MALFORMED_AUTHORIZATION,
                    "The Authorization header must be '" + schemes.get(0) + " <API key>'.");
        }
        if (!KEY_FORMAT.matcher(key.get()).matches()) {
            return failed(address, PublicErrorCode.MALFORMED_API_KEY,
                    "That is not a VLA API key; keys start with 'vla_live_'.");
        }
        if (ApiKeyFormat.shape(key.get()) == ApiKeyFormat.Shape.INVALID) {
            // A typo or a guess: its checksum (or its length) says so without a lookup anywhere.
            return failed(address, PublicErrorCode.INVALID_API_KEY, UNKNOWN_KEY);
        }
        String hash = ApiKeyHashes.sha256Hex(key.get());
        return resolver.resolve(hash).flatMap(found -> {
            if (found.isEmpty()) {
                return failed(address, PublicErrorCode.INVALID_API_KEY, UNKNOWN_KEY);
            }
            Optional<ApiError> unusable = unusable(found.get(), clock.instant());
            if (unusable.isPresent()) {
                if (unusable.get().code().equals(PublicErrorCode.CUSTOMER_SUSPENDED.id())) {
                    // The key is genuine: not a failed authentication.
                    return Mono.just(new Refused(unusable.get(), 0));
                }
                failedAuthentications.failed(address);
                return Mono.just(new Refused(unusable.get(), 0));
            }
            return Mono.just(new Authenticated(found.get(), hash));
        });
    }

    /**
     * Why a key that customer-service knows may not be used now: revoked, expired (checked on every
     * use, as a cached answer may outlive the expiry), otherwise not active, or its customer suspended.
     */
    public static Optional<ApiError> unusable(ResolvedApiKey key, Instant now) {
        if (key.revoked()) {
            return Optional.of(PublicErrorCode.REVOKED_API_KEY.error("This API key was revoked. Use a current key."));
        }
        if (key.expired(now)) {
            return Optional.of(PublicErrorCode.EXPIRED_API_KEY.error("This API key has expired. Use a current key."));
        }
        if (!"active".equals(key.keyStatus())) {
            return Optional.of(PublicErrorCode.INVALID_API_KEY.error("This API key cannot be used."));
        }
        if (!key.customerActive()) {
            return Optional.of(PublicErrorCode.CUSTOMER_SUSPENDED.error("This account is suspended; contact support."));
        }
        return Optional.empty();
    }

    private Mono<Outcome> failed(String address, PublicErrorCode code, String message) {
        failedAuthentications.failed(address);
        return Mono.just(new Refused(code.error(message), 0));
    }
}
