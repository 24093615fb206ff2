package com.vlaapi.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/**
 * A redis-server of the test's own on a free port, without persistence, for tests that stop, pause
 * or empty it: the shared Redis of the other tests must never go down.
 */
final class PrivateRedis implements AutoCloseable {

    private final int port;
    private Process process;

    PrivateRedis() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        start();
    }

    int port() {
        return port;
    }

    /** Starts it (again: it comes back empty) and waits until it accepts connections. */
    void start() throws IOException {
        process = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        await("redis-server listens on " + port).atMost(Duration.ofSeconds(10)).until(() -> {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }

    /** Stops it as an operator would (SIGTERM) and waits until it has exited. */
    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    /** Freezes it (SIGSTOP): connections stay open, nothing is answered. */
    void pause() throws Exception {
        signal("STOP");
    }

    void resume() throws Exception {
        signal("CONT");
    }

    private void signal(String signal) throws Exception {
        int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
        assertEquals(0, exit, "kill -" + signal + " redis-server");
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
