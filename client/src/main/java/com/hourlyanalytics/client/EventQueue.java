package com.hourlyanalytics.client;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * The bounded queue between callers and senders. Full policy: {@link #offer} waits up to its timeout for room, then
 * refuses the new event (events already accepted are never evicted: they may be in a request already). A batch is
 * due when the queue holds a full one, when its oldest event has waited {@code linger}, when a flush covers it, or
 * once the queue is closed. It also tracks which accepted events are not settled yet (queued or in a request), so
 * that {@link #awaitSettled} can wait for everything handed over before a flush.
 */
final class EventQueue {

    private final int capacity;
    private final int maxEvents;
    private final int maxBytes;
    private final long lingerNanos;
    private final LongSupplier nanoTime;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private final Condition due = lock.newCondition();
    private final Condition settledCondition = lock.newCondition();
    private final ArrayDeque<Batch.Entry> entries = new ArrayDeque<>();
    /** The first sequence number of each batch taken and not settled yet. */
    private final TreeSet<Long> inFlight = new TreeSet<>();
    private long queuedBytes;
    private long nextSeq;
    private long flushBefore;
    private boolean closed;

    EventQueue(int capacity, int maxEvents, int maxBytes, Duration linger, LongSupplier nanoTime) {
        this.capacity = capacity;
        this.maxEvents = maxEvents;
        this.maxBytes = maxBytes;
        this.lingerNanos = linger.toNanos();
        this.nanoTime = nanoTime;
    }

    static EventQueue of(ClientSettings settings) {
        return new EventQueue(settings.queueCapacity, settings.maxBatchEvents, settings.maxBatchBytes, settings.linger, System::nanoTime);
    }

    /** Accepts the event if there is room within {@code timeout}; false if the queue stayed full or is closed. */
    boolean offer(Event event, Duration timeout) throws InterruptedException {
        int bytes = Batch.lineBytes(event);
        lock.lockInterruptibly();
        try {
            long nanos = timeout.toNanos();
            while (entries.size() >= capacity && !closed) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = notFull.awaitNanos(nanos);
            }
            if (closed) {
                return false;
            }
            entries.addLast(new Batch.Entry(event, bytes, nextSeq++, nanoTime.getAsLong()));
            queuedBytes += bytes;
            due.signal();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until a batch is due and takes it; null once the queue is closed and empty. */
    Batch nextBatch() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                if (entries.isEmpty()) {
                    if (closed) {
                        return null;
                    }
                    due.await();
                    continue;
                }
                long wait = nanosUntilDue();
                if (wait <= 0) {
                    Batch batch = Batch.takeFrom(entries, maxEvents, maxBytes);
                    queuedBytes -= batch.bytes;
                    inFlight.add(batch.firstSeq);
                    notFull.signalAll();
                    if (!entries.isEmpty()) {
                        due.signal(); // the rest may be due for another sender
                    }
                    return batch;
                }
                due.awaitNanos(wait);
            }
        } finally {
            lock.unlock();
        }
    }

    private long nanosUntilDue() {
        Batch.Entry oldest = entries.peekFirst();
        if (closed || oldest.seq < flushBefore || entries.size() >= maxEvents || queuedBytes >= maxBytes) {
            return 0;
        }
        return oldest.enqueuedNanos + lingerNanos - nanoTime.getAsLong();
    }

    /** The batch's events are delivered, rejected or dropped. */
    void settled(Batch batch) {
        lock.lock();
        try {
            inFlight.remove(batch.firstSeq);
            settledCondition.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Makes every event accepted so far due at once; returns how many have been accepted, for {@link #awaitSettled}. */
    long flush() {
        lock.lock();
        try {
            flushBefore = nextSeq;
            due.signalAll();
            return nextSeq;
        } finally {
            lock.unlock();
        }
    }

    /** Waits until each of the first {@code accepted} events is settled (none queued or in a request); false on timeout. */
    boolean awaitSettled(long accepted, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lockInterruptibly();
        try {
            while (oldestUnsettled() < accepted) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = settledCondition.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    private long oldestUnsettled() {
        long oldest = entries.isEmpty() ? nextSeq : entries.peekFirst().seq;
        return inFlight.isEmpty() ? oldest : Math.min(oldest, inFlight.first());
    }

    /** Refuses new events from now on; what is queued becomes due at once. */
    void close() {
        lock.lock();
        try {
            closed = true;
            due.signalAll();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Removes and returns every queued event (when closing ran out of time). */
    List<Event> drain() {
        lock.lock();
        try {
            List<Event> left = new ArrayList<>();
            for (Batch.Entry entry : entries) {
                left.add(entry.event);
            }
            entries.clear();
            queuedBytes = 0;
            notFull.signalAll();
            settledCondition.signalAll();
            return left;
        } finally {
            lock.unlock();
        }
    }

    int size() {
        lock.lock();
        try {
            return entries.size();
        } finally {
            lock.unlock();
        }
    }
}
