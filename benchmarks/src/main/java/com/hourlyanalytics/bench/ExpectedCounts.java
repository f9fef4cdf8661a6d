package com.hourlyanalytics.bench;

import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import java.io.IOException;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The benchmark's own model of what the service must answer: every event it got a 204 for, per hour.
 * Each count only grows, and an event enters it after the service acknowledged it, so at any moment the
 * model is a lower bound of what a later GET must show, and after the run it is the exact answer.
 */
public final class ExpectedCounts {

    private static final class HourModel {
        final Set<String> users = ConcurrentHashMap.newKeySet();
        final LongAdder clicks = new LongAdder();
        final LongAdder impressions = new LongAdder();
    }

    private final Map<Long, HourModel> hours = new ConcurrentHashMap<>();

    public void acknowledged(long hour, String user, EventType type) {
        HourModel model = hours.computeIfAbsent(hour, h -> new HourModel());
        model.users.add(user);
        (type == EventType.CLICK ? model.clicks : model.impressions).increment();
    }

    public HourCounts lowerBound(long hour) {
        HourModel model = hours.get(hour);
        return model == null ? HourCounts.EMPTY
                : new HourCounts(model.users.size(), model.clicks.sum(), model.impressions.sum());
    }

    public Map<Long, HourCounts> all() {
        Map<Long, HourCounts> all = new TreeMap<>();
        hours.keySet().forEach(hour -> all.put(hour, lowerBound(hour)));
        return all;
    }

    /** Whether a GET answered less than {@code atLeast}, its hour's lower bound taken before the GET was sent. */
    public static boolean missedWrites(HourCounts got, HourCounts atLeast) {
        return got.uniqueUsers() < atLeast.uniqueUsers() || got.clicks() < atLeast.clicks()
                || got.impressions() < atLeast.impressions();
    }

    /**
     * Reads back every hour of the model, and each of {@code neverWritten} (which must read empty); each hour that
     * differs goes to {@code problems}. Returns the hours read.
     */
    public int readBack(LoadApi api, Collection<Long> neverWritten, Consumer<String> problems) throws IOException {
        Map<Long, HourCounts> expected = all();
        neverWritten.forEach(hour -> expected.put(hour, HourCounts.EMPTY));
        for (Map.Entry<Long, HourCounts> hour : expected.entrySet()) {
            HourCounts got = LoadApi.counts(api.get(hour.getKey() * Hour.MILLIS_PER_HOUR));
            if (!got.equals(hour.getValue())) {
                problems.accept("hour " + new Hour(hour.getKey()) + ": service says " + got + ", model says " + hour.getValue());
            }
        }
        return expected.size();
    }
}
