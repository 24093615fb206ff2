package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Spring Cloud Gateway with nothing of ours, routing {@code /v1/inference} to inference-service
 * over HTTP with the headers a direct client sends: the floor gateway-service is built on, measured
 * beside it, on either of the framework's servers. It runs with gateway-service's JVM options and
 * is tracked by the fleet under its server's instance name (CPU and JIT time, stopped with the
 * fleet).
 */
final class StockGateway {

    /** The framework's two servers, each packaged as an app of the benchmark's (bench/&lt;instance&gt;). */
    enum Server {
        /** Reactor Netty, event loops: what gateway-service runs on. */
        WEBFLUX("stock-gateway", "webflux"),
        /** Tomcat, a thread per request, a blocking client to the upstream. */
        WEBMVC("stock-gateway-mvc", "webmvc");

        private final String instance;
        private final String settingsKey;

        Server(String instance, String settingsKey) {
            this.instance = instance;
            this.settingsKey = settingsKey;
        }

        /** Its name among the fleet's tracked processes, and its module's folder under bench/. */
        String instance() {
            return instance;
        }
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final int port;

    private StockGateway(int port) {
        this.port = port;
    }

    /** Starts it on a free port, routing to {@code upstream} with {@code headers} set, and waits until it accepts connections. */
    static StockGateway start(Server server, LocalFleet fleet, Path root, URI upstream, Map<String, String> headers)
            throws Exception {
        Path module = root.resolve("bench").resolve(server.instance());
        Path jar = LocalFleet.packagedJar(module, server.instance());
        int port = LocalFleet.freePort();
        Path log = module.resolve("target").resolve(server.instance() + ".log");
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // In the environment: the internal credential stays off the command line that ps shows.
        builder.environment().put("JAVA_TOOL_OPTIONS", fleet.jvmOptions("gateway-service"));
        builder.environment().put("SPRING_APPLICATION_JSON", JSON.writeValueAsString(settings(server, port, upstream, headers)));
        fleet.track(server.instance(), builder.start());
        Listening.await(server.instance(), port, START_TIMEOUT, () -> fleet.isRunning(server.instance()), () -> "its log: " + log);
        return new StockGateway(port);
    }

    /** Its port, and one route: {@code upstream}'s path to {@code upstream}, with {@code headers} set. */
    static ObjectNode settings(Server server, int port, URI upstream, Map<String, String> headers) {
        ObjectNode settings = JSON.createObjectNode();
        settings.putObject("server").put("port", port);
        ObjectNode route = settings.putObject("spring").putObject("cloud").putObject("gateway").putObject("server")
                .putObject(server.settingsKey).putArray("routes").addObject();
        route.put("id", "inference");
        route.put("uri", upstream.getScheme() + "://" + upstream.getAuthority());
        route.putArray("predicates").add("Path=" + upstream.getPath());
        ArrayNode filters = route.putArray("filters");
        // SetRequestHeader, whose name and value are single arguments on both servers (Server MVC's
        // AddRequestHeader takes values, which a comma splits), and which replaces a header a client sent.
        headers.forEach((name, value) -> filters.addObject().put("name", "SetRequestHeader")
                .putObject("args").put("name", name).put("value", value));
        return settings;
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
