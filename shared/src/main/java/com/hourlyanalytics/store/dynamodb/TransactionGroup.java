package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

/**
 * One transaction's worth of an hour's events: markers for {@code newUsers}, an item per event id of
 * {@code events}, and the one counter update that adds exactly them. Each new user's marker travels with that
 * user's events (its first {@link #MAX_ACTIONS} - 2 ids at least), so a group that commits never counts a user
 * whose events are left to another group, nor the reverse.
 */
final class TransactionGroup {

    /** DynamoDB's limit on one transaction's actions: the counter update and 99 markers or event ids. */
    static final int MAX_ACTIONS = 100;

    final Hour hour;
    /** A batch's groups of one hour run at once: each its own counter shard on its first attempt (CounterShards.slot). */
    OptionalInt slot = OptionalInt.empty();
    final Set<String> newUsers = new LinkedHashSet<>();
    final List<AnalyticsEvent> events = new ArrayList<>();

    TransactionGroup(Hour hour) {
        this.hour = hour;
    }

    int actions() {
        return 1 + newUsers.size() + (int) events.stream().filter(e -> e.eventId() != null).count();
    }

    HourCounts delta() {
        return HourCounts.of(events).plus(new HourCounts(newUsers.size(), 0, 0));
    }

    /** Nothing to write: no marker, no event. */
    boolean isEmpty() {
        return newUsers.isEmpty() && events.isEmpty();
    }

    /** Moves these users' markers and events from this group into {@code into}: they commit apart. */
    void moveUsers(Set<String> users, TransactionGroup into) {
        users.stream().filter(newUsers::remove).forEach(into.newUsers::add);
        events.stream().filter(event -> users.contains(event.userId())).forEach(into.events::add);
        events.removeIf(event -> users.contains(event.userId()));
    }

    /** Drops an event that must not be counted here, and its user's marker when no event of that user is left. */
    void drop(AnalyticsEvent event) {
        events.remove(event);
        if (events.stream().noneMatch(other -> other.userId().equals(event.userId()))) {
            newUsers.remove(event.userId());
        }
    }
}
