package com.vlaapi.gateway;

import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * Caffeine for the caches that requests read and write. A cache's upkeep (draining the buffers
 * its reads and writes are recorded in, expiring, evicting) runs on the thread that triggers it,
 * the connection's event loop, rather than being handed to the common fork-join pool: there it
 * woke a thread every few requests (every write, and each time a read buffer filled), and on a
 * machine with few cores the wake-up costs more than the upkeep itself.
 */
public final class RequestPathCaches {

    private RequestPathCaches() {
    }

    public static Caffeine<Object, Object> newBuilder() {
        return Caffeine.newBuilder().executor(Runnable::run);
    }
}
