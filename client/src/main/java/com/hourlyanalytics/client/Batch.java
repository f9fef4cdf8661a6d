package com.hourlyanalytics.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Events taken from the queue for one request, in the order they were handed over: at most {@code maxEvents}, at
 * most {@code maxBytes} of body and at most 48 distinct hours (the service's limits, docs/api.md), but never empty.
 * Their queue sequence numbers run from {@link #firstSeq}, so the queue knows which handed-over events are settled.
 */
final class Batch {

    /** A queued event, with what assembling and settling need. */
    static final class Entry {
        final Event event;
        final long seq;
        final long enqueuedNanos;
        final int bytes;

        Entry(Event event, int bytes, long seq, long enqueuedNanos) {
            this.event = event;
            this.bytes = bytes;
            this.seq = seq;
            this.enqueuedNanos = enqueuedNanos;
        }
    }

    /** The event's share of a request body: its line and the line end. */
    static int lineBytes(Event event) {
        return event.line().getBytes(StandardCharsets.UTF_8).length + 1;
    }

    final List<Event> events;
    final long firstSeq;
    final int bytes;

    private Batch(List<Event> events, long firstSeq, int bytes) {
        this.events = events;
        this.firstSeq = firstSeq;
        this.bytes = bytes;
    }

    /** Takes the longest prefix of {@code queue} within the limits (its first entry at least). */
    static Batch takeFrom(ArrayDeque<Entry> queue, int maxEvents, int maxBytes) {
        long firstSeq = queue.peekFirst().seq;
        List<Event> events = new ArrayList<>();
        Set<Long> hours = new HashSet<>();
        int bytes = 0;
        while (!queue.isEmpty() && events.size() < maxEvents) {
            Entry next = queue.peekFirst();
            boolean newHour = !hours.contains(next.event.hour());
            if (!events.isEmpty() && (bytes + next.bytes > maxBytes || newHour && hours.size() == ClientSettings.MAX_BATCH_HOURS)) {
                break;
            }
            queue.pollFirst();
            events.add(next.event);
            hours.add(next.event.hour());
            bytes += next.bytes;
        }
        return new Batch(events, firstSeq, bytes);
    }
}
