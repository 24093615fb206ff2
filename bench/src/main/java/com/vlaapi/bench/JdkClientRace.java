package com.vlaapi.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code bin/vla bench client-race [SECONDS]}: how often java.net.http loses a request on a
 * kept-alive connection to a server that answers at once, the server here being a loop on a plain
 * socket that writes exactly one fixed answer per request it has read to its end. Four threads
 * share one client, as the gateway bench's warm-up does; a request that fails with the client's
 * own "connection closed locally" is the client's pool race (JsonPost), not anything the server
 * sent.
 */
public final class JdkClientRace {

    private static final int CLIENTS = 4;
    private static final String REFUSAL = "{\"error\":{\"code\":\"invalid_api_key\"}}";
    private static final byte[] ANSWER = ("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + REFUSAL.length() + "\r\n\r\n" + REFUSAL).getBytes(StandardCharsets.US_ASCII);

    private JdkClientRace() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        try (ServerSocket server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> accept(server), "client-race-server");
            acceptor.setDaemon(true);
            acceptor.start();
            URI url = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v1/inference");
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            byte[] body = "{\"instruction\": \"pick up the red cube\", \"image\": \"x\"}".getBytes(StandardCharsets.UTF_8);
            LongAdder answered = new LongAdder();
            LongAdder closedByClient = new LongAdder();
            AtomicReference<Exception> unexpected = new AtomicReference<>();
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            System.out.printf("java.net.http (Java %s), %d threads on one client, %d s against a server that answers at once...%n",
                    Runtime.version(), CLIENTS, seconds);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                Thread client = new Thread(() -> {
                    while (System.nanoTime() < end && unexpected.get() == null) {
                        try {
                            JsonPost.status(http, url, body, Map.of());
                            answered.increment();
                        } catch (Exception e) {
                            if (!(e instanceof IOException io && JsonPost.closedByTheClient(io))) {
                                unexpected.compareAndSet(null, e);
                                return;
                            }
                            closedByClient.increment();
                        }
                    }
                });
                client.start();
                clients.add(client);
            }
            for (Thread client : clients) {
                client.join();
            }
            if (unexpected.get() != null) {
                throw new IllegalStateException("a request failed otherwise than by the client's own close: no rate"
                        + " of the race to report; see the cause", unexpected.get());
            }
            long failed = closedByClient.sum();
            System.out.printf(Locale.ROOT, "  answered %d, lost to the client's own close %d (%s)%n", answered.sum(), failed,
                    failed == 0 ? "none" : String.format(Locale.ROOT, "one in %,d", (answered.sum() + failed) / failed));
        }
    }

    private static void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket connection = server.accept();
                connection.setTcpNoDelay(true);
                Thread serving = new Thread(() -> answerEach(connection));
                serving.setDaemon(true);
                serving.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    /** Reads each request's head and its Content-Length of body, then writes the one answer. */
    private static void answerEach(Socket connection) {
        try (connection) {
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            while (true) {
                StringBuilder head = new StringBuilder();
                while (!head.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    head.append((char) b);
                }
                long length = head.toString().lines()
                        .filter(line -> line.regionMatches(true, 0, "Content-Length:", 0, 15))
                        .mapToLong(line -> Long.parseLong(line.substring(15).strip())).findFirst().orElse(0);
                in.skipNBytes(length);
                out.write(ANSWER);
                out.flush();
            }
        } catch (IOException closed) {
            // the client closed the connection
        }
    }
}
