package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * User-hour markers this process has seen the store confirm (created, or refused as already there), so a
 * repeat user skips the conditional put. A hit must only ever stand for a marker that exists: entries are
 * added only after the store answered, markers are never deleted before their TTL, and an entry stops
 * answering once its hour is past the retention (the validator rejects those events anyway). A miss is
 * always safe: it costs one conditional put. Least recently used entries go first past {@code capacity}.
 */
final class KnownMarkers {

    private record Key(Partner partner, long hour, String userId) {
    }

    private final int capacity;
    private final Duration retention;
    private final Clock clock;
    private final LinkedHashMap<Key, Boolean> entries;

    KnownMarkers(int capacity, Duration retention, Clock clock) {
        this.capacity = capacity;
        this.retention = retention;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
                return size() > KnownMarkers.this.capacity;
            }
        };
    }

    boolean contains(Partner partner, Hour hour, String userId) {
        if (capacity == 0 || pastRetention(hour)) {
            return false;
        }
        synchronized (entries) {
            return entries.get(new Key(partner, hour.index(), userId)) != null;
        }
    }

    /** Call only once the store has confirmed that the marker exists. */
    void add(Partner partner, Hour hour, String userId) {
        if (capacity == 0 || pastRetention(hour)) {
            return;
        }
        synchronized (entries) {
            entries.put(new Key(partner, hour.index(), userId), Boolean.TRUE);
        }
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }

    private boolean pastRetention(Hour hour) {
        return !retention.isZero() && clock.millis() >= hour.plus(1).startMillis() + retention.toMillis();
    }
}
