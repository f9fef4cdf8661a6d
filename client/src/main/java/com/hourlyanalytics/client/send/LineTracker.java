package com.hourlyanalytics.client.send;

import com.hourlyanalytics.client.DeliveryListener;
import com.hourlyanalytics.client.DropReason;
import com.hourlyanalytics.client.Event;
import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of each line: the client's listener, mapping events back to their line numbers (by event id, while
 * they are in flight) and printing each line not delivered as it happens ({@code line 17: rejected (400): ...}).
 */
final class LineTracker implements DeliveryListener {

    private final PrintStream err;
    private final Map<String, ArrayDeque<Long>> inFlight = new HashMap<>();
    private final TreeSet<Long> rejectedLines = new TreeSet<>();
    private final TreeSet<Long> droppedLines = new TreeSet<>();
    private final AtomicLong read = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();

    LineTracker(PrintStream err) {
        this.err = err;
    }

    /** The line was read and its event is about to be handed to the client. */
    synchronized void sending(long line, Event event) {
        read.incrementAndGet();
        inFlight.computeIfAbsent(event.eventId(), id -> new ArrayDeque<>()).addLast(line);
    }

    /** The line was read and could not be made an event; nothing of it was sent. */
    synchronized void unreadable(long line, String problem) {
        read.incrementAndGet();
        rejectedLines.add(line);
        err.println("line " + line + ": rejected: " + problem);
    }

    @Override
    public void delivered(List<Event> events) {
        for (Event event : events) {
            settle(event);
        }
        delivered.addAndGet(events.size());
    }

    @Override
    public synchronized void rejected(Event event, int status, String message) {
        long line = settle(event);
        rejectedLines.add(line);
        err.println("line " + line + ": rejected (" + status + "): " + message);
    }

    @Override
    public synchronized void dropped(Event event, DropReason reason, String detail) {
        long line = settle(event);
        droppedLines.add(line);
        err.println("line " + line + ": not delivered (" + reason + "): " + detail);
    }

    private synchronized long settle(Event event) {
        ArrayDeque<Long> lines = inFlight.get(event.eventId());
        long line = lines.removeFirst();
        if (lines.isEmpty()) {
            inFlight.remove(event.eventId());
        }
        return line;
    }

    long read() {
        return read.get();
    }

    long delivered() {
        return delivered.get();
    }

    synchronized long rejected() {
        return rejectedLines.size();
    }

    synchronized long dropped() {
        return droppedLines.size();
    }

    /** Every line read was delivered. */
    synchronized boolean allDelivered() {
        return rejectedLines.isEmpty() && droppedLines.isEmpty() && delivered.get() == read.get();
    }

    /** The summary's line-number lists: {@code lines 3, 17, 4003} (the first 20, then how many more). */
    synchronized String lines(boolean rejected) {
        TreeSet<Long> lines = rejected ? rejectedLines : droppedLines;
        StringBuilder text = new StringBuilder(lines.size() == 1 ? "line " : "lines ");
        int shown = 0;
        for (long line : lines) {
            if (shown == 20) {
                return text.append(" and ").append(lines.size() - shown).append(" more").toString();
            }
            text.append(shown++ == 0 ? "" : ", ").append(line);
        }
        return text.toString();
    }
}
