package com.vlaapi.gateway.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Lua script calls sent in batches on a Redis connection of their own, for work off the request
 * path. A batch goes out in one write: auto-flush is off, so Lettuce buffers the calls until the
 * batch is complete, where the connection the request path shares writes and flushes every command
 * by itself. One thread sends; the replies complete the futures on Lettuce's thread.
 *
 * <p>The connection is opened by the first batch, not at startup, so a gateway starts while Redis
 * is down; it comes from the application's Lettuce client, with its options (commands fail at once
 * while disconnected, reconnects) and the connection factory's address, credentials and command
 * timeout: a standalone Redis, as {@code vla.redis.*} configures it.
 */
public final class PipelinedScripts implements AutoCloseable {

    /** One call of a script. */
    public record Call(List<String> keys, List<String> args) {
    }

    private final LettuceConnectionFactory factory;
    private volatile StatefulRedisConnection<String, String> connection;

    public PipelinedScripts(LettuceConnectionFactory factory) {
        this.factory = factory;
    }

    /**
     * Sends {@code script} once per call, all in one write, and answers each call's integer reply.
     * Fails at once (nothing sent) when no connection can be opened. For the sending thread only.
     */
    public List<CompletableFuture<Long>> evalAll(RedisScript<Long> script, List<Call> calls) {
        StatefulRedisConnection<String, String> open = connection();
        List<CompletableFuture<Long>> replies = new ArrayList<>(calls.size());
        for (Call call : calls) {
            String[] keys = call.keys().toArray(String[]::new);
            String[] args = call.args().toArray(String[]::new);
            replies.add(open.async().<Long>evalsha(script.getSha1(), ScriptOutputType.INTEGER, keys, args)
                    .toCompletableFuture()
                    .exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                            ? loadAndEval(open, script, keys, args) : CompletableFuture.failedFuture(unwrap(e))));
        }
        open.flushCommands();
        return replies;
    }

    /** A Redis that restarted has forgotten the script: EVAL sends it along and Redis keeps it again. */
    private static CompletableFuture<Long> loadAndEval(StatefulRedisConnection<String, String> open,
                                                        RedisScript<Long> script, String[] keys, String[] args) {
        CompletableFuture<Long> reply = open.async().<Long>eval(script.getScriptAsString(), ScriptOutputType.INTEGER,
                keys, args).toCompletableFuture();
        open.flushCommands();
        return reply;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private StatefulRedisConnection<String, String> connection() {
        StatefulRedisConnection<String, String> open = connection;
        if (open == null || !open.isOpen()) {
            open = ((RedisClient) factory.getRequiredNativeClient()).connect(StringCodec.UTF8, uri());
            open.setAutoFlushCommands(false);
            connection = open;
        }
        return open;
    }

    /** Where and as whom the connection factory connects. */
    private RedisURI uri() {
        RedisStandaloneConfiguration redis = factory.getStandaloneConfiguration();
        LettuceClientConfiguration client = factory.getClientConfiguration();
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(redis.getHostName())
                .withPort(redis.getPort())
                .withDatabase(redis.getDatabase())
                .withSsl(client.isUseSsl())
                .withTimeout(client.getCommandTimeout());
        client.getClientName().ifPresent(uri::withClientName);
        if (redis.getPassword().isPresent()) {
            uri = redis.getUsername() == null ? uri.withPassword(redis.getPassword().get())
                    : uri.withAuthentication(redis.getUsername(), new String(redis.getPassword().get()));
        }
        return uri.build();
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            open.close();
        }
    }
}
