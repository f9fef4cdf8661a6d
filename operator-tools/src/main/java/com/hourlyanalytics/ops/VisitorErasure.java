package com.hourlyanalytics.ops;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import com.hourlyanalytics.store.dynamodb.VisitorKeys;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

/**
 * Erases one visitor of one partner from the table: the marker of each hour in a window, deleted by key (markers are
 * keyed by hour and pseudonym, so this is one DeleteItem per hour, no scan), and the event id items whose event is the
 * visitor's, found by one scan of the partner's event ids (they are keyed by event id alone). Counts are not
 * changed: they hold no one's id. Procedure and what it costs: docs/deployment.md, "Erasing a visitor".
 */
final class VisitorErasure {

    /** What was deleted. */
    record Erased(long markers, long eventIds, long hours) {
    }

    private final DynamoDbClient client;
    private final String tableName;
    private final VisitorKeys visitors;

    VisitorErasure(DynamoDbClient client, StoreSettings settings, Clock clock) {
        this.client = client;
        this.tableName = settings.tableName();
        this.visitors = VisitorKeys.readOnly(client, settings, clock);
    }

    /** Deletes the visitor's markers of hours {@code from} to {@code to} (both included) and, unless skipped, their event ids. */
    Erased erase(Partner partner, String userId, Hour from, Hour to, boolean eventIds) {
        long markers = 0;
        long hours = 0;
        for (Hour hour = from; hour.index() <= to.index(); hour = hour.plus(1), hours++) {
            String key = visitors.markerKey(partner, hour, userId);
            markers += client.deleteItem(b -> b.tableName(tableName).key(key(key)).returnValues(ReturnValue.ALL_OLD)).hasAttributes() ? 1 : 0;
        }
        return new Erased(markers, eventIds ? eraseEventIds(partner, userId) : 0, hours);
    }

    /** One pass over the table, reading only the partner's event id items' keys and events. */
    private long eraseEventIds(Partner partner, String userId) {
        String prefix = TableLayout.eventIdKey(partner, "");
        long erased = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            var page = client.scan(b -> b.tableName(tableName).exclusiveStartKey(from)
                    .filterExpression("begins_with(#pk, :prefix)").projectionExpression("#pk, #event")
                    .expressionAttributeNames(Map.of("#pk", TableLayout.KEY, "#event", TableLayout.EVENT))
                    .expressionAttributeValues(Map.of(":prefix", AttributeValue.fromS(prefix))));
            for (Map<String, AttributeValue> item : page.items()) {
                AttributeValue text = item.get(TableLayout.EVENT);
                if (text != null && isTheVisitors(partner, userId, text.s())) {
                    erased += delete(item.get(TableLayout.KEY).s(), text) ? 1 : 0;
                }
            }
            start = page.hasLastEvaluatedKey() ? new HashMap<>(page.lastEvaluatedKey()) : null;
        } while (start != null);
        return erased;
    }

    /** The stored {@code timestamp,type,visitor} is the one this user's event of that time and type would store. */
    private boolean isTheVisitors(Partner partner, String userId, String text) {
        int first = text.indexOf(',');
        int second = text.indexOf(',', first + 1);
        if (first < 0 || second < 0) {
            return false;
        }
        Optional<EventType> type = EventType.fromWireName(text.substring(first + 1, second));
        long timestamp;
        try {
            timestamp = Long.parseLong(text.substring(0, first));
        } catch (NumberFormatException e) {
            return false;
        }
        return type.isPresent() && visitors.eventText(partner, new AnalyticsEvent(timestamp, userId, type.get())).equals(text);
    }

    /** Only while it still holds that event: an id expired and reused meanwhile is someone else's. */
    private boolean delete(String key, AttributeValue text) {
        try {
            client.deleteItem(b -> b.tableName(tableName).key(key(key)).conditionExpression("#event = :event")
                    .expressionAttributeNames(Map.of("#event", TableLayout.EVENT)).expressionAttributeValues(Map.of(":event", text)));
            return true;
        } catch (ConditionalCheckFailedException gone) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String key) {
        return Map.of(TableLayout.KEY, AttributeValue.fromS(key));
    }
}
