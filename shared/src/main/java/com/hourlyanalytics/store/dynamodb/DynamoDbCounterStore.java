package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The counter store on one DynamoDB table with a single string partition key {@code pk}:
 * <ul>
 *   <li>{@code hour#<n>}: the hour's counter item, attributes {@code unique_users}, {@code clicks}, {@code impressions};</li>
 *   <li>{@code user#<n>#<userId>}: a marker that the user was seen in hour n.</li>
 * </ul>
 * Keys cannot collide: the prefixes differ, n is digits only and ends at the first '#', and the user id is
 * the rest of the key verbatim. Each marker is its own partition, so only the counter item is hot.
 */
public final class DynamoDbCounterStore implements CounterStore {

    public static final String KEY = "pk";
    public static final String UNIQUE_USERS = "unique_users";
    public static final String CLICKS = "clicks";
    public static final String IMPRESSIONS = "impressions";

    static final String MARKER_IS_NEW = "attribute_not_exists(" + KEY + ")";
    /** Priming's key: neither {@code hour#} nor {@code user#}, so never a counter or a marker. */
    static final String PRIMING_KEY = "priming#";
    /** False whatever the item holds, so a priming write is sent and refused and never applies. */
    static final String NEVER = "attribute_exists(" + KEY + ") AND attribute_not_exists(" + KEY + ")";

    private static final Map<String, AttributeValue> ADD_ONE = Map.of(":one", AttributeValue.fromN("1"));

    private final DynamoDbClient client;
    private final String tableName;

    public DynamoDbCounterStore(DynamoDbClient client, String tableName) {
        this.client = client;
        this.tableName = tableName;
    }

    /** The composition roots' store: settings from the environment, one client built at init. */
    public static DynamoDbCounterStore fromEnvironment(Map<String, String> environment) {
        StoreSettings settings = StoreSettings.fromEnvironment(environment);
        return new DynamoDbCounterStore(DynamoDbClients.create(settings, List.of()), settings.tableName());
    }

    public static String counterKey(Hour hour) {
        return "hour#" + hour.index();
    }

    public static String markerKey(Hour hour, String userId) {
        return "user#" + hour.index() + "#" + userId;
    }

    static String counterAttribute(EventType type) {
        return switch (type) {
            case CLICK -> CLICKS;
            case IMPRESSION -> IMPRESSIONS;
        };
    }

    /** The counter update: the event's attribute, and unique_users when the marker was new. */
    static String counterUpdate(EventType type, boolean newUser) {
        return "ADD " + counterAttribute(type) + " :one" + (newUser ? ", " + UNIQUE_USERS + " :one" : "");
    }

    @Override
    public boolean record(AnalyticsEvent event) {
        Hour hour = event.hour();
        boolean newUser = insertMarker(hour, event.userId());
        try {
            client.updateItem(b -> b.tableName(tableName)
                    .key(Map.of(KEY, AttributeValue.fromS(counterKey(hour))))
                    .updateExpression(counterUpdate(event.type(), newUser))
                    .expressionAttributeValues(ADD_ONE));
        } catch (SdkException e) {
            throw new StoreUnavailableException("counter update failed", e);
        }
        return newUser;
    }

    /** True when this call created the marker; false when the user was already counted in that hour. */
    private boolean insertMarker(Hour hour, String userId) {
        try {
            client.putItem(b -> b.tableName(tableName)
                    .item(Map.of(KEY, AttributeValue.fromS(markerKey(hour, userId))))
                    .conditionExpression(MARKER_IS_NEW));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        } catch (SdkException e) {
            throw new StoreUnavailableException("marker insert failed", e);
        }
    }

    @Override
    public HourCounts countsFor(Hour hour) {
        return read(counterKey(hour));
    }

    /** record's two requests on the priming key, each with a condition that refuses it (the ingest role can't read). */
    @Override
    public void primeRecord() {
        Map<String, AttributeValue> key = Map.of(KEY, AttributeValue.fromS(PRIMING_KEY));
        refused(() -> client.putItem(b -> b.tableName(tableName).item(key).conditionExpression(NEVER)));
        refused(() -> client.updateItem(b -> b.tableName(tableName).key(key)
                .updateExpression(counterUpdate(EventType.CLICK, true))
                .expressionAttributeValues(ADD_ONE)
                .conditionExpression(NEVER)));
    }

    @Override
    public void primeRead() {
        read(PRIMING_KEY);
    }

    private void refused(Runnable write) {
        try {
            write.run();
        } catch (ConditionalCheckFailedException expected) {
            // The condition never holds: this is the answer priming wants.
        } catch (SdkException e) {
            throw new StoreUnavailableException("priming failed", e);
        }
    }

    private HourCounts read(String key) {
        GetItemResponse response;
        try {
            response = client.getItem(b -> b.tableName(tableName)
                    .key(Map.of(KEY, AttributeValue.fromS(key)))
                    .consistentRead(true));
        } catch (SdkException e) {
            throw new StoreUnavailableException("counter read failed", e);
        }
        Map<String, AttributeValue> item = response.item();
        return new HourCounts(number(item, UNIQUE_USERS), number(item, CLICKS), number(item, IMPRESSIONS));
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item == null ? null : item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }
}
