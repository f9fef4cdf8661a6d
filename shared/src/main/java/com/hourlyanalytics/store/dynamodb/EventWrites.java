package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.EventIdConflictException;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The writes that count events, each all or nothing. What needs atomicity goes in a {@link Group}: one
 * TransactWriteItems of a new user-hour's marker and of event ids, each on condition that it is new, with the one
 * counter update that adds exactly the group's events and new users; so a marker never exists without its user
 * counted, nor an event id without its event. What needs none (a known user's event without an id) is one plain
 * {@code ADD} per hour. Items and keys: docs/data-model.md.
 */
final class EventWrites {

    /** DynamoDB's limit on one transaction's actions: the counter update and 99 markers or event ids. */
    static final int MAX_ACTIONS = 100;
    /**
     * Calls of one group cancelled without progress (a conflict, throttling) before it answers 503. A cancellation
     * that showed markers or ids already there is progress: the group shrinks, so those retries end by themselves.
     */
    static final int MAX_ATTEMPTS = 4;
    static final String IS_NEW = "attribute_not_exists(" + TableLayout.KEY + ")";
    private static final long CONFLICT_BACKOFF_MILLIS = 20;
    /** Cancellation reasons that leave an action retryable: none of its own, a conflict, throttling. */
    private static final Set<String> RETRYABLE = Set.of("None", "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");

    /** One transaction's worth of an hour's events: markers for {@code newUsers}, ids of {@code events} that have one. */
    static final class Group {
        final Hour hour;
        final Set<String> newUsers = new LinkedHashSet<>();
        final List<AnalyticsEvent> events = new ArrayList<>();

        Group(Hour hour) {
            this.hour = hour;
        }

        int actions() {
            return 1 + newUsers.size() + (int) events.stream().filter(e -> e.eventId() != null).count();
        }

        HourCounts delta() {
            return HourCounts.of(events).plus(new HourCounts(newUsers.size(), 0, 0));
        }
    }

    /** An hour's groups and the plain counts of its known users' events without ids. */
    record Plan(List<Group> groups, HourCounts plain) {
    }

    private final DynamoDbClient client;
    private final String tableName;
    private final Duration markerRetention;
    private final Duration eventIdRetention;
    private final KnownMarkers known;
    private final CounterWrites counters;
    private final Clock clock;

    EventWrites(DynamoDbClient client, StoreSettings settings, KnownMarkers known, CounterWrites counters, Clock clock) {
        this.client = client;
        this.tableName = settings.tableName();
        this.markerRetention = settings.markerRetention();
        this.eventIdRetention = settings.eventIdRetention();
        this.known = known;
        this.counters = counters;
        this.clock = clock;
    }

    /**
     * Packs the hour's events into groups of at most {@link #MAX_ACTIONS} actions: each user not known to be
     * counted brings its marker and its events, each event id one action; a known user's events without ids are
     * counted plainly.
     */
    Plan plan(Partner partner, Hour hour, List<AnalyticsEvent> events) {
        Map<String, List<AnalyticsEvent>> byUser = new LinkedHashMap<>();
        events.forEach(event -> byUser.computeIfAbsent(event.userId(), user -> new ArrayList<>()).add(event));
        List<Group> groups = new ArrayList<>();
        List<AnalyticsEvent> plain = new ArrayList<>();
        Group group = new Group(hour);
        for (var user : byUser.entrySet()) {
            boolean isNew = !known.contains(partner, hour, user.getKey());
            if (isNew) {
                group = roomFor(group, groups);
                group.newUsers.add(user.getKey());
            }
            for (AnalyticsEvent event : user.getValue()) {
                if (event.eventId() != null) {
                    group = roomFor(group, groups);
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
        return new Plan(groups, HourCounts.of(plain));
    }

    private static Group roomFor(Group group, List<Group> groups) {
        if (group.actions() < MAX_ACTIONS) {
            return group;
        }
        groups.add(group);
        return new Group(group.hour);
    }

    /**
     * Commits the group; returns the users it counted as new. A cancelled group drops the markers that were there
     * (those users are counted already: their events stay, as a known user's) and the event ids stored for the same
     * event (counted already), then tries again, as long as concurrent writers keep creating its markers (each time
     * it shrinks) but not past {@code deadlineMillis}.
     *
     * @throws EventIdConflictException when an event id is stored for another event; the group changed nothing
     */
    long commit(Partner partner, Group group, long deadlineMillis) {
        for (int call = 1, stalled = 0; ; call++) {
            if (group.actions() == 1) {
                HourCounts delta = group.delta();
                if (!delta.equals(HourCounts.EMPTY)) {
                    counters.add(partner, group.hour, delta);
                }
                return 0;
            }
            if (call > 1 && clock.millis() > deadlineMillis) {
                throw new StoreUnavailableException("batch passed its deadline", null);
            }
            List<Object> subjects = new ArrayList<>();
            List<TransactWriteItem> actions = new ArrayList<>();
            group.newUsers.forEach(user -> {
                subjects.add(user);
                actions.add(put(marker(partner, group.hour, user)));
            });
            group.events.stream().filter(event -> event.eventId() != null).forEach(event -> {
                subjects.add(event);
                actions.add(put(eventId(partner, event)));
            });
            CounterWrites.Update update = counters.update(partner, group.hour, group.delta());
            actions.add(TransactWriteItem.builder().update(u -> u.tableName(tableName).key(update.key())
                    .updateExpression(update.expression()).expressionAttributeValues(update.values())).build());
            try {
                client.transactWriteItems(b -> b.transactItems(actions));
            } catch (TransactionCanceledException e) {
                if (!dropWhatWasThere(partner, group, subjects, e)) {
                    backOff(++stalled, e);
                }
                continue;
            } catch (SdkException e) {
                throw new StoreUnavailableException("transaction failed", e);
            }
            counters.applied(partner, group.hour, update);
            group.newUsers.forEach(user -> known.add(partner, group.hour, user));
            return group.newUsers.size();
        }
    }

    /**
     * The events whose ids are not stored yet, read before a batch writes anything, so that an id reused for
     * another event rejects the whole batch unchanged.
     *
     * @throws EventIdConflictException when a stored id names another event
     */
    List<AnalyticsEvent> notYetCounted(Partner partner, List<AnalyticsEvent> events, CounterReads reads) {
        Map<String, AnalyticsEvent> byKey = new HashMap<>();
        events.stream().filter(event -> event.eventId() != null)
                .forEach(event -> byKey.put(TableLayout.eventIdKey(partner, event.eventId()), event));
        Set<AnalyticsEvent> counted = new HashSet<>();
        List<String> keys = List.copyOf(byKey.keySet());
        for (int from = 0; from < keys.size(); from += MAX_ACTIONS) {
            for (Map<String, AttributeValue> item : reads.items(keys.subList(from, Math.min(keys.size(), from + MAX_ACTIONS)))) {
                AnalyticsEvent event = byKey.get(item.get(TableLayout.KEY).s());
                if (!sameEvent(item, event)) {
                    throw new EventIdConflictException(event.eventId());
                }
                counted.add(event);
            }
        }
        return counted.isEmpty() ? events : events.stream().filter(event -> !counted.contains(event)).toList();
    }

    /** True when the cancellation showed items that were there, now dropped from the group; false for a conflict. */
    private boolean dropWhatWasThere(Partner partner, Group group, List<Object> subjects, TransactionCanceledException e) {
        List<CancellationReason> reasons = e.cancellationReasons();
        if (reasons == null || reasons.size() != subjects.size() + 1) {
            throw new StoreUnavailableException("transaction cancelled without a reason per action", e);
        }
        boolean dropped = false;
        for (int i = 0; i < subjects.size(); i++) {
            if (!"ConditionalCheckFailed".equals(reasons.get(i).code())) {
                continue;
            }
            if (subjects.get(i) instanceof AnalyticsEvent event) {
                if (!sameEvent(reasons.get(i).item(), event)) {
                    throw new EventIdConflictException(event.eventId());
                }
                group.events.remove(event);
            } else {
                String user = (String) subjects.get(i);
                group.newUsers.remove(user);
                known.add(partner, group.hour, user);
            }
            dropped = true;
        }
        return dropped;
    }

    /**
     * A cancellation for another reason: a conflict on the hot counter or a throttled item (which DynamoDB reports as
     * a cancellation reason, not as the throttling error the client retries) applied nothing, so wait and retry;
     * anything else, or the last attempt, is a 503.
     */
    private static void backOff(int stalled, TransactionCanceledException e) {
        boolean retryable = e.cancellationReasons().stream().allMatch(reason -> RETRYABLE.contains(reason.code()));
        if (!retryable || stalled == MAX_ATTEMPTS) {
            throw new StoreUnavailableException("transaction cancelled", e);
        }
        try {
            Thread.sleep(CONFLICT_BACKOFF_MILLIS << (stalled - 1));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted", interrupted);
        }
    }

    private static boolean sameEvent(Map<String, AttributeValue> item, AnalyticsEvent event) {
        AttributeValue stored = item == null ? null : item.get(TableLayout.EVENT);
        return stored != null && TableLayout.eventText(event).equals(stored.s());
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(tableName).item(item).conditionExpression(IS_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
    }

    private Map<String, AttributeValue> marker(Partner partner, Hour hour, String user) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableLayout.KEY, AttributeValue.fromS(TableLayout.markerKey(partner, hour, user)));
        if (!markerRetention.isZero()) {
            item.put(TableLayout.EXPIRES_AT, AttributeValue.fromN(Long.toString(TableLayout.markerExpiresAt(hour, markerRetention))));
        }
        return item;
    }

    private Map<String, AttributeValue> eventId(Partner partner, AnalyticsEvent event) {
        return Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.eventIdKey(partner, event.eventId())),
                TableLayout.EVENT, AttributeValue.fromS(TableLayout.eventText(event)),
                TableLayout.EXPIRES_AT, AttributeValue.fromN(Long.toString(clock.instant().plus(eventIdRetention).getEpochSecond())));
    }
}
