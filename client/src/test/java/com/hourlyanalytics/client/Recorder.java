package com.hourlyanalytics.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A listener that keeps what it was told. */
final class Recorder implements DeliveryListener {

    final List<Event> delivered = new ArrayList<>();
    final List<String> rejected = new ArrayList<>();
    final List<String> dropped = new ArrayList<>();
    final List<Integer> retried = new ArrayList<>();

    @Override
    public synchronized void delivered(List<Event> events) {
        delivered.addAll(events);
    }

    @Override
    public synchronized void rejected(Event event, int status, String message) {
        rejected.add(event.eventId() + " " + status + " " + message);
    }

    @Override
    public synchronized void dropped(Event event, DropReason reason, String detail) {
        dropped.add(event.eventId() + " " + reason);
    }

    @Override
    public synchronized void retrying(int events, int status, String cause, int attempt, Duration backoff) {
        retried.add(status);
    }

    synchronized List<Event> delivered() {
        return List.copyOf(delivered);
    }

    synchronized List<String> rejected() {
        return List.copyOf(rejected);
    }

    synchronized List<String> dropped() {
        return List.copyOf(dropped);
    }

    synchronized List<Integer> retried() {
        return List.copyOf(retried);
    }
}
