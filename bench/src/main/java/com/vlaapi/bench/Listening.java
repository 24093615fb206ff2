package com.vlaapi.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting for a process the benchmark started to accept connections on its port. */
final class Listening {

    private static final Duration POLL = Duration.ofMillis(100);

    private Listening() {
    }

    /**
     * Returns once 127.0.0.1:{@code port} accepts a connection; throws, with {@code whereToLook}
     * (a log, or where it is), as soon as {@code alive} says {@code what} has exited, or after
     * {@code timeout}.
     */
    static void await(String what, int port, Duration timeout, BooleanSupplier alive, Supplier<String> whereToLook)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive.getAsBoolean()) {
                throw new IllegalStateException(what + " exited at start; " + whereToLook.get());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(POLL.toMillis());
            }
        }
        throw new IllegalStateException(what + " is not listening on " + port + " after " + timeout.toSeconds() + " s; "
                + whereToLook.get());
    }
}
