package com.hourlyanalytics.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.client.AnalyticsClient;
import com.hourlyanalytics.client.Event;
import com.hourlyanalytics.client.EventType;
import com.hourlyanalytics.client.HourCounts;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** What each hour must show after exactly one delivery of each event added: the service's model. */
final class ExpectedCounts {

    private static final long HOUR = 3_600_000L;

    private final Map<Long, Set<String>> users = new TreeMap<>();
    private final Map<Long, long[]> types = new TreeMap<>();
    private long events;

    synchronized void add(Event event) {
        long hour = Math.floorDiv(event.timestamp(), HOUR) * HOUR;
        users.computeIfAbsent(hour, h -> new HashSet<>()).add(event.user());
        types.computeIfAbsent(hour, h -> new long[2])[event.type() == EventType.CLICK ? 0 : 1]++;
        events++;
    }

    synchronized long events() {
        return events;
    }

    /** Reads every hour through {@code reader} and asserts its counts, exactly. */
    synchronized void assertExact(AnalyticsClient reader) throws InterruptedException {
        assertThat(users).isNotEmpty();
        for (long hour : users.keySet()) {
            HourCounts expected = new HourCounts(users.get(hour).size(), types.get(hour)[0], types.get(hour)[1]);
            assertThat(reader.counts(hour)).as("hour starting %d", hour).isEqualTo(expected);
        }
    }

    /** The sum of every hour's clicks and impressions as the service shows them now. */
    synchronized long counted(AnalyticsClient reader) throws InterruptedException {
        long counted = 0;
        for (long hour : users.keySet()) {
            HourCounts counts = reader.counts(hour);
            counted += counts.clicks() + counts.impressions();
        }
        return counted;
    }
}
