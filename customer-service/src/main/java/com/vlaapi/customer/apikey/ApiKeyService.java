package com.vlaapi.customer.apikey;

import com.vlaapi.customer.customer.CustomerService;
import com.vlaapi.customer.keyevent.KeyEvent;
import com.vlaapi.customer.keyevent.KeyEventReason;
import com.vlaapi.servicecontract.error.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Issues, lists, rotates, expires and revokes keys. Every change that a gateway's cached lookup
 * depends on publishes a {@link KeyEvent}, delivered to the gateways once the transaction commits.
 */
@Service
public class ApiKeyService {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyService.class);
    private static final int MAX_NAME_LENGTH = 100;
    private static final long MAX_LIFETIME_SECONDS = Duration.ofDays(5 * 365).toSeconds();
    private static final long DEFAULT_GRACE_PERIOD_SECONDS = Duration.ofDays(1).toSeconds();
    private static final long MAX_GRACE_PERIOD_SECONDS = Duration.ofDays(30).toSeconds();

    private final ApiKeyRepository keys;
    private final CustomerService customers;
    private final ApiKeyGenerator generator;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    ApiKeyService(ApiKeyRepository keys, CustomerService customers, ApiKeyGenerator generator,
                  ApplicationEventPublisher events, Clock clock) {
        this.keys = keys;
        this.customers = customers;
        this.generator = generator;
        this.events = events;
        this.clock = clock;
    }

    /**
     * @param name             optional label chosen by the operator, e.g. "robot-fleet-a"
     * @param expiresInSeconds optional lifetime; without it the key works until revoked
     */
    @Transactional
    public IssuedApiKey issue(UUID customerId, String name, Long expiresInSeconds) {
        String label = validName(name);
        Long lifetime = validLifetime(expiresInSeconds);
        customers.requireExists(customerId);
        GeneratedApiKey key = generator.generate();
        ApiKey stored = insert(customerId, key, label, lifetime, now());
        log.info("Issued API key {} ({}) to customer {}, expiring at {}", stored.keyId(), stored.prefix(), customerId,
                stored.expiresAt() != null ? stored.expiresAt() : "never");
        return issued(stored, key);
    }

    @Transactional(readOnly = true)
    public List<ApiKey> list(UUID customerId) {
        customers.requireExists(customerId);
        Instant now = now();
        return keys.findByCustomerIdOrderByCreatedAtAscKeyIdAsc(customerId).stream()
                .map(key -> key.toStored(now).key()).toList();
    }

    /** Revoking again is harmless and pushes the invalidation again, e.g. after Redis was down. */
    @Transactional
    public ApiKey revoke(UUID customerId, UUID keyId) {
        customers.requireExists(customerId);
        ApiKeyEntity key = keys.findByCustomerIdAndKeyId(customerId, keyId).orElseThrow(() -> keyNotFound(customerId, keyId));
        Instant now = now();
        key.revoke(now);
        StoredApiKey revoked = key.toStored(now);
        events.publishEvent(new KeyEvent(List.of(revoked.hash()), customerId, KeyEventReason.REVOKED));
        log.info("Revoked API key {} ({}) of customer {}", keyId, revoked.key().prefix(), customerId);
        return revoked.key();
    }

    /**
     * Issues a replacement and lets the old key work for the grace period, so clients can switch
     * without downtime. The new key keeps the old key's name unless another is given.
     *
     * @param gracePeriodSeconds how long the old key keeps working: null for a day, 0 to stop it now
     */
    @Transactional
    public RotatedApiKey rotate(UUID customerId, UUID keyId, Long gracePeriodSeconds, String name,
                                Long expiresInSeconds) {
        long gracePeriod = validGracePeriod(gracePeriodSeconds);
        String label = validName(name);
        Long lifetime = validLifetime(expiresInSeconds);
        customers.requireExists(customerId);
        ApiKeyEntity oldKey = keys.findByCustomerIdAndKeyId(customerId, keyId).orElseThrow(() -> keyNotFound(customerId, keyId));
        Instant now = now();
        StoredApiKey old = oldKey.toStored(now);
        if (old.key().status() != ApiKeyStatus.ACTIVE) {
            throw new ApiException(HttpStatus.CONFLICT, "key_not_active",
                    "API key " + keyId + " is " + old.key().status().id() + ": only an active key can be rotated."
                    + " Issue a new key instead.");
        }
        GeneratedApiKey replacement = generator.generate();
        ApiKey stored = insert(customerId, replacement, label != null ? label : old.key().name(), lifetime, now);
        oldKey.expireBy(now.plusSeconds(gracePeriod));
        ApiKey retiring = oldKey.toStored(now).key();
        events.publishEvent(new KeyEvent(List.of(old.hash()), customerId, KeyEventReason.ROTATED));
        log.info("Rotated API key {} ({}) of customer {} to {} ({}); the old key expires at {}", keyId,
                old.key().prefix(), customerId, stored.keyId(), stored.prefix(), retiring.expiresAt());
        return new RotatedApiKey(issued(stored, replacement), retiring);
    }

    /**
     * Sets a key's expiry to now + the given seconds. An expired key may be given a new expiry (a
     * rotation's grace period was too short); a revoked one stays revoked.
     */
    @Transactional
    public ApiKey changeExpiry(UUID customerId, UUID keyId, Long expiresInSeconds) {
        if (expiresInSeconds == null) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "missing_field", "expires_in_seconds is required.");
        }
        long lifetime = validLifetime(expiresInSeconds);
        customers.requireExists(customerId);
        ApiKeyEntity key = keys.findByCustomerIdAndKeyId(customerId, keyId).orElseThrow(() -> keyNotFound(customerId, keyId));
        Instant now = now();
        if (key.statusAt(now) == ApiKeyStatus.REVOKED) {
            throw new ApiException(HttpStatus.CONFLICT, "key_revoked",
                    "API key " + keyId + " is revoked; a revoked key cannot be used again.");
        }
        key.expireAt(now.plusSeconds(lifetime));
        ApiKey changed = key.toStored(now).key();
        events.publishEvent(new KeyEvent(List.of(key.keyHash()), customerId, KeyEventReason.EXPIRY_CHANGED));
        log.info("API key {} ({}) of customer {} now expires at {}", keyId, changed.prefix(), customerId,
                changed.expiresAt());
        return changed;
    }

    /** Call in the transaction that changed the customer's tier, limits or status. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void customerUpdated(UUID customerId) {
        events.publishEvent(new KeyEvent(keys.findHashesByCustomerId(customerId), customerId,
                KeyEventReason.CUSTOMER_UPDATED));
    }

    /** PostgreSQL keeps microseconds: a time answered now must equal the one read back later. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private ApiKey insert(UUID customerId, GeneratedApiKey key, String name, Long lifetime, Instant now) {
        Instant expiresAt = lifetime == null ? null : now.plusSeconds(lifetime);
        return keys.save(new ApiKeyEntity(customerId, key, name, now, expiresAt)).toStored(now).key();
    }

    private static IssuedApiKey issued(ApiKey stored, GeneratedApiKey key) {
        return new IssuedApiKey(stored.keyId(), key.key(), stored.prefix(), stored.name(), stored.createdAt(),
                stored.expiresAt());
    }

    private static ApiException keyNotFound(UUID customerId, UUID keyId) {
        return new ApiException(HttpStatus.NOT_FOUND, "api_key_not_found",
                "Customer " + customerId + " has no API key with key_id " + keyId + ".");
    }

    private static String validName(String name) {
        if (name == null || name.isBlank()) {
            return null;
        }
        String trimmed = name.strip();
        if (trimmed.length() > MAX_NAME_LENGTH) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_key_name",
                    "The key name must be at most " + MAX_NAME_LENGTH + " characters.");
        }
        return trimmed;
    }

    private static Long validLifetime(Long expiresInSeconds) {
        if (expiresInSeconds != null && (expiresInSeconds < 1 || expiresInSeconds > MAX_LIFETIME_SECONDS)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_expires_in_seconds",
                    "expires_in_seconds must be from 1 to " + MAX_LIFETIME_SECONDS + " (5 years).");
        }
        return expiresInSeconds;
    }

    private static long validGracePeriod(Long gracePeriodSeconds) {
        if (gracePeriodSeconds == null) {
            return DEFAULT_GRACE_PERIOD_SECONDS;
        }
        if (gracePeriodSeconds < 0 || gracePeriodSeconds > MAX_GRACE_PERIOD_SECONDS) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_grace_period_seconds",
                    "grace_period_seconds must be from 0 to " + MAX_GRACE_PERIOD_SECONDS + " (30 days).");
        }
        return gracePeriodSeconds;
    }
}
