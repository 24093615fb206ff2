package com.vlaapi.gateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.EventLoopGroupProvider;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.stereotype.Component;
import reactor.netty.resources.LoopResources;

/**
 * A Redis connection registered on each of the web server's event loops, for the request path's
 * Redis call. The shared connection's channel lives on a Lettuce thread: a command from a request
 * wakes that thread to write it, and its reply wakes the request's thread again, two thread
 * hand-offs per request that cost a gateway with few cores a measurable part of its CPU. On its
 * own loop's connection a request writes the command on its own thread, and the reply is read and
 * the request continued there too.
 *
 * <p>A loop's connection is opened by the first call made on that loop, without waiting for it (an
 * event loop never blocks), so a gateway starts while Redis is down. Until it is open, and on any
 * other thread, a call is not made here and the caller uses the shared connection. The connections
 * have the connection factory's address, credentials, command timeout and client options (commands
 * fail at once while disconnected; they reconnect by themselves).
 */
@Component
public class EventLoopRedisConnections implements SmartLifecycle {

    /** A loop whose connect failed (Redis down) leaves its requests to the shared connection this long. */
    private static final Duration CONNECT_RETRY = Duration.ofSeconds(1);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private static final Loop[] NONE = {};

    private final LettuceConnectionFactory factory;
    private final ReactorResourceFactory webServerResources;
    private volatile Loop[] loops = NONE;

    public EventLoopRedisConnections(LettuceConnectionFactory factory, ReactorResourceFactory webServerResources) {
        this.factory = factory;
        this.webServerResources = webServerResources;
    }

    /**
     * Calls {@code script} on the connection of the event loop the caller runs on; the answer is
     * read, and the returned future completed, on that loop. Null, with nothing sent, when the
     * caller is not on one of the web server's event loops or that loop's connection is not open.
     */
    public <T> CompletableFuture<T> call(RedisScript<?> script, ScriptOutputType output, String[] keys,
                                         String[] args) {
        for (Loop loop : loops) {
            if (loop.eventLoop.inEventLoop()) {
                StatefulRedisConnection<String, String> connection = loop.connection();
                return connection == null ? null : ScriptCalls.call(connection, script, output, keys, args);
            }
        }
        return null;
    }

    /** After Reactor Netty's resources started: the loops the web server will be given. */
    @Override
    public void start() {
        RedisClient shared = (RedisClient) factory.getRequiredNativeClient();
        RedisURI uri = RedisAddress.of(factory);
        List<Loop> started = new ArrayList<>();
        for (EventExecutor executor : webServerResources.getLoopResources().onServer(LoopResources.DEFAULT_NATIVE)) {
            started.add(new Loop((EventLoop) executor, shared, uri));
        }
        loops = started.toArray(Loop[]::new);
    }

    @Override
    public void stop() {
        Loop[] stopping = loops;
        loops = NONE;
        for (Loop loop : stopping) {
            loop.close();
        }
    }

    @Override
    public boolean isRunning() {
        return loops.length > 0;
    }

    /**
     * After the web server (it stops at {@code DEFAULT_PHASE - 2048}) and the WebSocket sessions
     * stopped making calls; before the event loops are shut down with the web server's resources
     * (phase 0), so that the connections close on running loops.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    /** One event loop's client and connection. */
    private static final class Loop {

        private final EventLoop eventLoop;
        private final ClientResources resources;
        private final RedisClient client;
        private final RedisURI uri;
        // Touched on the event loop only.
        private StatefulRedisConnection<String, String> connection;
        private boolean connecting;
        private long nextConnectNanos = System.nanoTime();

        Loop(EventLoop eventLoop, RedisClient shared, RedisURI uri) {
            this.eventLoop = eventLoop;
            ClientResources sharedResources = shared.getResources();
            // Set again after mutate(), which would make these resources own, and shut down, what the
            // application's own: so they are shared, and closing this loop's client shuts down nothing else.
            this.resources = sharedResources.mutate()
                    .eventExecutorGroup(sharedResources.eventExecutorGroup())
                    .timer(sharedResources.timer())
                    .commandLatencyRecorder(sharedResources.commandLatencyRecorder())
                    .eventLoopGroupProvider(new OneLoop(eventLoop))
                    .build();
            this.client = RedisClient.create(resources);
            client.setOptions(shared.getOptions());
            this.uri = uri;
        }

        StatefulRedisConnection<String, String> connection() {
            if (connection == null && !connecting && System.nanoTime() - nextConnectNanos >= 0) {
                connecting = true;
                client.connectAsync(StringCodec.UTF8, uri).whenComplete((open, failure) -> {
                    if (eventLoop.inEventLoop()) {
                        connected(open);
                    } else {
                        eventLoop.execute(() -> connected(open));
                    }
                });
            }
            return connection;
        }

        private void connected(StatefulRedisConnection<String, String> open) {
            connecting = false;
            if (open == null) {
                nextConnectNanos = System.nanoTime() + CONNECT_RETRY.toNanos();
            }
            connection = open;
        }

        void close() {
            client.shutdown(Duration.ZERO, SHUTDOWN_TIMEOUT);
            resources.shutdown(0, SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Hands Lettuce one event loop of Reactor Netty's, so that the client's connections register
     * on it. Reactor Netty shuts the loop down, not Lettuce.
     */
    private record OneLoop(EventLoop eventLoop) implements EventLoopGroupProvider {

        @Override
        @SuppressWarnings("unchecked")
        public <T extends EventLoopGroup> T allocate(Class<T> type) {
            return (T) eventLoop;
        }

        @Override
        public int threadPoolSize() {
            return 1;
        }

        @Override
        public Future<Boolean> release(EventExecutorGroup eventLoopGroup, long quietPeriod, long timeout,
                                       TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }

        @Override
        public Future<Boolean> shutdown(long quietPeriod, long timeout, TimeUnit unit) {
            return ImmediateEventExecutor.INSTANCE.newSucceededFuture(true);
        }
    }
}
