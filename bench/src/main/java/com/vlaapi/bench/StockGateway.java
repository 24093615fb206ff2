package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Spring Cloud Gateway with nothing of ours (bench/stock-gateway), routing {@code /v1/inference}
 * to inference-service over HTTP with the headers a direct client sends: the floor gateway-service
 * is built on, measured beside it. It runs with gateway-service's JVM options and is tracked by the
 * fleet as {@value #INSTANCE} (CPU and JIT time, stopped with the fleet).
 */
final class StockGateway {

    static final String INSTANCE = "stock-gateway";
    private static final String JAR_FOLDER = "bench/stock-gateway/target";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int port;

    private StockGateway(int port) {
        this.port = port;
    }

    /** Starts it on a free port, routing to {@code upstream} with {@code headers} added, and waits until it accepts connections. */
    static StockGateway start(LocalFleet fleet, Path root, URI upstream, Map<String, String> headers) throws Exception {
        Path jar;
        try (Stream<Path> files = Files.list(root.resolve(JAR_FOLDER))) {
            jar = files.filter(p -> p.getFileName().toString().matches("stock-gateway-.*\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("bench/stock-gateway is not packaged; run mvn install from the root"));
        } catch (IOException missing) {
            throw new IllegalStateException("bench/stock-gateway is not packaged; run mvn install from the root", missing);
        }
        int port = LocalFleet.freePort();
        Path log = root.resolve(JAR_FOLDER).resolve(INSTANCE + ".log");
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // In the environment: the internal credential stays off the command line that ps shows.
        builder.environment().put("JAVA_TOOL_OPTIONS", fleet.jvmOptions("gateway-service"));
        builder.environment().put("SPRING_APPLICATION_JSON", JSON.writeValueAsString(settings(port, upstream, headers)));
        fleet.track(INSTANCE, builder.start());
        awaitListening(fleet, port, log);
        return new StockGateway(port);
    }

    /** Its port, and one route: {@code upstream}'s path to {@code upstream}, with {@code headers} added. */
    static ObjectNode settings(int port, URI upstream, Map<String, String> headers) {
        ObjectNode settings = JSON.createObjectNode();
        settings.putObject("server").put("port", port);
        ObjectNode route = settings.putObject("spring").putObject("cloud").putObject("gateway").putObject("server")
                .putObject("webflux").putArray("routes").addObject();
        route.put("id", "inference");
        route.put("uri", upstream.getScheme() + "://" + upstream.getAuthority());
        route.putArray("predicates").add("Path=" + upstream.getPath());
        ArrayNode filters = route.putArray("filters");
        // Name and value as arguments, not the "name, value" shortcut, which a comma in a value would split.
        headers.forEach((name, value) -> filters.addObject().put("name", "AddRequestHeader")
                .putObject("args").put("name", name).put("value", value));
        return settings;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private static void awaitListening(LocalFleet fleet, int port, Path log) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!fleet.isRunning(INSTANCE)) {
                throw new IllegalStateException("the stock gateway exited at start; its log: " + log);
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the stock gateway is not listening on " + port + " after "
                + START_TIMEOUT.toSeconds() + " s; its log: " + log);
    }
}
