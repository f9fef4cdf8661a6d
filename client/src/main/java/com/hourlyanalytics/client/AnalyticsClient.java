package com.hourlyanalytics.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The partner's client of the hourly analytics API: {@link #send} hands an event over and returns at once; sender
 * threads batch the queued events into {@code POST /analytics/batch} requests, resend on 429, 5xx and no answer
 * with the same event ids (counted once by the service), and report every event's fate to the
 * {@link DeliveryListener} and {@link #stats()}. Thread-safe. Close it to deliver what it holds: its threads are
 * daemons, so events still queued when the JVM exits are lost. docs/client.md has the guarantees.
 */
public final class AnalyticsClient implements AutoCloseable {

    /** What {@link #close()} gives the client to deliver what it holds. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final ClientSettings settings;
    private final EventQueue queue;
    private final Outcomes outcomes;
    private final HttpTransport transport;
    private final RetryPolicy policy;
    private final List<Thread> senders = new ArrayList<>();
    private volatile boolean closing;

    private AnalyticsClient(ClientSettings settings) {
        this.settings = settings;
        this.queue = EventQueue.of(settings);
        this.outcomes = new Outcomes(settings.listener);
        this.transport = new HttpTransport(settings);
        this.policy = RetryPolicy.of(settings);
        BatchDelivery delivery = new BatchDelivery(transport, policy, outcomes);
        for (int i = 1; i <= settings.senders; i++) {
            Thread sender = new Thread(() -> sendBatches(delivery), "analytics-client-sender-" + i);
            sender.setDaemon(true);
            senders.add(sender);
        }
    }

    /** A client with its sender threads started. */
    public static AnalyticsClient start(ClientSettings settings) {
        AnalyticsClient client = new AnalyticsClient(Objects.requireNonNull(settings, "settings"));
        client.senders.forEach(Thread::start);
        return client;
    }

    private void sendBatches(BatchDelivery delivery) {
        try {
            for (Batch batch; (batch = queue.nextBatch()) != null; ) {
                try {
                    delivery.deliver(batch.events);
                } finally {
                    queue.settled(batch);
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            // close() ran out of time: it reports what is still queued.
        }
    }

    /**
     * Hands the event over. If the queue is full, waits up to {@code enqueueTimeout} (default: not at all) for room,
     * then refuses it: returns false, counts it dropped ({@link DropReason#QUEUE_FULL}) and tells the listener. After
     * {@link #close} every event is refused ({@link DropReason#CLOSED}).
     */
    public boolean send(Event event) {
        Objects.requireNonNull(event, "event");
        boolean accepted;
        try {
            accepted = queue.offer(event, settings.enqueueTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            accepted = false;
        }
        if (!accepted) {
            boolean closed = closing;
            outcomes.dropped(List.of(event), closed ? DropReason.CLOSED : DropReason.QUEUE_FULL,
                    closed ? "the client is closed" : "the queue was full (" + settings.queueCapacity + " events)");
        }
        return accepted;
    }

    /** Sends what is queued without waiting for {@code linger}, and waits until every event handed over before is settled. */
    public void flush() throws InterruptedException {
        queue.awaitSettled(queue.flush(), Duration.ofNanos(Long.MAX_VALUE));
    }

    /** The hour's counts ({@code GET /analytics}), resent as the policy says; any instant of the hour will do. */
    public HourCounts counts(long timestamp) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            Answer answer = transport.getCounts(timestamp);
            RetryPolicy.Verdict verdict = RetryPolicy.verdict(answer.status);
            if (verdict == RetryPolicy.Verdict.DELIVERED) {
                return HourCounts.parse(answer.body);
            }
            if (verdict == RetryPolicy.Verdict.REJECTED || !policy.mayResend(attempt)) {
                throw new AnalyticsException(answer.status, "GET /analytics?timestamp=" + timestamp + ": " + answer.describe());
            }
            TimeUnit.NANOSECONDS.sleep(policy.backoff(attempt, answer.retryAfter).toNanos());
        }
    }

    public DeliveryStats stats() {
        return outcomes.stats(queue.size());
    }

    /**
     * Refuses new events and delivers what the client holds within {@code timeout}; then stops its senders and drops
     * what is left ({@link DropReason#CLOSED}). True if nothing was left. Interrupted, it stops waiting at once.
     */
    public boolean close(Duration timeout) {
        closing = true;
        queue.close();
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            for (Thread sender : senders) {
                TimeUnit.NANOSECONDS.timedJoin(sender, Math.max(1, deadline - System.nanoTime()));
            }
        } catch (InterruptedException e) {
            interrupted = true;
        }
        boolean cutShort = false;
        for (Thread sender : senders) {
            if (sender.isAlive()) {
                cutShort = true;
                sender.interrupt();
            }
        }
        for (Thread sender : senders) {
            // An interrupted sender drops its batch and ends: a request or a backoff ends on interrupt.
            joinUninterruptibly(sender);
        }
        List<Event> left = queue.drain();
        if (!left.isEmpty()) {
            outcomes.dropped(left, DropReason.CLOSED, "still queued when close timed out");
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return !cutShort && left.isEmpty();
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** {@link #close(Duration)} with {@link #DEFAULT_CLOSE_TIMEOUT}. */
    @Override
    public void close() {
        close(DEFAULT_CLOSE_TIMEOUT);
    }
}
