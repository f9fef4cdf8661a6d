package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.EventIdConflictException;
import com.hourlyanalytics.store.EventTooOldException;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Records a request's events, one way through the store: read what is stored already ({@link StoredItems}, for a
 * batch), plan each hour ({@link HourPlan}, announcing its counter width once), write the plans
 * ({@link GroupCommit}'s transactions and {@link CounterWrites}' plain adds, each all or nothing), then account:
 * remember the markers now stored ({@link KnownMarkers}), count new users, report event ids found taken meanwhile.
 */
final class EventRecorder {

    /**
     * A batch's store work ends within this, inside the ingest function's 28 s timeout (itself inside API
     * Gateway's 29 s), so the function always answers.
     */
    static final Duration BATCH_STORE_BUDGET = Duration.ofSeconds(25);
    /** Store calls a batch runs at once. */
    static final int WRITERS = 8;
    /**
     * After the deadline no call and no retry starts (each checks it first): the calls under way end within their
     * call timeout, and a write that was waiting out a conflict backoff checks again before it sends.
     */
    static final Duration WRITE_TAIL = DynamoDbClients.CALL_TIMEOUT.plusMillis(ConflictBackoff.CAP_MILLIS);
    /** No call starts after this: 25 s - 2.2 s = 22.8 s. */
    static final Duration DEADLINE = BATCH_STORE_BUDGET.minus(WRITE_TAIL);

    private final KnownMarkers known;
    private final StoredItems stored;
    private final CounterWrites counters;
    private final GroupCommit commits;
    private final RetentionFloor retention;
    private final Duration markerRetention;
    private final Spread spread;
    private final Clock clock;

    EventRecorder(KnownMarkers known, StoredItems stored, CounterWrites counters, GroupCommit commits,
                  RetentionFloor retention, Duration markerRetention, Spread spread, Clock clock) {
        this.known = known;
        this.stored = stored;
        this.counters = counters;
        this.commits = commits;
        this.retention = retention;
        this.markerRetention = markerRetention;
        this.spread = spread;
        this.clock = clock;
    }

    /** See {@link DynamoDbCounterStore#recordBatch}. */
    long record(Partner partner, List<AnalyticsEvent> events, long answerByMillis) {
        // The time spent before this call (a restore, parsing a large body) counts against the caller's answer.
        boolean batch = events.size() > 1;
        Deadline deadline = new Deadline(clock, Math.min(clock.millis() + DEADLINE.toMillis(), answerByMillis - WRITE_TAIL.toMillis()),
                batch ? Integer.MAX_VALUE : ConflictBackoff.MAX_ATTEMPTS);
        List<AnalyticsEvent> uncounted = batch ? stored.notYetCounted(partner, events, deadline) : events;
        Map<Hour, List<AnalyticsEvent>> byHour = new LinkedHashMap<>();
        uncounted.forEach(event -> byHour.computeIfAbsent(event.hour(), hour -> new ArrayList<>()).add(event));
        if (byHour.size() > CounterStore.MAX_BATCH_HOURS) {
            // The validator rejects these; more hours would not be written within the budget.
            throw new IllegalArgumentException("batch spans " + byHour.size() + " hours");
        }
        refuseOlderThanTheFloor(byHour.keySet());

        Map<Hour, HourPlan> plans = new ConcurrentHashMap<>();
        rethrow(ParallelCalls.run(List.copyOf(byHour.keySet()), WRITERS, deadline,
                hour -> plans.put(hour, plan(partner, hour, byHour.get(hour), batch, deadline))));

        Queue<AnalyticsEvent> idConflicts = new ConcurrentLinkedQueue<>();
        List<LongSupplier> writes = new ArrayList<>();
        byHour.keySet().forEach(hour -> {
            HourPlan plan = plans.get(hour);
            plan.groups().forEach(group -> writes.add(() -> {
                GroupCommit.Committed committed = commits.commit(partner, group, deadline, idConflicts::add);
                committed.newUsers().forEach(user -> known.add(partner, hour, user));
                committed.foundStored().forEach(user -> known.add(partner, hour, user));
                return committed.newUsers().size();
            }));
            if (!plan.plain().equals(HourCounts.EMPTY)) {
                writes.add(() -> {
                    counters.add(partner, hour, plan.plain(), deadline);
                    return 0;
                });
            }
        });
        AtomicLong newUsers = new AtomicLong();
        rethrow(ParallelCalls.run(writes, WRITERS, deadline, write -> newUsers.addAndGet(write.getAsLong())));

        AnalyticsEvent conflict = idConflicts.peek();
        if (conflict != null) {
            throw batch ? EventIdConflictException.restOfBatchCounted(conflict.eventId())
                    : EventIdConflictException.nothingStored(conflict.eventId());
        }
        return newUsers.get();
    }

    /**
     * The hour's plan. A batch reads the markers of users this container does not know (a transaction then holds
     * only new ones) and puts the hour's width on record once, before its writers fan out.
     */
    private HourPlan plan(Partner partner, Hour hour, List<AnalyticsEvent> events, boolean batch, Deadline deadline) {
        if (!batch) {
            return HourPlan.of(hour, events, user -> known.contains(partner, hour, user));
        }
        Set<String> unknown = events.stream().map(AnalyticsEvent::userId).filter(user -> !known.contains(partner, hour, user))
                .collect(Collectors.toSet());
        Set<String> found = stored.counted(partner, hour, unknown, deadline);
        found.forEach(user -> known.add(partner, hour, user));
        Predicate<String> counted = user -> found.contains(user) || known.contains(partner, hour, user);
        HourPlan plan = HourPlan.of(hour, events, counted);
        // Writers of one batch take distinct shards, of twice as many as run at once, so another batch rarely meets them.
        int groups = plan.groups().size();
        int offset = spread.next(0, StoreSettings.MAX_COUNTER_SHARDS);
        for (int g = 0; g < groups; g++) {
            plan.groups().get(g).slot = OptionalInt.of(offset + g);
        }
        counters.announce(partner, hour, groups > 1 ? 1 + 2 * Math.min(groups, WRITERS) : 1, deadline);
        return plan;
    }

    /**
     * Hours the validator let through under a raised retention whose markers may expire sooner (see
     * {@link RetentionFloor}). A writer with a retention records it before its first marker; the floor is read only
     * for an hour that ended more than a day ago, since no retention is shorter: the current hour never pays.
     */
    private void refuseOlderThanTheFloor(Set<Hour> hours) {
        long now = clock.millis();
        long oldest = hours.stream().mapToLong(hour -> now - hour.plus(1).startMillis()).max().orElse(0);
        if (markerRetention.isZero() && oldest <= RetentionFloor.SHORTEST.toMillis()) {
            return;
        }
        Duration floor = retention.effective();
        if (!floor.isZero() && oldest > floor.toMillis()) {
            throw new EventTooOldException(floor);
        }
    }

    private static void rethrow(RuntimeException failure) {
        if (failure != null) {
            throw failure instanceof SdkException e ? new StoreUnavailableException("write failed", e) : failure;
        }
    }
}
