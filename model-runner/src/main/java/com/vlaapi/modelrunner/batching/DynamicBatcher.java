package com.vlaapi.modelrunner.batching;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Groups concurrent requests into batches for one model. Each worker thread takes whatever is
 * queued up to {@code maxBatchSize}, and waits at most {@code maxBatchDelay} for more only when
 * it already holds two or more requests. The queue is bounded: when full, {@link #submit} fails
 * at once with {@link OverloadedException} instead of queueing forever.
 *
 * <p>All workers share one handler, so with more than one worker it runs concurrently and must be
 * thread-safe. A TorchScript forward pass is: each call allocates its tensors in its own scope,
 * and the weights are only read, so a second copy of the model per worker would buy nothing but
 * memory.
 */
public final class DynamicBatcher<I, O> implements AutoCloseable {

    private record Pending<I, O>(I input, long enqueuedAt, CompletableFuture<BatchResult<O>> result) {
    }

    private final String name;
    private final BatchingConfig config;
    private final BlockingQueue<Pending<I, O>> queue;
    private final Function<List<I>, List<O>> handler;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean accepting = true;

    /** {@code handler} maps a batch of inputs to their outputs, in the same order. */
    public DynamicBatcher(String name, BatchingConfig config, Function<List<I>, List<O>> handler) {
        this.name = name;
        this.config = config;
        this.handler = handler;
        this.queue = new ArrayBlockingQueue<>(config.queueCapacity());
        for (int i = 0; i < config.workers(); i++) {
            Thread worker = new Thread(this::run, "batcher-" + name + "-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
    }

    public CompletableFuture<BatchResult<O>> submit(I input) {
        if (!accepting) {
            throw new IllegalStateException("batcher for model '" + name + "' is shut down");
        }
        Pending<I, O> pending = new Pending<>(input, System.nanoTime(), new CompletableFuture<>());
        if (!queue.offer(pending)) {
            throw OverloadedException.queueFull(name, config.queueCapacity());
        }
        return pending.result();
    }

    /** Requests waiting for a worker right now. */
    public int queued() {
        return queue.size();
    }

    private void run() {
        List<Pending<I, O>> batch = new ArrayList<>(config.maxBatchSize());
        while (accepting || !queue.isEmpty()) {
            try {
                Pending<I, O> first = queue.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                fill(batch, first.enqueuedAt() + config.maxBatchDelay().toNanos());
                execute(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } finally {
                batch.clear();
            }
        }
    }

    private void fill(List<Pending<I, O>> batch, long deadline) throws InterruptedException {
        queue.drainTo(batch, config.maxBatchSize() - batch.size());
        while (batch.size() > 1 && batch.size() < config.maxBatchSize()) {
            long wait = deadline - System.nanoTime();
            Pending<I, O> next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
            if (next == null) {
                return;
            }
            batch.add(next);
            queue.drainTo(batch, config.maxBatchSize() - batch.size());
        }
    }

    private void execute(List<Pending<I, O>> batch) {
        long start = System.nanoTime();
        List<I> inputs = new ArrayList<>(batch.size());
        batch.forEach(p -> inputs.add(p.input()));
        try {
            List<O> outputs = handler.apply(inputs);
            long took = System.nanoTime() - start;
            for (int i = 0; i < batch.size(); i++) {
                Pending<I, O> p = batch.get(i);
                p.result().complete(new BatchResult<>(outputs.get(i), start - p.enqueuedAt(), took, batch.size()));
            }
        } catch (Throwable t) {
            batch.forEach(p -> p.result().completeExceptionally(t));
        }
    }

    /** Stops accepting, finishes every queued request, then stops the workers. */
    @Override
    public void close() {
        accepting = false;
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // A submit racing with close can enqueue after the workers left: never leave it hanging.
        for (Pending<I, O> p; (p = queue.poll()) != null; ) {
            p.result().completeExceptionally(new IllegalStateException("model '" + name + "' shut down"));
        }
    }
}
