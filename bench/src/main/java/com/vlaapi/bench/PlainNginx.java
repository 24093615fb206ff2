package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's nginx as a plain reverse proxy in front of one upstream, with no logic of its own: the
 * floor a proxy's added latency and CPU can be measured against. Its configuration, pid, error log
 * and temporary files live in a folder of its own; it runs in the foreground as this process's
 * child and is stopped with it.
 *
 * <p>One worker process: one event loop proxies thousands of requests a second, far more than the
 * upstream serves on this machine, and a second worker would split the upstream keepalive pool and
 * compete for the same two cores as everything else.
 */
final class PlainNginx implements AutoCloseable {

    private static final Path NGINX = Path.of("/usr/sbin/nginx");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path prefix;
    private final Process process;
    private final int port;

    private PlainNginx(Path prefix, Process process, int port) {
        this.prefix = prefix;
        this.process = process;
        this.port = port;
    }

    /** Starts nginx proxying everything to {@code 127.0.0.1:upstreamPort} and waits until it accepts connections. */
    static PlainNginx start(int upstreamPort) throws Exception {
        if (!Files.isExecutable(NGINX)) {
            throw new IllegalStateException(NGINX + " is missing: run deploy/scripts/nginx.sh install (bin/vla bench gateway does)");
        }
        // Readable by all: as root, nginx runs its worker as nobody, which must reach its temporary folders here.
        Path prefix = Files.createTempDirectory("vla-plain-nginx-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int port = LocalFleet.freePort();
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, configuration(prefix, port, upstreamPort));
        Process process = new ProcessBuilder(NGINX.toString(), "-p", prefix + "/", "-e", prefix.resolve("error.log").toString(),
                "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(prefix.resolve("nginx.out").toFile()).start();
        PlainNginx nginx = new PlainNginx(prefix, process, port);
        Listening.await("nginx", port, START_TIMEOUT, process::isAlive, nginx::log);
        return nginx;
    }

    /**
     * Nothing but the proxying: no access log, no headers of its own (the client's pass through,
     * Host included), HTTP/1.1 with a keepalive pool to the upstream as a production proxy has, a
     * body limit over the gateway's (12 MB) so that no request the gateway takes is refused here.
     * Requests per connection are not capped on either side, as the gateway does not cap them.
     */
    private static String configuration(Path prefix, int port, int upstreamPort) {
        return String.join("\n", List.of(
                "daemon off;",
                "worker_processes 1;",
                "pid " + prefix.resolve("nginx.pid") + ";",
                "error_log " + prefix.resolve("error.log") + " warn;",
                "events { worker_connections 1024; }",
                "http {",
                "    access_log off;",
                "    client_body_temp_path " + prefix.resolve("client_body") + ";",
                "    proxy_temp_path " + prefix.resolve("proxy") + ";",
                "    fastcgi_temp_path " + prefix.resolve("fastcgi") + ";",
                "    uwsgi_temp_path " + prefix.resolve("uwsgi") + ";",
                "    scgi_temp_path " + prefix.resolve("scgi") + ";",
                "    client_max_body_size 16m;",
                "    keepalive_requests 1000000;",
                "    upstream inference {",
                "        server 127.0.0.1:" + upstreamPort + ";",
                "        keepalive 32;",
                "        keepalive_requests 1000000;",
                "    }",
                "    server {",
                "        listen 127.0.0.1:" + port + ";",
                "        location / {",
                "            proxy_pass http://inference;",
                "            proxy_http_version 1.1;",
                "            proxy_set_header Connection \"\";",
                "            proxy_set_header Host $http_host;",
                "        }",
                "    }",
                "}",
                ""));
    }

    /** The version line {@code nginx -v} prints, for the report. */
    static String version() throws Exception {
        Process nginx = new ProcessBuilder(NGINX.toString(), "-v").redirectErrorStream(true).start();
        String printed = new String(nginx.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        nginx.waitFor();
        return printed.trim();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** CPU time nginx has used so far: the master process and its worker. */
    Duration cpuTime() {
        ProcessHandle master = process.toHandle();
        return Stream.concat(Stream.of(master), master.descendants())
                .map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    private String log() {
        Path errors = prefix.resolve("error.log");
        try {
            return "it said:\n" + Files.readString(prefix.resolve("nginx.out")) + (Files.exists(errors) ? Files.readString(errors) : "");
        } catch (IOException unreadable) {
            return "its folder: " + prefix;
        }
    }

    /** SIGTERM: nginx's fast shutdown. The folder stays only if nginx logged errors, for a look at them. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
        Path errors = prefix.resolve("error.log");
        if (Files.exists(errors) && Files.size(errors) > 0) {
            System.out.println("nginx logged errors; its folder is kept: " + prefix);
            return;
        }
        try (Stream<Path> files = Files.walk(prefix)) {
            for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(file);
            }
        }
    }
}
