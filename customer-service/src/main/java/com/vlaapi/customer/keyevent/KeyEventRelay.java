package com.vlaapi.customer.keyevent;

import com.vlaapi.servicecontract.settings.RedisProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import tools.jackson.databind.json.JsonMapper;

/**
 * Pushes committed key changes to the gateways: deletes their shared Redis cache entries for the
 * affected keys, then publishes one message so every instance drops its in-memory entries too.
 *
 * <p>Redis being down must not fail the admin change that is already committed: the failure is
 * logged and counted, and delivery is retried in the background for a bounded time. Meanwhile the
 * gateways' cache TTLs (5 s in memory, 30 s in Redis) bound how long they serve the old answer.
 */
@Component
class KeyEventRelay implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(KeyEventRelay.class);

    private final StringRedisTemplate redis;
    private final JsonMapper json;
    private final RedisProperties names;
    private final KeyEventProperties properties;
    private final Counter failures;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "key-event-retry");
        thread.setDaemon(true);
        return thread;
    });

    KeyEventRelay(StringRedisTemplate redis, JsonMapper json, RedisProperties names, KeyEventProperties properties,
                  MeterRegistry meters) {
        this.redis = redis;
        this.json = json;
        this.names = names;
        this.properties = properties;
        this.failures = Counter.builder("vla.key.events.failed")
                .description("Failed attempts to invalidate cached key lookups in Redis and publish a key event")
                .register(meters);
    }

    /**
     * Connects now rather than on the first key event: setting up the first connection can take
     * longer than the 200 ms timeout on a busy machine. Redis being down is not fatal here either.
     */
    @EventListener(ApplicationReadyEvent.class)
    void connectEarly() {
        try {
            redis.execute((RedisCallback<String>) RedisConnection::ping);
        } catch (RuntimeException e) {
            log.warn("Redis is not reachable at startup; key events will be retried when they fail: {}", e.toString());
        }
    }

    /**
     * After commit, so a gateway that reloads a key on this message reads the new state. Outside a
     * transaction (nothing to wait for) the event is delivered at once rather than dropped.
     */
    @TransactionalEventListener(fallbackExecution = true)
    void onCommitted(KeyEvent event) {
        if (!event.keyHashes().isEmpty()) {
            deliver(event, 0);
        }
    }

    private void deliver(KeyEvent event, int retry) {
        try {
            List<String> cacheKeys = event.keyHashes().stream().map(names::apiKeyCacheKey).toList();
            redis.delete(cacheKeys);
            redis.convertAndSend(names.keyEventsChannel(), json.writeValueAsString(event));
        } catch (RuntimeException e) {
            failures.increment();
            boolean retrying = retry < properties.retries();
            // The key hashes stay out of the log: they are what the gateway looks keys up by.
            log.warn("Could not push key event '{}' for {} key(s) of customer {} to Redis (attempt {} of {}){}: {}",
                    event.reason().id(), event.keyHashes().size(), event.customerId(), retry + 1,
                    properties.retries() + 1, retrying ? ", retrying" : ", giving up", e.toString());
            if (retrying) {
                Duration delay = properties.retryDelay().multipliedBy(1L << retry);
                retries.schedule(() -> deliver(event, retry + 1), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void destroy() {
        retries.shutdownNow();
    }
}
