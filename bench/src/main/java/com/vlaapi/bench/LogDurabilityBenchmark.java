package com.vlaapi.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code bin/vla bench durability [ROUNDS]}: what it costs a request to wait until its log row
 * outlives a crash of the process, the two ways issue 14 allows. Both run with {@value #CLIENTS}
 * concurrent request threads, in alternating rounds:
 * <ul>
 *   <li>journal: append a {@value #ROW_BYTES}-byte record to a local file ({@code write()}, as
 *       inference-service's RequestJournal does), one append at a time;</li>
 *   <li>group commit: insert the row into PostgreSQL and wait for its commit; concurrent commits
 *       share WAL flushes, as a group commit the response waits for would at best.</li>
 * </ul>
 * Reports per-request wait (p50, p99) and the ratio. Needs the local PostgreSQL
 * ({@code deploy/scripts/postgres.sh}); uses a table of its own in a database of its own.
 */
public final class LogDurabilityBenchmark {

    private static final int CLIENTS = 8;
    private static final int ROW_BYTES = 600;
    private static final int REQUESTS_PER_ROUND = 4_000;
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";

    private LogDurabilityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 6;
        String database = "durability_" + Integer.toHexString(ThreadLocalRandom.current().nextInt() & 0xffffff);
        System.out.printf("Log durability benchmark: %d cores, %d clients, %d rounds of %,d requests each way%n",
                Runtime.getRuntime().availableProcessors(), CLIENTS, rounds, REQUESTS_PER_ROUND);
        try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
             Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        Path folder = Files.createTempDirectory("durability-journal");
        try {
            run(database, folder, rounds);
        } finally {
            try (Connection admin = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                 Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            try (var files = Files.list(folder)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Files.delete(file);
                }
            }
            Files.delete(folder);
        }
    }

    private static void run(String database, Path folder, int rounds) throws Exception {
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            connections.add(DriverManager.getConnection(SERVER + database, "postgres", ""));
        }
        try (Statement s = connections.get(0).createStatement()) {
            s.execute("CREATE TABLE log (request_id uuid PRIMARY KEY, row bytea NOT NULL)");
        }
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        Samples journal = new Samples();
        Samples commit = new Samples();
        try (FileChannel file = FileChannel.open(folder.resolve("journal"), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE)) {
            for (int round = 0; round <= rounds; round++) {
                double[] a = measure(clients, i -> append(file));
                double[] b = measure(clients, i -> insert(connections.get(i % CLIENTS)));
                if (round == 0) {
                    continue;   // warm-up
                }
                journal.add(a);
                commit.add(b);
                System.out.printf("  round %d: journal p50 %.3f ms, group commit p50 %.3f ms%n", round,
                        Stats.of(a).p50(), Stats.of(b).p50());
            }
        } finally {
            clients.shutdown();
            for (Connection c : connections) {
                c.close();
            }
        }
        Stats j = journal.stats();
        Stats c = commit.stats();
        System.out.printf("journal append:  p50 %.3f ms  p99 %.3f ms  mean %.3f ms  (n=%,d)%n", j.p50(), j.p99(), j.mean(), j.n());
        System.out.printf("group commit:    p50 %.3f ms  p99 %.3f ms  mean %.3f ms  (n=%,d)%n", c.p50(), c.p99(), c.mean(), c.n());
        System.out.printf("a request waits %.0fx longer (p50) for a commit than for a journal append%n", c.p50() / j.p50());
    }

    private interface Work {
        void run(int client) throws Exception;
    }

    /** Per-request wait in milliseconds, {@value #REQUESTS_PER_ROUND} requests spread over the clients. */
    private static double[] measure(ExecutorService clients, Work work) throws Exception {
        double[] millis = new double[REQUESTS_PER_ROUND];
        List<Future<?>> running = new ArrayList<>();
        for (int client = 0; client < CLIENTS; client++) {
            int me = client;
            running.add(clients.submit(() -> {
                for (int i = me; i < REQUESTS_PER_ROUND; i += CLIENTS) {
                    long start = System.nanoTime();
                    work.run(me);
                    millis[i] = (System.nanoTime() - start) / 1e6;
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        return millis;
    }

    private static void append(FileChannel file) throws Exception {
        ByteBuffer record = ByteBuffer.wrap(row());
        synchronized (file) {
            while (record.hasRemaining()) {
                file.write(record);
            }
        }
    }

    private static void insert(Connection connection) throws Exception {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO log VALUES (?, ?)")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setBytes(2, row());
            insert.executeUpdate();
        }
    }

    private static byte[] row() {
        byte[] row = new byte[ROW_BYTES];
        ThreadLocalRandom.current().nextBytes(row);
        return row;
    }
}
