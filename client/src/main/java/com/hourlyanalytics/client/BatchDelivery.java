package com.hourlyanalytics.client;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends one batch until each of its events is settled: delivered (204), rejected (a final answer naming it, the rest
 * sent again at once), or dropped (past {@code maxAttempts}, or interrupted by a timed-out close). A 429, 5xx or
 * missing answer sends the same lines, so the same event ids, again after the policy's backoff.
 */
final class BatchDelivery {

    private final HttpTransport transport;
    private final RetryPolicy policy;
    private final Outcomes outcomes;

    BatchDelivery(HttpTransport transport, RetryPolicy policy, Outcomes outcomes) {
        this.transport = transport;
        this.policy = policy;
        this.outcomes = outcomes;
    }

    /** Settles every event of {@code batch}; if interrupted, drops what is left and keeps the thread interrupted. */
    void deliver(List<Event> batch) {
        List<Event> pending = batch;
        int attempt = 1;
        try {
            while (!pending.isEmpty()) {
                Answer answer = transport.postBatch(pending);
                switch (RetryPolicy.verdict(answer.status)) {
                    case DELIVERED:
                        outcomes.delivered(pending);
                        return;
                    case REJECTED:
                        pending = Rejections.apply(answer, pending, outcomes);
                        break;
                    default:
                        if (!policy.mayResend(attempt)) {
                            outcomes.dropped(pending, DropReason.GAVE_UP, "no final answer after " + attempt + " attempts; last: "
                                    + answer.describe());
                            return;
                        }
                        Duration backoff = policy.backoff(attempt, answer.retryAfter);
                        outcomes.retrying(pending.size(), answer, attempt, backoff);
                        TimeUnit.NANOSECONDS.sleep(backoff.toNanos());
                        attempt++;
                }
            }
        } catch (InterruptedException e) {
            outcomes.dropped(pending, DropReason.CLOSED, "close timed out while the events were in a request or waiting to be resent");
            Thread.currentThread().interrupt();
        }
    }
}
