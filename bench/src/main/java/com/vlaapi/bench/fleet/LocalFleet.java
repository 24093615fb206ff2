package com.vlaapi.bench.fleet;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The whole product as separate processes, as {@code deploy/fleet.conf} defines it, started from
 * the jars Maven just packaged, on free ports, against a database and Redis key prefix of its own.
 * Closing it stops the services gracefully (SIGTERM) and drops the database.
 *
 * <p>It creates that database over TCP as the tests' administrator, the server and login
 * test-support's TestDatabase uses ({@code VLA_TEST_DB_ADMIN_URL}, {@code _USER}, {@code _PASSWORD}),
 * and each service logs in as its own role with the password deploy/fleet.conf gives it: the
 * exported {@code VLA_<SERVICE>_DB_PASSWORD} (bin/vla test exports bin/vla up's, the roles'
 * passwords on the server), else a made-up one, which only a server that trusts local connections
 * accepts. {@link #onPreparedDatabase} runs a fleet on a database deploy/scripts/postgres.sh prepared
 * instead, with no administrator at all.
 */
public final class LocalFleet implements AutoCloseable {

    private static final Set<Integer> GIVEN_PORTS = ConcurrentHashMap.newKeySet();
    /**
     * How long a service may take to report healthy. Only a bound for giving up: a start returns as
     * soon as the service is up, and on a loaded two-core machine services starting together have
     * taken over two minutes.
     */
    private static final Duration START_UP_LIMIT = Duration.ofMinutes(5);
    private static final String ADMIN_URL = env("VLA_TEST_DB_ADMIN_URL", "jdbc:postgresql://127.0.0.1:5432/postgres");
    private static final String ADMIN_USER = env("VLA_TEST_DB_ADMIN_USER", "postgres");
    private static final String ADMIN_PASSWORD = env("VLA_TEST_DB_ADMIN_PASSWORD", "");

    private final Path root;
    private final FleetDefinition definition;
    public final String database;
    /** {@code jdbc:postgresql://host:port/}: the server the fleet's database is on. */
    private final String server;
    /** Created by {@link #prepare()} and dropped by {@link #close()}, or prepared by someone else and left alone. */
    private final boolean ownDatabase;
    public final String adminToken = UUID.randomUUID().toString();
    /** deploy/fleet.conf's {secret:NAME}s other than the admin token, made up on first use. */
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    /** The fleet's services run on the machine's UTC clock: events a benchmark sends are served "now" by it. */
    public final Clock clock = Clock.systemUTC();
    public final String redisPrefix = "vla-e2e-" + UUID.randomUUID() + ":";
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Instances whose actuator has a port of its own (the gateway's). */
    private final Map<String, Integer> managementPorts = new LinkedHashMap<>();
    private final Map<String, Process> processes = new LinkedHashMap<>();
    private final Map<String, String> serviceOf = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> extraSettingsOf = new LinkedHashMap<>();
    /** Instances that run another build of their service than the one in its target/ folder. */
    private final Map<String, Path> jarOf = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> settings = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newHttpClient();

    public LocalFleet(Path root) {
        this(root, ADMIN_URL.substring(0, ADMIN_URL.lastIndexOf('/') + 1),
                "e2e_" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()), true);
    }

    private LocalFleet(Path root, String server, String database, boolean ownDatabase) {
        this.root = root;
        this.definition = FleetDefinition.read(root);
        this.server = server;
        this.database = database;
        this.ownDatabase = ownDatabase;
    }

    /**
     * A fleet on {@code database} of the PostgreSQL on 127.0.0.1:{@code port}, which
     * deploy/scripts/postgres.sh prepared (roles, schemas, extension) and gave the services' roles
     * {@code rolePasswords} (by deploy/fleet.conf's secret names: {@code customer-db-password}, ...).
     * The fleet neither creates nor drops it, and has no administrator's connection ({@link #connect()}).
     */
    public static LocalFleet onPreparedDatabase(Path root, int port, String database, Map<String, String> rolePasswords) {
        LocalFleet fleet = new LocalFleet(root, "jdbc:postgresql://127.0.0.1:" + port + "/", database, false);
        fleet.secrets.putAll(rolePasswords);
        return fleet;
    }

    /** The JVM options deploy/fleet.conf gives {@code service}, as one JAVA_TOOL_OPTIONS value (empty if none). */
    public String jvmOptions(String service) {
        return String.join(" ", definition.service(service).jvmOptions());
    }

    /** The fleet's services, by their module names, in the definition's order. */
    public List<String> services() {
        return definition.names();
    }

    public String databaseUrl() {
        return server + database;
    }

    public URI url(String service, String path) {
        return URI.create("http://127.0.0.1:" + ports.get(service) + path);
    }

    /** {@code path} on the instance's actuator: its management port if it has one (the gateway), else its port. */
    public URI managementUrl(String instance, String path) {
        return URI.create("http://127.0.0.1:" + managementPorts.getOrDefault(instance, ports.get(instance)) + path);
    }

    /** The running instances and the service each is an instance of (not the processes it only {@link #track}s). */
    public Map<String, String> instances() {
        Map<String, String> running = new LinkedHashMap<>();
        processes.keySet().stream().filter(serviceOf::containsKey)
                .forEach(instance -> running.put(instance, serviceOf.get(instance)));
        return running;
    }

    /**
     * A process of the benchmark's own beside the fleet (a reference it measures the fleet
     * against), under {@code name}: its CPU and JIT time are read as an instance's, and it stops
     * with the fleet.
     */
    public void track(String name, Process process) {
        processes.put(name, process);
    }

    /** The jar {@code mvn install} packaged in {@code module}'s target folder for {@code artifact}. */
    public static Path packagedJar(Path module, String artifact) throws IOException {
        Path target = module.resolve("target");
        String notPackaged = module.getFileName() + " is not packaged; run mvn install -DskipTests from the root";
        if (!Files.isDirectory(target)) {
            throw new IllegalStateException(notPackaged);
        }
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches(Pattern.quote(artifact) + "-[0-9].*\\.jar"))
                    .findFirst().orElseThrow(() -> new IllegalStateException(notPackaged));
        }
    }

    /** Whether the instance (or tracked process) is still alive. */
    public boolean isRunning(String instance) {
        Process process = processes.get(instance);
        return process != null && process.isAlive();
    }

    /** {@code host:port} of the instance's actuator, where Prometheus scrapes it. */
    public String metricsAddress(String instance) {
        return "127.0.0.1:" + managementPorts.getOrDefault(instance, ports.get(instance));
    }

    /**
     * A port no instance of any fleet in this JVM was given, free now, and below Linux's ephemeral
     * range (32768 and up): a port the OS picked for us could be handed out again, to another
     * instance or to an outgoing connection, before the service binds it, and then a health check
     * would reach the wrong process.
     */
    public static int freePort() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (!GIVEN_PORTS.add(candidate)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(candidate)) {
                return candidate;
            } catch (IOException taken) {
                // some other process listens there
            }
        }
        throw new IOException("no free port between 20000 and 32000 after 1000 tries");
    }

    /**
     * CPU time the instance's JIT compiler threads have used so far, read from Linux's /proc (the
     * only OS this fleet runs on); threads that ended are not counted.
     */
    public Duration jitCompilerTime(String instance) throws IOException {
        long ticks = 0;
        try (Stream<Path> threads = Files.list(Path.of("/proc", String.valueOf(processes.get(instance).pid()), "task"))) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                String stat;
                try {
                    stat = Files.readString(thread.resolve("stat"));
                } catch (IOException ended) {
                    continue;
                }
                // pid (comm) state ...: the name may hold spaces, the fields after it never do.
                String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
        }
        // utime and stime count USER_HZ ticks, 100 per second on every Linux.
        return Duration.ofMillis(ticks * 10);
    }

    /** The instance's process id, for a JDK tool to attach to it (jcmd starting a flight recording). */
    public long pid(String instance) {
        return processes.get(instance).pid();
    }

    /** For each of {@code names}, the sum of the instance's Prometheus samples of that name (every label set), from one scrape. */
    public double[] metrics(String instance, String... names) throws IOException, InterruptedException {
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(managementUrl(instance, "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> lines = metrics.body().lines().toList();
        double[] sums = new double[names.length];
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            sums[i] = lines.stream().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                    .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
        }
        return sums;
    }

    /** CPU time the instance's process has used so far. */
    public Duration cpuTime(String instance) {
        return processes.get(instance).info().totalCpuDuration()
                .orElseThrow(() -> new IllegalStateException("this OS does not report the CPU time of " + instance));
    }

    /**
     * Settings (environment variables) that every instance of {@code service} this fleet starts
     * gets on top of the fleet's own; call before {@link #start()}.
     */
    public LocalFleet configure(String service, Map<String, String> env) {
        settings.computeIfAbsent(service, s -> new LinkedHashMap<>()).putAll(env);
        return this;
    }

    /** Creates the database, launches all services at once and waits until each is healthy. */
    public void start() throws Exception {
        prepare();
        for (String service : services()) {
            launch(service);
        }
        for (String service : services()) {
            awaitHealthy(service);
        }
    }

    /** The database and the ports, before any service is launched. */
    public void prepare() throws Exception {
        createDatabase();
        for (String service : services()) {
            ports.put(service, freePort());
        }
    }

    /** Starts one of the services without waiting for it; no service needs another running first. */
    public void launch(String service) throws Exception {
        launch(service, service, Map.of());
    }

    /** Starts one of the services and waits until it is healthy; {@link #prepare()} first. */
    public void startAndAwait(String service) throws Exception {
        launch(service);
        awaitHealthy(service);
    }

    /** Graceful stop (SIGTERM), as {@code bin/vla down} does. */
    private void stop(String instance) throws InterruptedException {
        Process p = processes.remove(instance);
        if (p != null) {
            p.destroy();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code kill -9}: the instance dies at once, as in a crash, with whatever it held in memory. */
    public void kill(String instance) throws InterruptedException {
        Process p = processes.remove(instance);
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(instance + " (pid " + p.pid() + ") still runs 30 s after SIGKILL");
        }
    }

    /** Starts a killed instance again, on its port, with its settings and state folder, and waits until it is healthy. */
    public void restart(String instance) throws Exception {
        launch(instance, serviceOf.get(instance), extraSettingsOf.get(instance));
        awaitHealthy(instance);
    }

    /** The service's log so far (its standard output and error, every start of it). */
    public String log(String instance) throws IOException {
        return Files.readString(logOf(instance));
    }

    private String port(String service) {
        return String.valueOf(ports.get(service));
    }

    /**
     * One more instance of {@code service} under the name {@code instance} (for example an
     * inference-service with request logging off), on a free port; returns its base URL.
     */
    public URI startExtra(String instance, String service, Map<String, String> env) throws Exception {
        ports.put(instance, freePort());
        launch(instance, service, env);
        awaitHealthy(instance);
        return url(instance, "");
    }

    /** As {@link #startExtra(String, String, Map)}, running {@code jar} (another build of the service). */
    public URI startExtra(String instance, String service, Map<String, String> env, Path jar) throws Exception {
        jarOf.put(instance, jar);
        return startExtra(instance, service, env);
    }

    private void launch(String instance, String service, Map<String, String> extraEnv) throws Exception {
        boolean restart = serviceOf.containsKey(instance);
        serviceOf.put(instance, service);
        extraSettingsOf.put(instance, extraEnv);
        if (!restart) {
            // A restart appends to the log: what the instance said before its crash stays readable.
            Files.deleteIfExists(logOf(instance));
        }
        Path jar = jarOf.containsKey(instance) ? jarOf.get(instance) : packagedJar(root.resolve(service), service);
        Path log = logOf(instance);
        FleetDefinition.Service defined = definition.service(service);
        ProcessBuilder builder = new ProcessBuilder("java", "-Xmx512m", "-jar", jar.toString())
                .directory(root.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Map<String, String> env = builder.environment();
        // In the environment, not on the command line, so that an instance started with a
        // JAVA_TOOL_OPTIONS of its own (a benchmark's variant) runs with those alone: the command
        // line would override them.
        if (!defined.jvmOptions().isEmpty()) {
            env.put("JAVA_TOOL_OPTIONS", jvmOptions(service));
        }
        env.putAll(defined.environment(placeholder -> resolve(placeholder, instance)));
        env.put(defined.portVariable(), port(instance));
        if (defined.managementPort().isPresent()) {
            int management = managementPorts.containsKey(instance) ? managementPorts.get(instance) : freePort();
            managementPorts.put(instance, management);
            env.put("MANAGEMENT_SERVER_PORT", String.valueOf(management));
        }
        if (defined.environment().containsKey("VLA_REDIS_HOST")) {
            env.put("VLA_REDIS_PREFIX", redisPrefix);
        }
        env.putAll(settings.getOrDefault(service, Map.of()));
        env.putAll(extraEnv);
        processes.put(instance, builder.start());
    }

    /**
     * A secret of deploy/fleet.conf: {@code admin-token}, or a service's internal credential
     * ({@code gateway-token}, {@code inference-token}, ...) to call as that service.
     */
    public String secret(String name) {
        return name.equals("admin-token") ? adminToken : secrets.computeIfAbsent(name, n -> exportedRolePassword(n)
                .orElseGet(() -> UUID.randomUUID().toString()));
    }

    /** A database role's password is the server's, not this fleet's to make up: {@code customer-db-password} is VLA_CUSTOMER_DB_PASSWORD. */
    private static Optional<String> exportedRolePassword(String secret) {
        if (!secret.endsWith("-db-password")) {
            return Optional.empty();
        }
        return Optional.ofNullable(System.getenv("VLA_" + secret.toUpperCase(java.util.Locale.ROOT).replace('-', '_')))
                .filter(password -> !password.isBlank());
    }

    /** The definition's placeholders as this fleet has them for one instance. */
    private Optional<String> resolve(FleetDefinition.Placeholder placeholder, String instance) {
        return Optional.of(switch (placeholder.kind()) {
            case "url" -> "http://127.0.0.1:" + port(placeholder.argument());
            case "secret" -> secret(placeholder.argument());
            case "database" -> databaseUrl();
            case "redis-host" -> "127.0.0.1";
            case "models" -> root.resolve("reference-policy/bundles").toString();
            // Kept across a restart of the instance, as a crash must not lose it.
            case "state" -> root.resolve(serviceOf.get(instance)).resolve("target").resolve("fleet-state")
                    .resolve(database).resolve(instance).toString();
            default -> throw new IllegalStateException("deploy/fleet.conf has an unknown placeholder: " + placeholder);
        });
    }

    public void awaitHealthy(String service) throws Exception {
        Process process = processes.get(service);
        Path log = logOf(service);
        long deadline = System.nanoTime() + START_UP_LIMIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(service + " exited during start-up:\n" + tail(log));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(managementUrl(service, definition.service(serviceOf.get(service)).healthPath()))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200 && health.body().contains("UP")) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(service + " not healthy after " + START_UP_LIMIT.toSeconds() + " s:\n" + tail(log));
    }

    private Path logOf(String instance) {
        return root.resolve(serviceOf.get(instance)).resolve("target").resolve("fleet-" + instance + ".log");
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** To the fleet's database as the tests' administrator; not for a fleet {@link #onPreparedDatabase on a prepared database}. */
    public Connection connect() throws SQLException {
        if (!ownDatabase) {
            throw new IllegalStateException("a fleet on a prepared database has no administrator: connect as one of its roles");
        }
        return DriverManager.getConnection(databaseUrl(), ADMIN_USER, ADMIN_PASSWORD);
    }

    /**
     * As deploy/scripts/postgres.sh prepares production's: each service connects as its own role
     * (deploy/postgres/roles.sql). The roles' passwords are left as they are: they are the server's
     * (see the class comment).
     */
    private void createDatabase() throws SQLException, IOException {
        if (!ownDatabase) {
            return;
        }
        try (Connection c = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
            s.execute("ALTER DATABASE " + database + " SET search_path = reporting, \"$user\", public");
        }
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS vector");
            s.execute(Files.readString(root.resolve("deploy/postgres/roles.sql")));
        }
    }

    /** Stops every instance in reverse start order, gracefully, as {@code bin/vla down} does; the database stays. */
    public void stopServices() throws InterruptedException {
        List<String> reverse = new ArrayList<>(processes.keySet());
        Collections.reverse(reverse);
        for (String instance : reverse) {
            stop(instance);
        }
    }

    /** Drops the fleet's database now, as a disaster would (restore tests); {@link #close()} still cleans up. */
    public void dropDatabase() throws SQLException {
        if (!ownDatabase) {
            throw new IllegalStateException("a fleet on a prepared database leaves it to whoever prepared it");
        }
        try (Connection c = DriverManager.getConnection(ADMIN_URL, ADMIN_USER, ADMIN_PASSWORD); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    /** Stops the services, then removes the database (its own) and the Redis keys. */
    @Override
    public void close() throws Exception {
        stopServices();
        if (ownDatabase) {
            dropDatabase();
        }
        RedisClient redis = RedisClient.create("redis://127.0.0.1:6379");
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            List<String> keys = connection.sync().keys(redisPrefix + "*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            redis.shutdown();
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
