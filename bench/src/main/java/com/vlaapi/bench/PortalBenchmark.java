package com.vlaapi.bench;

import com.vlaapi.bench.fleet.LocalFleet;
import com.vlaapi.bench.load.Call;
import com.vlaapi.bench.load.Load;
import com.vlaapi.servicecontract.ServiceHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/vla bench portal [SAMPLES] [ROWS] [OTHERS]}: how long each page of the customer portal
 * takes to load for a signed-in user of a customer with ROWS (default 1 million) requests in its
 * request log. Target (the portal's issue): under 200 ms at p95 for every page.
 *
 * <p>On a fleet of its own (LocalFleet: deploy/fleet.conf's services from the packaged jars, in a
 * database of their own): one enterprise customer created through the admin API, an admin portal
 * user invited through it and activated over HTTP as a browser does (set-password form with its
 * CSRF token, cookies kept by hand: they are Secure, and this is plain HTTP to the service).
 * Then, as the database's administrator, ROWS rows in {@code inference.inference_logs} for that
 * customer over the last {@value #DAYS} days (three monthly partitions), written in time order a day
 * per statement with {@code INSERT ... SELECT generate_series}, interleaved with OTHERS (default 1)
 * requests of {@value #OTHER_CUSTOMERS} other customers per request of the customer, as a shared log
 * holds them (the customer's rows spread over that many more table pages), with what inference-service writes
 * alongside (their ids in {@code logged_request_ids}) and billing's usage event for each 200 in
 * {@code billing.usage_events} (its triggers keep the daily rollup the billing summary reads), about
 * 2% errors (400, 422, 500, 503 with their error codes), safety flags on a few percent of the
 * actions; invoices for the last six months generated and finalized through billing's admin API;
 * then VACUUM ANALYZE, as autovacuum would.
 *
 * <p>Each page is first loaded once and checked (200, no "unavailable" alert: the overview shows
 * one instead of failing when billing or inference does not answer in time), the services are
 * warmed up until their JIT has settled (Warmup), and then the pages are loaded SAMPLES times each
 * (default 500) by one client, the pages alternating request by request (Load.alternating), with
 * the internal API calls behind them, made directly with customer-service's credential, in the
 * same rotation: where a page's time goes. Prints p50, p95 and p99 per page and a pass or fail line
 * per page against 200 ms at p95: a report, not an assertion.
 *
 * <p>The fleet is stopped and its database dropped at the end, after a failure, and on Ctrl-C.
 */
public final class PortalBenchmark {

    static final double TARGET_P95_MS = 200;
    static final int DAYS = 60;
    private static final String PASSWORD = "bench portal password 2026";
    private static final int WARMUP_MAX_CYCLES = 25;
    /** The other customers whose requests share the log (and its pages on disk) with the benchmark customer's. */
    private static final int OTHER_CUSTOMERS = 20;
    private static final Duration WARMUP_ROUND = Duration.ofSeconds(3);
    private static final int INVOICED_MONTHS = 6;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Instructions a tabletop customer sends; the rows cycle through them. */
    private static final List<String> INSTRUCTIONS = List.of("pick up the red cube", "put the block in the bowl",
            "open the top drawer", "push the green cup to the left", "stack the blue block on the red block",
            "close the drawer", "pick up the sponge", "move the spoon next to the pot");

    /**
     * One day's requests, as inference-service's request log and billing's usage ingestion would
     * have stored them: the log row, its id in logged_request_ids, and for a 200 the usage event
     * (received a moment after it was served). Of every %6$d requests (n), one is the benchmark
     * customer's and the others are other customers' (%7$s, in turn), all in time order as they
     * arrived. Parameters: day start, day end, day start, rows. About 2% errors: 400 not_an_image or
     * unknown_robot and 503 overloaded before the model ran, 500 internal_error, 422 unsafe_action
     * (the model's action kept as raw_action, none sent); 3% of successes clipped (raw_action
     * differs), 1% out of distribution, 0.5% low gripper confidence.
     */
    private static final String FILL_DAY = """
            WITH g AS MATERIALIZED (
                SELECT gen_random_uuid() AS request_id, n, n / %6$d AS i, at, latency,
                       CASE WHEN n %% %6$d = 0 THEN '%1$s'::uuid ELSE (%7$s)[1 + n %% %9$d] END AS customer_id,
                       CASE WHEN n %% %6$d = 0 THEN '%2$s'::uuid ELSE (%8$s)[1 + n %% %9$d] END AS api_key_id,
                       CASE WHEN e >= 0.02 THEN 200 WHEN e < 0.006 THEN 400 WHEN e < 0.008 THEN 400
                            WHEN e < 0.013 THEN 422 WHEN e < 0.016 THEN 500 ELSE 503 END AS status_code,
                       CASE WHEN e >= 0.02 THEN NULL WHEN e < 0.006 THEN 'not_an_image' WHEN e < 0.008 THEN 'unknown_robot'
                            WHEN e < 0.013 THEN 'unsafe_action' WHEN e < 0.016 THEN 'internal_error'
                            ELSE 'overloaded' END AS error_code,
                       CASE WHEN e >= 0.02 THEN
                                CASE WHEN f < 0.03 THEN ARRAY['clipped'] WHEN f < 0.04 THEN ARRAY['out_of_distribution']
                                     WHEN f < 0.045 THEN ARRAY['low_gripper_confidence'] ELSE ARRAY[]::text[] END
                            WHEN e >= 0.008 AND e < 0.013 THEN ARRAY['out_of_workspace'] END AS safety_flags
                FROM (SELECT n, ?::timestamptz + random() * (?::timestamptz - ?::timestamptz) AS at, random() AS e,
                             random() AS f, 4 + 20 * random() * random() AS latency
                      FROM generate_series(1, ?) n) r
            ), ids AS (
                INSERT INTO inference.logged_request_ids (request_id, "timestamp") SELECT request_id, at FROM g
            ), usage AS (
                INSERT INTO billing.usage_events (request_id, customer_id, api_key_id, served_at, model, received_at)
                SELECT request_id, customer_id, api_key_id, at, 'tabletop-v1', at + interval '2 seconds' FROM g
                WHERE status_code = 200
            )
            INSERT INTO inference.inference_logs (request_id, customer_id, api_key_id, "timestamp", model, model_version,
                unnorm_key, instruction, action, inference_latency_ms, total_latency_ms, status_code, error_code,
                image_bytes, image_width, image_height, batch_size, embedding, safety_score, robot, raw_action,
                safety_flags)
            SELECT request_id, customer_id, api_key_id, at, 'tabletop-v1', '1.0.0', 'tabletop_sim', (%3$s)[1 + i %% %4$d],
                   CASE WHEN status_code = 200 THEN ARRAY[0.0375, -0.0124, 0.0051, 0, 0, 0.0213, 1]::float8[] END,
                   CASE WHEN status_code IN (200, 422) THEN latency END, latency + 2.5, status_code, error_code,
                   48000, 96, 96, 1 + (n %% 8),
                   CASE WHEN status_code = 200 THEN %5$s::public.vector END,
                   CASE WHEN status_code = 200 THEN random() END,
                   CASE i %% 3 WHEN 0 THEN NULL WHEN 1 THEN 'franka-left' ELSE 'franka-right' END,
                   CASE WHEN safety_flags && ARRAY['clipped', 'out_of_workspace']
                        THEN ARRAY[0.0911, -0.0124, 0.0051, 0, 0, 0.0213, 1]::float8[] END,
                   safety_flags
            FROM g ORDER BY at""";

    /** A page of the portal: what the report calls it, and its path. */
    private record Page(String name, String path) {
    }

    private PortalBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        long rows = args.length > 1 ? Long.parseLong(args[1].replace("_", "")) : 1_000_000L;
        int others = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        Path root = Path.of("").toAbsolutePath();
        long started = System.nanoTime();
        System.out.printf("Customer portal benchmark: %,d request-log rows for one customer over %d days (and %,d of %d"
                + " other customers'), %d samples per page, one client, %d cores; target p95 < %.0f ms%n", rows, DAYS,
                rows * others, OTHER_CUSTOMERS, samples, Runtime.getRuntime().availableProcessors(), TARGET_P95_MS);
        LocalFleet fleet = new LocalFleet(root);
        AtomicBoolean closed = new AtomicBoolean();
        Thread stopOnExit = new Thread(() -> close(fleet, closed));
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        try {
            run(fleet, samples, rows, others);
        } finally {
            close(fleet, closed);
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: the fleet is closed either way
            }
        }
        System.out.printf("%nwhole benchmark: %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** Stops the services and drops the database once, from the main thread or the shutdown hook (Ctrl-C). */
    private static void close(LocalFleet fleet, AtomicBoolean closed) {
        if (closed.getAndSet(true)) {
            return;
        }
        System.out.println("stopping the fleet and dropping its database " + fleet.database + "...");
        try {
            fleet.close();
        } catch (Exception e) {
            System.err.println("could not clean up the fleet: " + e + " (database " + fleet.database + ")");
        }
    }

    private static void run(LocalFleet fleet, int samples, long rows, int others) throws Exception {
        long t = System.nanoTime();
        System.out.println("starting the fleet...");
        fleet.start();
        System.out.printf("fleet up in %.0f s (database %s)%n", (System.nanoTime() - t) / 1e9, fleet.database);

        JsonNode created = BenchCustomers.create(fleet, "Portal Bench Robotics", null);
        UUID customerId = UUID.fromString(created.get("customer").get("customer_id").asString());
        UUID keyId = UUID.fromString(created.get("api_key").get("key_id").asString());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        UUID detailId;
        try (Connection db = fleet.connect()) {
            // Billing invoices a month to the customers that existed in it.
            execute(db, "UPDATE customer.customers SET created_at = now() - interval '1 year' WHERE customer_id = '"
                    + customerId + "'");
            fill(db, customerId, keyId, rows, others, now.minus(Duration.ofDays(DAYS)), now);
            invoices(fleet, YearMonth.from(now.atZone(ZoneOffset.UTC)));
            vacuumAnalyze(db);
            detailId = requestForDetail(db, customerId, now);
        }

        Browser browser = signIn(fleet, customerId);
        List<Page> pages = List.of(
                new Page("overview", "/portal"),
                new Page("keys", "/portal/keys"),
                new Page("requests", "/portal/requests"),
                new Page("requests, errors", "/portal/requests?status=error"),
                new Page("request detail", "/portal/requests/" + detailId),
                new Page("invoices", "/portal/invoices"),
                new Page("team", "/portal/team"),
                new Page("security", "/portal/security"));
        String base = "/internal/v1/customers/" + customerId;
        Internal internal = new Internal(fleet);
        Map<String, Call> behind = new LinkedHashMap<>();
        behind.put("billing-summary (billing)", internal.call("billing-service", base + "/billing-summary"));
        behind.put("safety-summary (inference)", internal.call("inference-service", base + "/safety-summary"));
        behind.put("requests, all (inference)", internal.call("inference-service", base + "/requests?limit=100&status=all"));
        behind.put("requests, errors (inference)",
                internal.call("inference-service", base + "/requests?limit=100&status=error"));
        behind.put("request detail (inference)", internal.call("inference-service", base + "/requests/" + detailId));
        behind.put("invoices (billing)", internal.call("billing-service", base + "/invoices"));

        System.out.println("\neach page once, as the signed-in admin:");
        for (Page page : pages) {
            String body = browser.page(page.path());
            System.out.printf("  %-18s %-56s 200, %,7d bytes%s%n", page.name(), page.path(), body.length(),
                    describe(page, body));
        }
        for (Map.Entry<String, Call> call : behind.entrySet()) {
            if (!call.getValue().send(0)) {
                throw new IllegalStateException("the internal call behind a page failed: " + call.getKey());
            }
        }

        Map<String, Call> pageCalls = new LinkedHashMap<>();
        pages.forEach(page -> pageCalls.put(page.name(), i -> browser.load(page.path())));
        System.out.println();
        Warmup.untilSettled(fleet, warmupPaths(pages, browser), WARMUP_ROUND, WARMUP_MAX_CYCLES);

        List<Call> calls = new ArrayList<>(pageCalls.values());
        calls.addAll(behind.values());
        System.out.printf("%nload average before measuring: %s%n", loadAverage());
        t = System.nanoTime();
        double[][] millis = Load.alternating(calls, 1, samples);
        System.out.printf("measured %,d page loads and %,d internal calls in %.0f s, one client, every request in turn;"
                + " load average after: %s%n", samples * pages.size(), samples * behind.size(),
                (System.nanoTime() - t) / 1e9, loadAverage());

        System.out.printf("%n%-52s %8s %8s %8s   p95 < %.0f ms%n", "page (GET, as the signed-in admin), ms", "p50", "p95",
                "p99", TARGET_P95_MS);
        List<String> missed = new ArrayList<>();
        for (int i = 0; i < pages.size(); i++) {
            Stats s = Stats.of(millis[i]);
            boolean pass = s.p95() < TARGET_P95_MS;
            if (!pass) {
                missed.add(pages.get(i).name());
            }
            System.out.printf("  %-50s %8.1f %8.1f %8.1f   %s%n", pages.get(i).name() + "  " + abbreviate(pages.get(i).path()),
                    s.p50(), s.p95(), s.p99(), pass ? "pass" : "FAIL");
        }
        System.out.printf("%n%-52s %8s %8s %8s%n", "internal call behind a page (customer-service's credential), ms",
                "p50", "p95", "p99");
        int k = pages.size();
        for (String name : behind.keySet()) {
            Stats s = Stats.of(millis[k++]);
            System.out.printf("  %-50s %8.1f %8.1f %8.1f%n", name, s.p50(), s.p95(), s.p99());
        }
        System.out.println(missed.isEmpty()
                ? String.format("%nPASS: every page loads in under %.0f ms at p95 with %,d request-log rows for the customer",
                        TARGET_P95_MS, rows)
                : String.format("%nFAIL: over %.0f ms at p95: %s", TARGET_P95_MS, String.join(", ", missed)));
    }

    /** What a page shows that says it is the real page: the rows it lists, the numbers it read. */
    private static String describe(Page page, String body) {
        int rows = count(body, "<tr");
        return switch (page.name()) {
            case "overview" -> ", usage " + first(body, "id=\"usage-requests\"[^>]*>([^<]+)<") + " requests this month, "
                    + count(body, "<rect") + " days charted, clipped " + first(body, "id=\"clipped-share\"[^>]*>([^<]+)<");
            case "requests", "requests, errors", "invoices", "keys", "team" -> ", " + Math.max(0, rows - 1) + " table rows";
            default -> "";
        };
    }

    private static int count(String body, String what) {
        int n = 0;
        for (int i = body.indexOf(what); i >= 0; i = body.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static String first(String body, String regex) {
        Matcher m = Pattern.compile(regex).matcher(body);
        return m.find() ? m.group(1).strip() : "?";
    }

    private static String abbreviate(String path) {
        return path.length() > 34 ? path.substring(0, 31) + "..." : path;
    }

    /**
     * Each service that serves the portal's pages warmed through the pages it serves, its JIT
     * watched: customer-service renders all of them, inference-service answers the request pages
     * and the overview's safety, billing-service the overview's usage and the invoices.
     */
    private static Map<String, Warmup.Path> warmupPaths(List<Page> pages, Browser browser) {
        Map<String, Warmup.Path> paths = new LinkedHashMap<>();
        paths.put("customer (all pages)", new Warmup.Path("customer-service", rotating(pages, browser)));
        paths.put("inference (requests)", new Warmup.Path("inference-service", rotating(pages.stream()
                .filter(p -> p.path().startsWith("/portal/requests") || p.name().equals("overview")).toList(), browser)));
        paths.put("billing (usage, invoices)", new Warmup.Path("billing-service", rotating(pages.stream()
                .filter(p -> p.name().equals("overview") || p.name().equals("invoices")).toList(), browser)));
        return paths;
    }

    private static Call rotating(List<Page> pages, Browser browser) {
        return i -> browser.load(pages.get(Math.floorMod(i, pages.size())).path());
    }

    /** The newest request with a clipped action a month back: a detail with everything on it (action, raw action, flags). */
    private static UUID requestForDetail(Connection db, UUID customerId, Instant now) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("""
                SELECT request_id FROM inference.inference_logs
                WHERE customer_id = ? AND "timestamp" < ? AND safety_flags = ARRAY['clipped']
                ORDER BY "timestamp" DESC LIMIT 1""")) {
            ps.setObject(1, customerId);
            ps.setObject(2, now.minus(Duration.ofDays(30)).atOffset(ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("no clipped request a month back to show in detail");
                }
                return rs.getObject(1, UUID.class);
            }
        }
    }

    // ---- the data

    /**
     * The monthly partitions inference-service's maintenance would have created as the months came
     * (its migration made the current and the next), as its role; then the rows a day per statement.
     */
    private static void fill(Connection db, UUID customerId, UUID keyId, long rows, int others, Instant from, Instant to)
            throws SQLException {
        for (YearMonth month = YearMonth.from(from.atZone(ZoneOffset.UTC)); !month.isAfter(YearMonth.from(to.atZone(ZoneOffset.UTC)));
             month = month.plusMonths(1)) {
            execute(db, "SET ROLE inference_service");
            execute(db, String.format("CREATE TABLE IF NOT EXISTS inference.inference_logs_%d_%02d PARTITION OF"
                    + " inference.inference_logs FOR VALUES FROM ('%s') TO ('%s')", month.getYear(), month.getMonthValue(),
                    month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant(),
                    month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            execute(db, "RESET ROLE");
        }
        List<UUID> otherCustomers = new ArrayList<>();
        List<UUID> otherKeys = new ArrayList<>();
        for (int i = 0; i < OTHER_CUSTOMERS; i++) {
            otherCustomers.add(UUID.randomUUID());
            otherKeys.add(UUID.randomUUID());
            execute(db, String.format("""
                    INSERT INTO customer.customers (customer_id, company_name, email, tier, monthly_quota,
                                                    rate_limit_per_minute, created_at)
                    VALUES ('%s', 'Other Robotics %d', 'ops%d@other.example', 'pro', 100000, 600, now() - interval '1 year')""",
                    otherCustomers.get(i), i, i));
        }
        execute(db, "SET synchronous_commit = off");  // a throw-away database; the commits' flushes are not measured
        String instructions = INSTRUCTIONS.stream().map(s -> "'" + s + "'").collect(Collectors.joining(", ", "ARRAY[", "]"));
        String insert = FILL_DAY.formatted(customerId, keyId, instructions, INSTRUCTIONS.size(), ScaleDatabase.embedding(),
                others + 1, uuids(otherCustomers), uuids(otherKeys), OTHER_CUSTOMERS);
        Duration step = Duration.between(from, to).dividedBy(DAYS);
        System.out.printf("filling inference_logs (with logged_request_ids and billing's usage_events), a day per statement:"
                + " %,d requests of the customer and %,d of %d other customers%n", rows, rows * others, OTHER_CUSTOMERS);
        long started = System.nanoTime();
        long done = 0;
        try (PreparedStatement ps = db.prepareStatement(insert)) {
            for (int day = 0; day < DAYS; day++) {
                OffsetDateTime start = from.plus(step.multipliedBy(day)).atOffset(ZoneOffset.UTC);
                OffsetDateTime end = day == DAYS - 1 ? to.atOffset(ZoneOffset.UTC) : start.plus(step);
                long batch = rows * (day + 1) / DAYS - done;
                ps.setObject(1, start);
                ps.setObject(2, end);
                ps.setObject(3, start);
                ps.setLong(4, batch * (others + 1));
                ps.executeUpdate();
                done += batch;
                if ((day + 1) % (DAYS / 10) == 0) {
                    double seconds = (System.nanoTime() - started) / 1e9;
                    System.out.printf("  %,d of %,d rows of the customer (%d%%), %.0f s, about %.0f s left%n", done, rows,
                            done * 100 / rows, seconds, seconds / done * (rows - done));
                }
            }
        }
        execute(db, "RESET synchronous_commit");
        double seconds = (System.nanoTime() - started) / 1e9;
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT count(*), count(*) FILTER (WHERE status_code <> 200),
                       (SELECT count(*) FROM billing.usage_events WHERE customer_id = '%1$s')
                FROM inference.inference_logs WHERE customer_id = '%1$s'""".formatted(customerId))) {
            rs.next();
            long all = done * (others + 1);
            System.out.printf("filled %,d rows in %.1f s (%,.0f rows/s); the customer's: %,d requests, %,d errors,"
                    + " %,d usage events%n", all, seconds, all / seconds, rs.getLong(1), rs.getLong(2), rs.getLong(3));
        }
    }

    private static String uuids(List<UUID> ids) {
        return ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", ", "ARRAY[", "]::uuid[]"));
    }

    /** The last months' invoices, generated and finalized by billing-service as an operator would. */
    private static void invoices(LocalFleet fleet, YearMonth current) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<String> finalized = new ArrayList<>();
        for (int back = INVOICED_MONTHS; back >= 1; back--) {
            String month = current.minusMonths(back).toString();
            for (String action : List.of("generate", "finalize")) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(fleet.url("billing-service",
                                "/admin/v1/invoices/" + action))
                        .header("Authorization", "Bearer " + fleet.adminToken).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"month\": \"" + month + "\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("billing-service refused to " + action + " the invoices of " + month
                            + ": " + answer.statusCode() + " " + answer.body());
                }
            }
            finalized.add(month);
        }
        System.out.println("invoices generated and finalized: " + String.join(", ", finalized));
    }

    private static void vacuumAnalyze(Connection db) throws SQLException {
        long started = System.nanoTime();
        System.out.println("VACUUM ANALYZE...");
        for (String table : List.of("inference.inference_logs", "inference.logged_request_ids", "billing.usage_events",
                "billing.usage_daily", "billing.invoices", "billing.invoice_line_items")) {
            boolean exists;
            try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
                rs.next();
                exists = rs.getBoolean(1);
            }
            if (exists) {
                execute(db, "VACUUM (ANALYZE) " + table);
            }
        }
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("""
                SELECT string_agg(c.relname || ' ' || pg_size_pretty(pg_total_relation_size(c.oid)), ', ' ORDER BY c.relname)
                FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                WHERE i.inhparent = 'inference.inference_logs'::regclass""")) {
            rs.next();
            System.out.printf("VACUUM ANALYZE in %.1f s; partitions with their indexes: %s%n",
                    (System.nanoTime() - started) / 1e9, rs.getString(1));
        }
    }

    private static void execute(Connection db, String sql) throws SQLException {
        try (Statement s = db.createStatement()) {
            s.execute(sql);
        }
    }

    // ---- the customer and its portal user

    /** Invites an admin through the admin API and sets the password through the one-time link, as a browser does. */
    private static Browser signIn(LocalFleet fleet, UUID customerId) throws Exception {
        HttpResponse<String> invited = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        fleet.url("customer-service", "/admin/v1/customers/" + customerId + "/portal-users"))
                .header("Authorization", "Bearer " + fleet.adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"email\": \"admin@portal-bench.example\", \"role\": \"admin\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (invited.statusCode() != 201) {
            throw new IllegalStateException("cannot invite the portal user: " + invited.statusCode() + " " + invited.body());
        }
        // The link is on the portal's public URL; this benchmark speaks to customer-service itself.
        URI link = URI.create(JSON.readTree(invited.body()).get("invitation_url").asString());
        String path = link.getRawPath() + (link.getRawQuery() == null ? "" : "?" + link.getRawQuery());
        Browser browser = new Browser(fleet.url("customer-service", ""));
        HttpResponse<String> form = browser.get(path);
        if (form.statusCode() != 200) {
            throw new IllegalStateException("the invitation link answered " + form.statusCode());
        }
        HttpResponse<String> accepted = browser.post(path, Map.of("password", PASSWORD, "repeated", PASSWORD));
        if (accepted.statusCode() != 302 || !accepted.headers().firstValue("Location").orElse("").endsWith("/portal")) {
            throw new IllegalStateException("setting the password did not sign in: " + accepted.statusCode() + " "
                    + accepted.headers().firstValue("Location").orElse("") + " " + accepted.body());
        }
        System.out.println("portal admin invited and signed in through the invitation link");
        return browser;
    }

    /**
     * The portal as a browser uses it over plain HTTP: its cookies, the session's and the CSRF
     * token's, kept by hand (a JDK cookie store, like a browser, would not send a Secure cookie over
     * HTTP), the last page's CSRF token sent with a form, no redirects followed.
     */
    private static final class Browser {

        private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        private final URI base;
        private final Map<String, String> cookies = new ConcurrentHashMap<>();
        private volatile String csrf;

        Browser(URI base) {
            this.base = base;
        }

        HttpResponse<String> get(String path) throws Exception {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET());
        }

        HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
            Map<String, String> withToken = new LinkedHashMap<>(fields);
            if (csrf != null) {
                withToken.put("_csrf", csrf);
            }
            String body = withToken.entrySet().stream()
                    .map(f -> URLEncoder.encode(f.getKey(), StandardCharsets.UTF_8) + "="
                            + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            return send(HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
        }

        /** The page's body; fails with what the page said if it is not a 200 or shows an error instead of its data. */
        String page(String path) throws Exception {
            HttpResponse<String> page = get(path);
            if (page.statusCode() != 200) {
                throw new IllegalStateException("GET " + path + " answered " + page.statusCode() + " (does the service behind"
                        + " it have the portal's internal API?): " + page.body().lines().filter(l -> l.contains("alert"))
                        .collect(Collectors.joining(" ")).strip());
            }
            if (page.body().contains("role=\"alert\"")) {
                throw new IllegalStateException("GET " + path + " shows an error instead of its data: " + page.body().lines()
                        .filter(l -> l.contains("role=\"alert\"")).collect(Collectors.joining(" ")).strip());
            }
            return page.body();
        }

        /** One page load as measured: a 200 showing its data, not an error in its place. */
        boolean load(String path) throws Exception {
            HttpResponse<String> page = get(path);
            return page.statusCode() == 200 && !page.body().contains("role=\"alert\"");
        }

        private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            if (!cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            for (String cookie : response.headers().allValues("Set-Cookie")) {
                String pair = cookie.contains(";") ? cookie.substring(0, cookie.indexOf(';')) : cookie;
                String name = pair.substring(0, pair.indexOf('='));
                String value = pair.substring(pair.indexOf('=') + 1);
                if (value.isEmpty() || cookie.contains("Max-Age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            Matcher token = CSRF.matcher(response.body());
            if (token.find()) {
                csrf = token.group(1);
            }
            return response;
        }
    }

    /** The internal API behind the pages, called directly with customer-service's credential. */
    private record Internal(LocalFleet fleet, HttpClient http) {

        Internal(LocalFleet fleet) {
            this(fleet, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build());
        }

        Call call(String service, String path) {
            URI url = fleet.url(service, path);
            String credential = fleet.secret("customer-token");
            return i -> http.send(HttpRequest.newBuilder(url).header(ServiceHeaders.INTERNAL_TOKEN, credential).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }
}
