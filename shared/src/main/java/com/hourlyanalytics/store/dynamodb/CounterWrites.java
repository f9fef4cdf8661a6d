package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Counter updates: one {@code ADD} of an hour's non-zero counts to one of its shards, as the {@link ShardCeiling} picks. */
final class CounterWrites {

    /** False whatever the item holds, so a priming write is sent and refused and never applies. */
    static final String NEVER = "attribute_exists(" + TableLayout.KEY + ") AND attribute_not_exists(" + TableLayout.KEY + ")";

    private final DynamoDbClient client;
    private final String tableName;
    private final ShardCeiling ceiling;

    CounterWrites(DynamoDbClient client, String tableName, ShardCeiling ceiling) {
        this.client = client;
        this.tableName = tableName;
        this.ceiling = ceiling;
    }

    /** ADD of the non-zero counts only, e.g. {@code ADD clicks :clicks, unique_users :unique_users}. */
    static String counterUpdate(HourCounts delta) {
        return addEach(counterValues(delta));
    }

    /** The update that adds {@code delta} to one of the partner's hour's shards; as a plain call or a transaction's action. */
    record Update(ShardCeiling.Write write, Map<String, AttributeValue> key, String expression, Map<String, AttributeValue> values) {
    }

    Update update(Partner partner, Hour hour, HourCounts delta) {
        ShardCeiling.Write write = ceiling.write(partner, hour);
        Map<String, AttributeValue> values = counterValues(delta);
        if (write.announces()) {
            values.put(ShardCeiling.PLACEHOLDER, ceiling.announcement());
        }
        return new Update(write, Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.counterKey(partner, hour, write.shard()))),
                addEach(values), values);
    }

    /** Call once the update has been applied: only a durable announcement lets writes go past a smaller reader's shards. */
    void applied(Partner partner, Hour hour, Update update) {
        ceiling.written(partner, hour, update.write());
    }

    /** One plain UpdateItem: for deltas that credit no new user and no event id. */
    void add(Partner partner, Hour hour, HourCounts delta) {
        Update update = update(partner, hour, delta);
        try {
            client.updateItem(b -> b.tableName(tableName).key(update.key()).updateExpression(update.expression())
                    .expressionAttributeValues(update.values()));
        } catch (SdkException e) {
            throw new StoreUnavailableException("counter update failed", e);
        }
        applied(partner, hour, update);
    }

    /** The update {@link #add} sends, announcement included, on {@code key} under a condition that refuses it. */
    void primeRefused(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> values = counterValues(new HourCounts(1, 1, 0));
        values.put(ShardCeiling.PLACEHOLDER, ceiling.announcement());
        client.updateItem(b -> b.tableName(tableName).key(key)
                .updateExpression(addEach(values))
                .expressionAttributeValues(values)
                .conditionExpression(NEVER));
    }

    /** {@code ADD a :a, b :b} for each placeholder {@code :a}, {@code :b}. */
    private static String addEach(Map<String, AttributeValue> values) {
        StringJoiner update = new StringJoiner(", ", "ADD ", "");
        values.keySet().forEach(placeholder -> update.add(placeholder.substring(1) + " " + placeholder));
        return update.toString();
    }

    private static Map<String, AttributeValue> counterValues(HourCounts delta) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        putIfPositive(values, TableLayout.UNIQUE_USERS, delta.uniqueUsers());
        putIfPositive(values, TableLayout.CLICKS, delta.clicks());
        putIfPositive(values, TableLayout.IMPRESSIONS, delta.impressions());
        return values;
    }

    private static void putIfPositive(Map<String, AttributeValue> values, String attribute, long count) {
        if (count > 0) {
            values.put(":" + attribute, AttributeValue.fromN(Long.toString(count)));
        }
    }
}
