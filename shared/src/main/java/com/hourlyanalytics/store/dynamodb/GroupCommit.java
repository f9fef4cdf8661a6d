package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Commits a {@link TransactionGroup} as one TransactWriteItems: its markers and event ids, each on condition that it
 * is new, and its counter update; so a marker never exists without its user counted, nor an event id without its
 * event. A cancelled transaction applied nothing; what its reasons say decides the next attempt:
 * <ul>
 *   <li>a marker already there: that user is counted already (its events stay, as a known user's);</li>
 *   <li>an event id stored for the same event: counted already, dropped; for another event: dropped and reported
 *       to {@code onIdConflict} (the request answers 422), the rest of the group still counts;</li>
 *   <li>a conflict with another transaction, or throttling: sent again after a {@link ConflictBackoff}, its counter
 *       update on a freshly picked shard (and the hour grows when the counter was the item in conflict).</li>
 * </ul>
 */
final class GroupCommit {

    static final String IS_NEW = "attribute_not_exists(" + TableLayout.KEY + ")";
    /** Cancellation reasons that applied nothing and say nothing about the item: worth another attempt. */
    private static final Set<String> RETRYABLE = Set.of("None", "TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded");

    private final DynamoDbClient client;
    private final String tableName;
    private final Duration markerRetention;
    private final Duration eventIdRetention;
    private final KnownMarkers known;
    private final CounterWrites counters;
    private final ConflictBackoff backoff;
    private final Clock clock;
    private final VisitorKeys visitors;

    GroupCommit(DynamoDbClient client, StoreSettings settings, VisitorKeys visitors, KnownMarkers known, CounterWrites counters,
                ConflictBackoff backoff, Clock clock) {
        this.client = client;
        this.tableName = settings.tableName();
        this.markerRetention = settings.markerRetention();
        this.eventIdRetention = settings.eventIdRetention();
        this.known = known;
        this.counters = counters;
        this.backoff = backoff;
        this.clock = clock;
        this.visitors = visitors;
    }

    /** Commits the group, retrying as the class says; returns the users it counted as new. */
    long commit(Partner partner, TransactionGroup group, Deadline deadline, Consumer<AnalyticsEvent> onIdConflict) {
        for (int conflicts = 0; ; ) {
            if (group.actions() == 1) {
                HourCounts delta = group.delta();
                if (!delta.equals(HourCounts.EMPTY)) {
                    counters.add(partner, group.hour, delta, deadline);
                }
                return 0;
            }
            List<Object> subjects = new ArrayList<>();
            List<TransactWriteItem> actions = new ArrayList<>();
            group.newUsers.forEach(user -> {
                subjects.add(user);
                actions.add(put(marker(partner, group, user)));
            });
            group.events.stream().filter(event -> event.eventId() != null).forEach(event -> {
                subjects.add(event);
                actions.add(put(eventId(partner, event)));
            });
            CounterWrites.Update update = counters.transactional(partner, group.hour, group.delta(), deadline);
            actions.add(TransactWriteItem.builder().update(u -> u.tableName(tableName).key(update.key())
                    .updateExpression(update.expression()).expressionAttributeValues(update.values())).build());
            try {
                send(TransactWriteItemsRequest.builder().transactItems(actions).clientRequestToken(UUID.randomUUID().toString()).build(), deadline);
            } catch (TransactionCanceledException e) {
                List<CancellationReason> reasons = e.cancellationReasons();
                if (reasons == null || reasons.size() != actions.size()) {
                    throw new StoreUnavailableException("transaction cancelled without a reason per action", e);
                }
                if (!dropWhatWasThere(partner, group, subjects, reasons, onIdConflict)) {
                    if (!reasons.stream().allMatch(reason -> RETRYABLE.contains(reason.code()))) {
                        throw new StoreUnavailableException("transaction cancelled", e);
                    }
                    if ("TransactionConflict".equals(reasons.get(reasons.size() - 1).code())) {
                        counters.contended(partner, group.hour, update);
                    }
                    backoff.pause(++conflicts, deadline);
                }
                continue;
            } catch (SdkException e) {
                throw new StoreUnavailableException("transaction failed", e);
            }
            group.newUsers.forEach(user -> known.add(partner, group.hour, user));
            return group.newUsers.size();
        }
    }

    /**
     * Sends the transaction, and once more with the same token when its answer was lost (an attempt timeout, a
     * broken connection): DynamoDB applies a token once within 10 minutes, so the resend finds it applied (success)
     * or in progress (retried by the client as throttling) or applies it, and never counts twice.
     */
    private void send(TransactWriteItemsRequest transaction, Deadline deadline) {
        deadline.check();
        try {
            client.transactWriteItems(transaction);
        } catch (SdkClientException lost) {
            deadline.check();
            client.transactWriteItems(transaction);
        }
    }

    /** True when the reasons showed items that were there, now dropped from the group (progress: no backoff). */
    private boolean dropWhatWasThere(Partner partner, TransactionGroup group, List<Object> subjects,
                                     List<CancellationReason> reasons, Consumer<AnalyticsEvent> onIdConflict) {
        boolean dropped = false;
        for (int i = 0; i < subjects.size(); i++) {
            if (!"ConditionalCheckFailed".equals(reasons.get(i).code())) {
                continue;
            }
            if (subjects.get(i) instanceof AnalyticsEvent event) {
                if (!visitors.sameEvent(partner, reasons.get(i).item(), event)) {
                    onIdConflict.accept(event);
                    group.drop(event);
                } else {
                    group.events.remove(event);
                }
            } else {
                String user = (String) subjects.get(i);
                group.newUsers.remove(user);
                known.add(partner, group.hour, user);
            }
            dropped = true;
        }
        return dropped;
    }

    private TransactWriteItem put(Map<String, AttributeValue> item) {
        return TransactWriteItem.builder().put(p -> p.tableName(tableName).item(item).conditionExpression(IS_NEW)
                .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)).build();
    }

    private Map<String, AttributeValue> marker(Partner partner, TransactionGroup group, String user) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableLayout.KEY, AttributeValue.fromS(visitors.markerKey(partner, group.hour, user)));
        if (!markerRetention.isZero()) {
            item.put(TableLayout.EXPIRES_AT, AttributeValue.fromN(Long.toString(TableLayout.markerExpiresAt(group.hour, markerRetention))));
        }
        return item;
    }

    private Map<String, AttributeValue> eventId(Partner partner, AnalyticsEvent event) {
        return Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.eventIdKey(partner, event.eventId())),
                TableLayout.EVENT, AttributeValue.fromS(visitors.eventText(partner, event)),
                TableLayout.EXPIRES_AT, AttributeValue.fromN(Long.toString(clock.instant().plus(eventIdRetention).getEpochSecond())));
    }
}
