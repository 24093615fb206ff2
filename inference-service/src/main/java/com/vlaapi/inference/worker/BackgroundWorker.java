package com.vlaapi.inference.worker;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * A bean whose work runs on one thread of its own, from context start to context stop. The
 * thread is a daemon so that a context that fails to start cannot keep the JVM alive; a normal
 * close calls {@link #stop()}, which asks the work to end and waits for it.
 */
public abstract class BackgroundWorker implements SmartLifecycle {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String threadName;
    private final int phase;
    private final boolean enabled;
    private final String disabledWarning;
    private volatile Thread thread;
    private volatile boolean stopRequested;

    /**
     * @param threadName      the thread's name in thread dumps
     * @param phase           when it starts and stops relative to the other lifecycle beans
     * @param enabled         false starts no thread
     * @param disabledWarning what a disabled worker logs at start: what does not happen without it
     */
    protected BackgroundWorker(String threadName, int phase, boolean enabled, String disabledWarning) {
        this.threadName = threadName;
        this.phase = phase;
        this.enabled = enabled;
        this.disabledWarning = disabledWarning;
    }

    /** The thread's body: returns once {@link #stopRequested()} and the work allow. */
    protected abstract void work();

    /**
     * Waits for the thread that {@link #stop()} asked to end; by default as long as it takes.
     * Runs on the stopping thread.
     */
    protected void awaitEnd(Thread worker) throws InterruptedException {
        worker.join();
    }

    protected final boolean stopRequested() {
        return stopRequested;
    }

    /** For the work itself, when it must end without being stopped (an interrupt from the JVM). */
    protected final void requestStop() {
        stopRequested = true;
    }

    @Override
    public final void start() {
        if (!enabled) {
            log.warn(disabledWarning);
            return;
        }
        stopRequested = false;
        Thread worker = new Thread(this::work, threadName);
        worker.setDaemon(true);
        worker.start();
        thread = worker;
    }

    @Override
    public void stop() {
        Thread worker = thread;
        if (worker == null) {
            return;
        }
        requestStop();
        try {
            awaitEnd(worker);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    @Override
    public final boolean isRunning() {
        return thread != null;
    }

    @Override
    public final int getPhase() {
        return phase;
    }
}
