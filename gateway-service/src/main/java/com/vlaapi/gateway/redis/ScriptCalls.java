package com.vlaapi.gateway.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.springframework.data.redis.core.script.RedisScript;

/** Lua script calls on a Lettuce connection of the gateway's own. */
final class ScriptCalls {

    private ScriptCalls() {
    }

    /**
     * Calls {@code script} by its SHA1, so that only the hash goes over the wire. A Redis that
     * restarted has forgotten the script: EVAL then sends it along, and Redis keeps it again.
     */
    static <T> CompletableFuture<T> call(StatefulRedisConnection<String, String> connection, RedisScript<?> script,
                                         ScriptOutputType output, String[] keys, String[] args) {
        return connection.async().<T>evalsha(script.getSha1(), output, keys, args).toCompletableFuture()
                .exceptionallyCompose(e -> unwrap(e) instanceof RedisNoScriptException
                        ? eval(connection, script, output, keys, args) : CompletableFuture.failedFuture(unwrap(e)));
    }

    private static <T> CompletableFuture<T> eval(StatefulRedisConnection<String, String> connection,
                                                 RedisScript<?> script, ScriptOutputType output, String[] keys,
                                                 String[] args) {
        CompletableFuture<T> reply = connection.async().<T>eval(script.getScriptAsString(), output, keys, args)
                .toCompletableFuture();
        // Sent now also on a connection that buffers its commands until the caller flushes them.
        connection.flushCommands();
        return reply;
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
