package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * An hour's events as transactions and plain counts: each user not known to be counted brings its marker and
 * its events, each event id one action; a known user's events without ids are counted plainly, in one update.
 */
record HourPlan(List<TransactionGroup> groups, HourCounts plain) {

    /**
     * Packs the events into groups of at most {@link TransactionGroup#MAX_ACTIONS} actions. A new user starts a
     * new group unless its marker and all its event ids fit in the current one, so its marker is never split from
     * its events; only a user with more ids than one group holds spills the rest into the next groups.
     *
     * @param counted whether the user's marker for this hour is known to exist
     */
    static HourPlan of(Hour hour, List<AnalyticsEvent> events, Predicate<String> counted) {
        Map<String, List<AnalyticsEvent>> byUser = new LinkedHashMap<>();
        events.forEach(event -> byUser.computeIfAbsent(event.userId(), user -> new ArrayList<>()).add(event));
        List<TransactionGroup> groups = new ArrayList<>();
        List<AnalyticsEvent> plain = new ArrayList<>();
        TransactionGroup group = new TransactionGroup(hour);
        for (var user : byUser.entrySet()) {
            List<AnalyticsEvent> userEvents = user.getValue();
            boolean isNew = !counted.test(user.getKey());
            int ids = (int) userEvents.stream().filter(event -> event.eventId() != null).count();
            if (isNew) {
                group = roomFor(group, groups, 1 + Math.min(ids, TransactionGroup.MAX_ACTIONS - 2));
                group.newUsers.add(user.getKey());
            }
            for (AnalyticsEvent event : userEvents) {
                if (event.eventId() != null) {
                    group = roomFor(group, groups, 1);
                    group.events.add(event);
                } else if (isNew) {
                    group.events.add(event);
                } else {
                    plain.add(event);
                }
            }
        }
        if (group.actions() > 1) {
            groups.add(group);
        }
        return new HourPlan(groups, HourCounts.of(plain));
    }

    /** The group with room for {@code actions} more: {@code group} itself, or a new one once it is closed. */
    private static TransactionGroup roomFor(TransactionGroup group, List<TransactionGroup> groups, int actions) {
        if (group.actions() + actions <= TransactionGroup.MAX_ACTIONS) {
            return group;
        }
        groups.add(group);
        return new TransactionGroup(group.hour);
    }
}
