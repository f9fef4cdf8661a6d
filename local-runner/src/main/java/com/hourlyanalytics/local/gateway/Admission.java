package com.hourlyanalytics.local.gateway;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The runner's own work bound (not an API Gateway rule): at most {@code maxConcurrent} requests run, at most
 * {@code maxQueued} wait, each for at most {@code queueWaitMillis}.
 */
public final class Admission {

    private final int maxQueued;
    private final long queueWaitMillis;
    private final Semaphore running;
    private final AtomicInteger waiting = new AtomicInteger();

    public Admission(int maxConcurrent, int maxQueued, long queueWaitMillis) {
        this.maxQueued = maxQueued;
        this.queueWaitMillis = queueWaitMillis;
        this.running = new Semaphore(maxConcurrent);
    }

    /** Waits for a slot unless too many already wait; false means shed this request. True must be {@link #release}d. */
    public boolean admit() {
        if (running.tryAcquire()) {
            return true;
        }
        if (waiting.incrementAndGet() > maxQueued) {
            waiting.decrementAndGet();
            return false;
        }
        try {
            return running.tryAcquire(queueWaitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            waiting.decrementAndGet();
        }
    }

    public void release() {
        running.release();
    }
}
