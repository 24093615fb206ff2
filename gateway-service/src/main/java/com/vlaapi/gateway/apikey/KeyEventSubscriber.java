package com.vlaapi.gateway.apikey;

import com.vlaapi.servicecontract.settings.RedisProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.ReactiveRedisConnectionFactory;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.ReactiveRedisMessageListenerContainer;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Listens on {@code <prefix>key-events}, where customer-service announces revoked, rotated and
 * re-planned keys, so every gateway instance forgets them within moments instead of at cache expiry.
 * The subscription is renewed if Redis goes away and comes back.
 */
@Component
public class KeyEventSubscriber implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(KeyEventSubscriber.class);

    private final ReactiveRedisConnectionFactory connections;
    private final ApiKeyResolver resolver;
    private final JsonMapper json;
    private final String channel;
    private ReactiveRedisMessageListenerContainer container;
    private Disposable subscription;

    public KeyEventSubscriber(ReactiveRedisConnectionFactory connections, ApiKeyResolver resolver, JsonMapper json,
                              RedisProperties redis) {
        this.connections = connections;
        this.resolver = resolver;
        this.json = json;
        this.channel = redis.keyEventsChannel();
    }

    @Override
    public void start() {
        container = new ReactiveRedisMessageListenerContainer(connections);
        subscription = container.receive(ChannelTopic.of(channel))
                .concatMap(message -> resolver.forget(hashes(message.getMessage())))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(200)).maxBackoff(Duration.ofSeconds(2))
                        .doBeforeRetry(r -> log.warn("key-event subscription lost ({}); resubscribing", r.failure().toString())))
                .subscribe();
    }

    private List<String> hashes(String message) {
        List<String> hashes = new ArrayList<>();
        try {
            JsonNode event = json.readTree(message);
            event.path("key_hashes").forEach(h -> hashes.add(h.asString()));
        } catch (RuntimeException e) {
            log.warn("ignoring a key event that is not JSON: {}", e.toString());
        }
        return hashes;
    }

    @Override
    public void stop() {
        if (subscription != null) {
            subscription.dispose();
        }
        if (container != null) {
            container.destroyLater().subscribe();
        }
        subscription = null;
    }

    @Override
    public boolean isRunning() {
        return subscription != null && !subscription.isDisposed();
    }
}
