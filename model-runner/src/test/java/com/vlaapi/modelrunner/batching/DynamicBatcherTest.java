package com.vlaapi.modelrunner.batching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class DynamicBatcherTest {

    /** Doubles its inputs, records every batch size, and takes {@code millis} per batch. */
    private static Function<List<Integer>, List<Integer>> slowDoubler(List<Integer> batchSizes, long millis) {
        return batch -> {
            batchSizes.add(batch.size());
            sleep(millis);
            return batch.stream().map(i -> i * 2).toList();
        };
    }

    @Test
    void concurrentRequestsAreGroupedAndEachGetsItsOwnAnswer() {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("m",
                new BatchingConfig(8, Duration.ofMillis(5), 100, 1), slowDoubler(sizes, 20))) {
            List<CompletableFuture<BatchResult<Integer>>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                results.add(batcher.submit(i));
            }
            for (int i = 0; i < 40; i++) {
                assertEquals(i * 2, results.get(i).join().value());
            }
        }
        assertTrue(sizes.stream().allMatch(s -> s <= 8), "no batch above max_batch_size: " + sizes);
        assertTrue(sizes.size() <= 8, "40 queued requests should need few batches, got " + sizes);
    }

    /** With a batch delay of an hour, a lone request that waited for company would never come back in time. */
    @Test
    void aLoneRequestDoesNotWaitForTheBatchDelay() throws Exception {
        try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("m",
                new BatchingConfig(32, Duration.ofHours(1), 100, 1), slowDoubler(new ArrayList<>(), 0))) {
            batcher.submit(0).get(60, TimeUnit.SECONDS);
            BatchResult<Integer> result = batcher.submit(21).get(60, TimeUnit.SECONDS);
            assertEquals(42, result.value());
            assertEquals(1, result.batchSize());
        }
    }

    /**
     * Requests that queued while the model was busy go in one batch once it is free, and one that
     * cannot fill up goes after the delay (how long exactly is a timing claim for bench/).
     */
    @Test
    void requestsQueuedWhileTheModelIsBusyGoInOneBatch() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("m",
                new BatchingConfig(64, Duration.ofMillis(30), 100, 1), batch -> {
                    if (batch.get(0) == -1) {
                        working.countDown();
                        await(release);
                    }
                    return batch;
                })) {
            CompletableFuture<BatchResult<Integer>> blocker = batcher.submit(-1);
            working.await();
            CompletableFuture<BatchResult<Integer>> a = batcher.submit(1);
            CompletableFuture<BatchResult<Integer>> b = batcher.submit(2);
            release.countDown();
            blocker.join();
            assertEquals(2, a.get(60, TimeUnit.SECONDS).batchSize());
            assertEquals(2, b.get(60, TimeUnit.SECONDS).batchSize());
        }
    }

    /** Nothing frees queue space until the test says so: a submit that waited for space would never return. */
    @Test
    void fullQueueAnswersOverloadedImmediately() throws InterruptedException {
        CountDownLatch working = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("tabletop-v1",
                new BatchingConfig(1, Duration.ZERO, 2, 1), batch -> {
                    working.countDown();
                    await(release);
                    return batch;
                })) {
            List<CompletableFuture<BatchResult<Integer>>> accepted = new ArrayList<>();
            accepted.add(batcher.submit(0));
            working.await(); // the worker now holds request 0; the queue (capacity 2) is empty
            accepted.add(batcher.submit(1));
            accepted.add(batcher.submit(2));
            OverloadedException e = assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> assertThrows(OverloadedException.class, () -> batcher.submit(3)), "overloaded must not block");
            assertEquals("overloaded", e.code());
            release.countDown();
            accepted.forEach(CompletableFuture::join);
        }
    }

    @Test
    void closeFinishesQueuedRequests() {
        List<CompletableFuture<BatchResult<Integer>>> results = new ArrayList<>();
        DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("m",
                new BatchingConfig(4, Duration.ZERO, 100, 1), slowDoubler(new ArrayList<>(), 10));
        for (int i = 0; i < 20; i++) {
            results.add(batcher.submit(i));
        }
        batcher.close();
        for (int i = 0; i < 20; i++) {
            assertTrue(results.get(i).isDone(), "request " + i + " was dropped at shutdown");
            assertEquals(i * 2, results.get(i).join().value());
        }
        assertThrows(IllegalStateException.class, () -> batcher.submit(99));
    }

    @Test
    void aFailingBatchFailsOnlyItsOwnRequests() {
        try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("m",
                new BatchingConfig(1, Duration.ZERO, 10, 1), batch -> {
                    if (batch.get(0) < 0) {
                        throw new IllegalStateException("boom");
                    }
                    return batch;
                })) {
            CompletableFuture<BatchResult<Integer>> bad = batcher.submit(-1);
            CompletableFuture<BatchResult<Integer>> good = batcher.submit(5);
            assertThrows(Exception.class, bad::join);
            assertEquals(5, good.join().value());
        }
    }

    @Test
    void workersShareOneHandlerAndRunTheirBatchesAtTheSameTime() {
        CountDownLatch bothRunning = new CountDownLatch(2);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        try (DynamicBatcher<Integer, Integer> batcher = new DynamicBatcher<>("m",
                new BatchingConfig(1, Duration.ZERO, 10, 2), batch -> {
                    threads.add(Thread.currentThread().getName());
                    bothRunning.countDown();
                    // Returns only once the other worker is inside the handler too.
                    if (!awaitAtMost(bothRunning, 5)) {
                        throw new IllegalStateException("the second worker never ran");
                    }
                    return batch;
                })) {
            CompletableFuture<BatchResult<Integer>> first = batcher.submit(1);
            CompletableFuture<BatchResult<Integer>> second = batcher.submit(2);
            assertEquals(1, first.join().value());
            assertEquals(2, second.join().value());
        }
        assertEquals(2, threads.size(), "each batch ran on its own worker: " + threads);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean awaitAtMost(CountDownLatch latch, long seconds) {
        try {
            return latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
