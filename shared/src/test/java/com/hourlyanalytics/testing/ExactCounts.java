package com.hourlyanalytics.testing;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The tests' model of the service: what every store must answer for a list of events, per hour. */
public final class ExactCounts {

    private ExactCounts() {
    }

    public static Map<Hour, HourCounts> of(List<AnalyticsEvent> events) {
        Map<Hour, Set<String>> users = new HashMap<>();
        Map<Hour, HourCounts> counts = new HashMap<>();
        for (AnalyticsEvent e : events) {
            long newUser = users.computeIfAbsent(e.hour(), h -> new HashSet<>()).add(e.userId()) ? 1 : 0;
            counts.merge(e.hour(), new HourCounts(newUser, e.type() == EventType.CLICK ? 1 : 0,
                    e.type() == EventType.IMPRESSION ? 1 : 0), HourCounts::plus);
        }
        return counts;
    }
}
