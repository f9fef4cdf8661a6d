package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.StringJoiner;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * Counter updates: an {@code ADD} of an hour's non-zero counts to one of its shards ({@link CounterShards}), as a
 * plain call or as a transaction's action. A plain add that meets a transaction on its shard applied nothing: it
 * is sent again on a freshly picked shard after a {@link ConflictBackoff}, and the hour grows.
 */
final class CounterWrites {

    /** False whatever the item holds, so a priming write is sent and refused and never applies. */
    static final String NEVER = "attribute_exists(" + TableLayout.KEY + ") AND attribute_not_exists(" + TableLayout.KEY + ")";

    /** The update adding a delta to one shard of a partner's hour. */
    record Update(CounterShards.Pick pick, Map<String, AttributeValue> key, String expression, Map<String, AttributeValue> values) {
    }

    private final DynamoDbClient client;
    private final String tableName;
    private final CounterShards shards;
    private final ConflictBackoff backoff;

    CounterWrites(DynamoDbClient client, String tableName, CounterShards shards, ConflictBackoff backoff) {
        this.client = client;
        this.tableName = tableName;
        this.shards = shards;
        this.backoff = backoff;
    }

    /** ADD of the non-zero counts only, e.g. {@code ADD clicks :clicks, unique_users :unique_users}. */
    static String counterUpdate(HourCounts delta) {
        return addEach(counterValues(delta));
    }

    /**
     * The update for a transaction's action, on a shard of the hour's announced width (announcing it first if
     * needed): the batch slot's own shard when there is one, else a random one.
     */
    Update transactional(Partner partner, Hour hour, HourCounts delta, OptionalInt slot, Deadline deadline) {
        CounterShards.Width width = announcedWidth(partner, hour, deadline);
        return update(partner, hour, delta, slot.isPresent() ? shards.slot(width, slot.getAsInt()) : shards.pick(width, true));
    }

    /** Puts the hour's width, widened to at least {@code shards}, on record in shard 0 unless it is already. */
    void announce(Partner partner, Hour hour, int shards, Deadline deadline) {
        this.shards.widen(partner, hour, shards);
        announcedWidth(partner, hour, deadline);
    }

    /** The update met a transaction conflict on its shard: the hour grows. */
    void contended(Partner partner, Hour hour, Update update) {
        shards.contended(partner, hour, update.pick());
    }

    /** One plain UpdateItem: for deltas that credit no new user and no event id. */
    void add(Partner partner, Hour hour, HourCounts delta, Deadline deadline) {
        for (int conflicts = 0; ; ) {
            Update update = update(partner, hour, delta, shards.pick(announcedWidth(partner, hour, deadline), false));
            try {
                deadline.check();
                client.updateItem(b -> b.tableName(tableName).key(update.key()).updateExpression(update.expression())
                        .expressionAttributeValues(update.values()));
                return;
            } catch (TransactionConflictException e) {
                contended(partner, hour, update);
                backoff.pause(++conflicts, deadline);
            } catch (SdkException e) {
                throw new StoreUnavailableException("counter update failed", e);
            }
        }
    }

    /**
     * The hour's width in this container once shard 0 holds it: the first write of a wider hour first announces it
     * there (and learns the widest any writer announced, which it adopts).
     */
    private CounterShards.Width announcedWidth(Partner partner, Hour hour, Deadline deadline) {
        CounterShards.Width width = shards.width(partner, hour);
        if (width.announced()) {
            return width;
        }
        Map<String, AttributeValue> values = Map.of(CounterShards.PLACEHOLDER, CounterShards.announcement(width.shards()));
        for (int conflicts = 0; ; ) {
            try {
                deadline.check();
                Map<String, AttributeValue> now = client.updateItem(b -> b.tableName(tableName).key(shardKey(partner, hour, 0))
                        .updateExpression(addEach(values)).expressionAttributeValues(values)
                        .returnValues(ReturnValue.UPDATED_NEW)).attributes();
                shards.announced(partner, hour, width.shards(), CounterShards.announced(now));
                return shards.width(partner, hour);
            } catch (TransactionConflictException e) {
                backoff.pause(++conflicts, deadline);
            } catch (SdkException e) {
                throw new StoreUnavailableException("counter width announcement failed", e);
            }
        }
    }

    /** An announcement, as {@link #announcedWidth} sends it, on {@code key} under a condition that refuses it. */
    void primeRefused(Map<String, AttributeValue> key) {
        Map<String, AttributeValue> values = Map.of(CounterShards.PLACEHOLDER, CounterShards.announcement(1));
        client.updateItem(b -> b.tableName(tableName).key(key)
                .updateExpression(addEach(values))
                .expressionAttributeValues(values)
                .returnValues(ReturnValue.UPDATED_NEW)
                .conditionExpression(NEVER));
    }

    private Update update(Partner partner, Hour hour, HourCounts delta, CounterShards.Pick pick) {
        Map<String, AttributeValue> values = counterValues(delta);
        return new Update(pick, shardKey(partner, hour, pick.shard()), addEach(values), values);
    }

    private static Map<String, AttributeValue> shardKey(Partner partner, Hour hour, int shard) {
        return Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.counterKey(partner, hour, shard)));
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
