package com.hourlyanalytics.local;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** At most {@code maxConcurrent} requests run, at most {@code maxQueued} wait, each for at most {@code queueWait}. */
final class Admission {

    private final LocalApiServer.Limits limits;
    private final Semaphore running;
    private final AtomicInteger waiting = new AtomicInteger();

    Admission(LocalApiServer.Limits limits) {
        this.limits = limits;
        this.running = new Semaphore(limits.maxConcurrent());
    }

    /** Waits for a slot unless too many already wait; false means shed this request. True must be {@link #release}d. */
    boolean admit() {
        if (running.tryAcquire()) {
            return true;
        }
        if (waiting.incrementAndGet() > limits.maxQueued()) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return running.tryAcquire(limits.queueWaitMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    void release() {
        running.release();
    }
}
