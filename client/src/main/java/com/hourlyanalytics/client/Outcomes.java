package com.hourlyanalytics.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Counts what became of events and tells the listener; a listener that throws is logged, never the caller's problem. */
final class Outcomes {

    private static final System.Logger LOG = System.getLogger(AnalyticsClient.class.getName());

    private final DeliveryListener listener;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    Outcomes(DeliveryListener listener) {
        this.listener = listener;
    }

    void delivered(List<Event> events) {
        delivered.addAndGet(events.size());
        tell(() -> listener.delivered(List.copyOf(events)));
    }

    void rejected(Event event, int status, String message) {
        rejected.incrementAndGet();
        tell(() -> listener.rejected(event, status, message));
    }

    void dropped(List<Event> events, DropReason reason, String detail) {
        dropped.addAndGet(events.size());
        if (reason != DropReason.QUEUE_FULL) {
            // Event ids are not user data; the count and the cause are what an operator needs.
            LOG.log(System.Logger.Level.WARNING, "dropped {0} events ({1}): {2}", events.size(), reason, detail);
        }
        for (Event event : events) {
            tell(() -> listener.dropped(event, reason, detail));
        }
    }

    void retrying(int events, Answer answer, int attempt, Duration backoff) {
        retries.incrementAndGet();
        tell(() -> listener.retrying(events, answer.status, answer.describe(), attempt, backoff));
    }

    DeliveryStats stats(long queued) {
        return new DeliveryStats(delivered.get(), rejected.get(), dropped.get(), retries.get(), queued);
    }

    private static void tell(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the delivery listener threw; ignored", e);
        }
    }
}
