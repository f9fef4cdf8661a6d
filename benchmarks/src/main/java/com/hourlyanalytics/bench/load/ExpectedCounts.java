package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.HourCounts;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
}
