package com.vlaapi.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** The three load shapes the API benchmark uses. Every failed request aborts the run. */
public final class Load {

    private Load() {
    }

    /** {@code clients} threads each send {@code perClient} requests back to back; every latency. */
    public static double[] closedLoop(Call call, int clients, int perClient) throws Exception {
        double[] millis = new double[clients * perClient];
        runClients(clients, client -> {
            for (int i = 0; i < perClient; i++) {
                long start = System.nanoTime();
                expectSuccess(call.send(client * perClient + i));
                millis[client * perClient + i] = (System.nanoTime() - start) / 1e6;
            }
        });
        return millis;
    }

    /**
     * {@code clients} threads each send {@code perClient} requests to every one of {@code calls} in
     * turn (the order rotating), so each side of a comparison meets the same moments of a noisy
     * machine; {@code result[c]} holds every latency of {@code calls.get(c)}.
     */
    public static double[][] alternating(List<Call> calls, int clients, int perClient) throws Exception {
        double[][] millis = new double[calls.size()][clients * perClient];
        runClients(clients, client -> {
            for (int i = 0; i < perClient; i++) {
                int sequence = client * perClient + i;
                for (int k = 0; k < calls.size(); k++) {
                    int c = (k + sequence) % calls.size();
                    long start = System.nanoTime();
                    expectSuccess(calls.get(c).send(sequence));
                    millis[c][sequence] = (System.nanoTime() - start) / 1e6;
                }
            }
        });
        return millis;
    }

    /** Requests per second that {@code clients} back-to-back threads complete in {@code duration}. */
    public static double throughput(Call call, int clients, Duration duration) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        long start = System.nanoTime();
        Thread timer = new Thread(() -> {
            LockSupport.parkNanos(duration.toNanos());
            stop.set(true);
        });
        timer.start();
        runClients(clients, client -> {
            int i = client * 1_000_000;
            while (!stop.get()) {
                expectSuccess(call.send(i++));
                if (!stop.get()) {
                    done.incrementAndGet();
                }
            }
        });
        timer.join();
        return done.get() / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Open loop: a request starts every {@code 1/perSecond} s whatever the previous ones do, and
     * each latency counts from when the request was due, so a stall shows up in the numbers
     * instead of slowing the sender down.
     */
    public static double[] fixedRate(Call call, double perSecond, Duration duration) throws Exception {
        int total = (int) Math.round(perSecond * duration.toMillis() / 1000.0);
        double[] millis = new double[total];
        long interval = Math.round(1e9 / perSecond);
        ExecutorService senders = Executors.newFixedThreadPool(64);
        try {
            List<Future<?>> sent = new ArrayList<>(total);
            long first = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
            for (int i = 0; i < total; i++) {
                long due = first + i * interval;
                LockSupport.parkNanos(due - System.nanoTime());
                int sequence = i;
                sent.add(senders.submit(() -> {
                    expectSuccess(call.send(sequence));
                    millis[sequence] = (System.nanoTime() - due) / 1e6;
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            senders.shutdownNow();
        }
        return millis;
    }

    private interface ClientLoop {
        void run(int client) throws Exception;
    }

    private static void runClients(int clients, ClientLoop loop) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(clients);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(threads.submit(() -> {
                    loop.run(client);
                    return null;
                }));
            }
            for (Future<?> f : running) {
                f.get();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    private static void expectSuccess(boolean ok) {
        if (!ok) {
            throw new IllegalStateException("a request failed during the benchmark; see the services' logs");
        }
    }
}
