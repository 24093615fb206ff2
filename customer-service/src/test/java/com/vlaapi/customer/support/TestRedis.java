package com.vlaapi.customer.support;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The real Redis server, seen as the gateways see it. CI shares the server with other test runs,
 * so each test class uses its own key prefix and deletes its keys afterwards.
 */
public final class TestRedis implements AutoCloseable {

    public static final String HOST =
            Objects.requireNonNullElse(System.getenv("VLA_TEST_REDIS_HOST"), "127.0.0.1");
    public static final int PORT =
            Integer.parseInt(Objects.requireNonNullElse(System.getenv("VLA_TEST_REDIS_PORT"), "6379"));

    private final RedisClient client = RedisClient.create("redis://" + HOST + ":" + PORT);
    private final StatefulRedisConnection<String, String> connection;

    public TestRedis() {
        try {
            connection = client.connect();
        } catch (RuntimeException e) {
            client.shutdown();
            throw new IllegalStateException("Could not connect to Redis at " + HOST + ":" + PORT
                    + " (is it running? deploy/scripts/redis.sh starts it)", e);
        }
    }

    /** Like "vla-test-1a2b3c4d:", so nothing a test writes can clash with the fleet's "vla:" keys. */
    public static String newPrefix() {
        byte[] suffix = new byte[4];
        ThreadLocalRandom.current().nextBytes(suffix);
        return "vla-test-" + HexFormat.of().formatHex(suffix) + ":";
    }

    public void set(String key, String value) {
        connection.sync().setex(key, 60, value);
    }

    public boolean exists(String key) {
        return connection.sync().exists(key) > 0;
    }

    public void deleteKeysStartingWith(String prefix) {
        ScanCursor cursor = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = connection.sync().scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(500));
            if (!page.getKeys().isEmpty()) {
                connection.sync().del(page.getKeys().toArray(String[]::new));
            }
            cursor = page;
        } while (!cursor.isFinished());
    }

    /** Messages published on the channel from now on, each mapped by onMessage as it arrives. */
    public <T> Subscription<T> subscribe(String channel, Function<String, T> onMessage) {
        StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub();
        Subscription<T> subscription = new Subscription<>(pubSub);
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String from, String message) {
                subscription.received.add(onMessage.apply(message));
            }
        });
        // Returns once Redis has confirmed the subscription: nothing published after it is missed.
        pubSub.sync().subscribe(channel);
        return subscription;
    }

    public Subscription<String> subscribe(String channel) {
        return subscribe(channel, Function.identity());
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }

    public static final class Subscription<T> implements AutoCloseable {

        private final StatefulRedisPubSubConnection<String, String> connection;
        private final BlockingQueue<T> received = new LinkedBlockingQueue<>();

        private Subscription(StatefulRedisPubSubConnection<String, String> connection) {
            this.connection = connection;
        }

        /** The next message, or null if none arrives within the timeout. */
        public T next(Duration timeout) throws InterruptedException {
            return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
