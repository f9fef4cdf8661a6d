package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Partner;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * A group's transaction as DynamoDB actions: a conditional put of each new user's marker and of each event id, in
 * that order, then the counter update. {@link #subjects} names what each put stands for, so that a cancellation's
 * reasons (one per action, in order) map back to users and events.
 */
final class GroupActions {

    static final String IS_NEW = "attribute_not_exists(" + TableLayout.KEY + ")";

    private final String tableName;
    private final Duration markerRetention;
    private final Duration eventIdRetention;
    private final VisitorKeys visitors;
    private final Clock clock;

    /** The actions of one attempt, and the user (a String) or event (an AnalyticsEvent) of each put. */
    record Transaction(List<TransactWriteItem> actions, List<Object> subjects, CounterWrites.Update update) {
    }

    GroupActions(StoreSettings settings, VisitorKeys visitors, Clock clock) {
        this.tableName = settings.tableName();
        this.markerRetention = settings.markerRetention();
        this.eventIdRetention = settings.eventIdRetention();
        this.visitors = visitors;
        this.clock = clock;
    }

    /**
     * The puts first, then the counter update {@code counter} gives: a new table must record its pseudonym key before
     * any write of ours creates an item there (VisitorKeys), and the update may announce a counter width.
     */
    Transaction of(Partner partner, TransactionGroup group, Supplier<CounterWrites.Update> counter) {
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
        CounterWrites.Update update = counter.get();
        actions.add(TransactWriteItem.builder().update(u -> u.tableName(tableName).key(update.key())
                .updateExpression(update.expression()).expressionAttributeValues(update.values())).build());
        return new Transaction(actions, subjects, update);
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
