package com.hourlyanalytics.client;

/** Counters since the client started: what became of the events, and how many requests were sent again. */
public final class DeliveryStats {

    private final long delivered;
    private final long rejected;
    private final long dropped;
    private final long retries;
    private final long queued;

    DeliveryStats(long delivered, long rejected, long dropped, long retries, long queued) {
        this.delivered = delivered;
        this.rejected = rejected;
        this.dropped = dropped;
        this.retries = retries;
        this.queued = queued;
    }

    /** Events the service answered 204 for. */
    public long delivered() {
        return delivered;
    }

    /** Events refused for good (400, 422, other 4xx but 429). */
    public long rejected() {
        return rejected;
    }

    /** Events given up: refused by a full queue, past {@code maxAttempts}, or left when {@code close} timed out. */
    public long dropped() {
        return dropped;
    }

    /** Requests sent again after a 429, 5xx or no answer. */
    public long retries() {
        return retries;
    }

    /** Events waiting in the queue right now (not those in a request). */
    public long queued() {
        return queued;
    }

    @Override
    public String toString() {
        return "delivered=" + delivered + ", rejected=" + rejected + ", dropped=" + dropped + ", retries=" + retries
                + ", queued=" + queued;
    }
}
