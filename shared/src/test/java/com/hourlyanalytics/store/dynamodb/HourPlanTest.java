package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.testing.SettableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How a batch's hour is packed into transactions; what they do on a real store is in the *StoreIT suites. */
class HourPlanTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:30:00Z");
    private static final Hour HOUR = Hour.containing(NOW);
    private static final Partner P = new Partner("p");

    private final SettableClock clock = new SettableClock(NOW);
    private final KnownMarkers known = new KnownMarkers(1_000, Duration.ZERO, clock);

    private HourPlan plan(List<AnalyticsEvent> events) {
        return HourPlan.of(HOUR, events, user -> known.contains(P, HOUR, user));
    }

    private static AnalyticsEvent event(String user, EventType type, String eventId) {
        return new AnalyticsEvent(HOUR.startMillis() + 1, user, type, eventId);
    }

    @Test
    void plan_99NewUsersFillOneTransaction_theHundredthStartsAnother() {
        List<AnalyticsEvent> events = IntStream.range(0, 100).mapToObj(u -> event("u" + u, EventType.CLICK, null)).toList();

        HourPlan plan = plan(events);

        assertThat(plan.groups()).extracting(TransactionGroup::actions).containsExactly(TransactionGroup.MAX_ACTIONS, 2);
        assertThat(plan.groups()).extracting(TransactionGroup::delta)
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

        HourPlan plan = plan(events);

        assertThat(plan.groups()).hasSize(5).allSatisfy(group -> assertThat(group.actions()).isLessThanOrEqualTo(TransactionGroup.MAX_ACTIONS));
        assertThat(plan.groups()).flatExtracting(group -> List.copyOf(group.newUsers))
                .containsExactlyElementsOf(IntStream.range(0, 150).mapToObj(u -> "u" + u).toList());
        assertThat(plan.groups()).flatExtracting(group -> group.events).containsExactlyElementsOf(events);
        assertThat(plan.groups().stream().map(TransactionGroup::delta).reduce(HourCounts.EMPTY, HourCounts::plus))
                .isEqualTo(new HourCounts(150, 150, 150));
        assertThat(plan.plain()).isEqualTo(HourCounts.EMPTY);
    }

    @Test
    void plan_50NewUsersWithAnIdEach_eachMarkerInTheGroupOfItsUsersEvent() {
        // Filled to 99 actions by 49 users (marker and id each), the 50th user's marker and id both go to the next
        // group: a group that commits alone then never counts a user whose event it left out, nor the reverse.
        List<AnalyticsEvent> events = IntStream.range(0, 50).mapToObj(u -> event("u" + u, EventType.CLICK, "e" + u)).toList();

        HourPlan plan = plan(events);

        assertThat(plan.groups()).extracting(TransactionGroup::actions).containsExactly(99, 3);
        assertThat(plan.groups()).allSatisfy(group -> assertThat(group.events).extracting(AnalyticsEvent::userId)
                .containsExactlyElementsOf(group.newUsers));
    }

    @Test
    void plan_newUserWithMoreIdsThanOneGroupHolds_markerTravelsWithItsFirst98() {
        List<AnalyticsEvent> events = new ArrayList<>(List.of(event("a", EventType.CLICK, "a")));
        IntStream.range(0, 150).forEach(i -> events.add(event("many", EventType.IMPRESSION, "m" + i)));

        HourPlan plan = plan(events);

        assertThat(plan.groups()).extracting(TransactionGroup::actions).containsExactly(3, 100, 53);
        assertThat(plan.groups().get(1).newUsers).containsExactly("many");
        assertThat(plan.groups().get(1).events).hasSize(98).allSatisfy(event -> assertThat(event.userId()).isEqualTo("many"));
        assertThat(plan.groups().get(2).newUsers).isEmpty();
    }

    @Test
    void drop_anEventsOnlyEventOfItsUser_dropsTheUsersMarkerToo() {
        AnalyticsEvent reused = event("b", EventType.CLICK, "taken");
        TransactionGroup group = plan(List.of(event("a", EventType.CLICK, "x"), reused, event("a", EventType.CLICK, null))).groups().get(0);

        group.drop(reused);
        group.drop(group.events.get(0));

        assertThat(group.newUsers).containsExactly("a");
        assertThat(group.delta()).isEqualTo(new HourCounts(1, 1, 0));
    }

    @Test
    void plan_knownUser_eventsWithoutIdArePlain_withIdInATransactionWithoutItsMarker() {
        known.add(P, HOUR, "known");
        List<AnalyticsEvent> events = List.of(event("known", EventType.CLICK, null), event("known", EventType.IMPRESSION, "e1"),
                event("known", EventType.IMPRESSION, null), event("new", EventType.CLICK, null));

        HourPlan plan = plan(events);

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

        HourPlan plan = plan(List.of(event("a", EventType.CLICK, null), event("b", EventType.CLICK, null)));

        assertThat(plan.groups()).isEmpty();
        assertThat(plan.plain()).isEqualTo(new HourCounts(0, 2, 0));
    }

    @Test
    void plan_userKnownToAnotherPartner_isNewForThisOne() {
        known.add(new Partner("other"), HOUR, "u");

        assertThat(plan(List.of(event("u", EventType.CLICK, null))).groups())
                .singleElement().satisfies(group -> assertThat(group.newUsers).containsExactly("u"));
    }
}
