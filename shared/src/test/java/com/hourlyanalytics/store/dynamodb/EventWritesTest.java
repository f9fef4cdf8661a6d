package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.testing.SettableClock;
import com.hourlyanalytics.testing.TestStores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a batch's hour is packed into transactions; what they do on a real store is in the *StoreIT suites. */
class EventWritesTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:30:00Z");
    private static final Hour HOUR = Hour.containing(NOW);
    private static final Partner P = new Partner("p");

    private final SettableClock clock = new SettableClock(NOW);
    private final KnownMarkers known = new KnownMarkers(1_000, Duration.ZERO, clock);
    // plan() sends nothing: no client, no counter writes.
    private final EventWrites writes = new EventWrites(null,
            TestStores.firstReleaseSettings("table", "", Optional.empty()), known, null, clock);

    private static AnalyticsEvent event(String user, EventType type, String eventId) {
        return new AnalyticsEvent(HOUR.startMillis() + 1, user, type, eventId);
    }

    @Test
    void plan_99NewUsersFillOneTransaction_theHundredthStartsAnother() {
        List<AnalyticsEvent> events = IntStream.range(0, 100).mapToObj(u -> event("u" + u, EventType.CLICK, null)).toList();

        EventWrites.Plan plan = writes.plan(P, HOUR, events);

        assertThat(plan.groups()).extracting(EventWrites.Group::actions).containsExactly(EventWrites.MAX_ACTIONS, 2);
        assertThat(plan.groups()).extracting(EventWrites.Group::delta)
                .containsExactly(new HourCounts(99, 99, 0), new HourCounts(1, 1, 0));
        assertThat(plan.plain()).isEqualTo(HourCounts.EMPTY);
    }

    @Test
    void plan_manyIds_everyMarkerAndIdInExactlyOneTransactionOfAtMost100Actions() {
        List<AnalyticsEvent> events = new ArrayList<>();
        IntStream.range(0, 150).forEach(u -> {
            events.add(event("u" + u, EventType.CLICK, "c" + u));
            events.add(event("u" + u, EventType.IMPRESSION, "i" + u));
        });

        EventWrites.Plan plan = writes.plan(P, HOUR, events);

        assertThat(plan.groups()).hasSize(5).allSatisfy(group -> assertThat(group.actions()).isLessThanOrEqualTo(EventWrites.MAX_ACTIONS));
        assertThat(plan.groups()).flatExtracting(group -> List.copyOf(group.newUsers))
                .containsExactlyElementsOf(IntStream.range(0, 150).mapToObj(u -> "u" + u).toList());
        assertThat(plan.groups()).flatExtracting(group -> group.events).containsExactlyElementsOf(events);
        assertThat(plan.groups().stream().map(EventWrites.Group::delta).reduce(HourCounts.EMPTY, HourCounts::plus))
                .isEqualTo(new HourCounts(150, 150, 150));
        assertThat(plan.plain()).isEqualTo(HourCounts.EMPTY);
    }

    @Test
    void plan_knownUser_eventsWithoutIdArePlain_withIdInATransactionWithoutItsMarker() {
        known.add(P, HOUR, "known");
        List<AnalyticsEvent> events = List.of(event("known", EventType.CLICK, null), event("known", EventType.IMPRESSION, "e1"),
                event("known", EventType.IMPRESSION, null), event("new", EventType.CLICK, null));

        EventWrites.Plan plan = writes.plan(P, HOUR, events);

        assertThat(plan.plain()).isEqualTo(new HourCounts(0, 1, 1));
        assertThat(plan.groups()).singleElement().satisfies(group -> {
            assertThat(group.newUsers).containsExactly("new");
            assertThat(group.events).containsExactly(events.get(1), events.get(3));
            assertThat(group.actions()).isEqualTo(3);
            assertThat(group.delta()).isEqualTo(new HourCounts(1, 1, 1));
        });
    }

    @Test
    void plan_onlyKnownUsersWithoutIds_noTransaction() {
        known.add(P, HOUR, "a");
        known.add(P, HOUR, "b");

        EventWrites.Plan plan = writes.plan(P, HOUR, List.of(event("a", EventType.CLICK, null), event("b", EventType.CLICK, null)));

        assertThat(plan.groups()).isEmpty();
        assertThat(plan.plain()).isEqualTo(new HourCounts(0, 2, 0));
    }

    @Test
    void plan_userKnownToAnotherPartner_isNewForThisOne() {
        known.add(new Partner("other"), HOUR, "u");

        assertThat(writes.plan(P, HOUR, List.of(event("u", EventType.CLICK, null))).groups())
                .singleElement().satisfies(group -> assertThat(group.newUsers).containsExactly("u"));
    }
}
