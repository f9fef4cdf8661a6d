package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Duration;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The shortest {@code MARKER_RETENTION_DAYS} any writer has used, kept in the table ({@link TableLayout#RETENTION_FLOOR_KEY}).
 * A marker's expiry is fixed when it is written, so after the setting is raised (or set to 0, forever) the markers
 * written before may still expire at the old retention: no writer may accept events older than the floor, whatever
 * its own setting says, or their users would count again. A writer with a retention lowers the floor to it (a
 * conditional SET); one that keeps markers forever only reads it. Learned once per container (and again after a
 * SnapStart restore): the floor only ever goes down. Raising it is an operator's step: docs/capacity.md.
 */
final class RetentionFloor {

    static final String SHORTEST_DAYS = "shortest_days";
    /** The shortest retention there is (MARKER_RETENTION_DAYS is whole days): no floor refuses a younger hour. */
    static final Duration SHORTEST = Duration.ofDays(1);

    private final DynamoDbClient client;
    private final String tableName;
    private final Duration configured;
    private volatile Duration effective;

    RetentionFloor(DynamoDbClient client, String tableName, Duration configured) {
        this.client = client;
        this.tableName = tableName;
        this.configured = configured;
    }

    /** How long after its hour an event can still be counted exactly: zero for forever. */
    Duration effective() {
        Duration known = effective;
        if (known == null) {
            known = load();
            effective = known;
        }
        return known;
    }

    /** Learn the floor again on next use (after a SnapStart restore: the snapshot's may be older than the table's). */
    void forget() {
        effective = null;
    }

    private Duration load() {
        Map<String, AttributeValue> key = Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.RETENTION_FLOOR_KEY));
        try {
            if (!configured.isZero()) {
                try {
                    client.updateItem(b -> b.tableName(tableName).key(key)
                            .updateExpression("SET " + SHORTEST_DAYS + " = :days")
                            .conditionExpression("attribute_not_exists(" + SHORTEST_DAYS + ") OR " + SHORTEST_DAYS + " > :days")
                            .expressionAttributeValues(Map.of(":days", AttributeValue.fromN(Long.toString(configured.toDays())))));
                    return configured;
                } catch (ConditionalCheckFailedException shorterAlready) {
                    // Another writer used a shorter retention: read it.
                }
            }
            Map<String, AttributeValue> item = client.getItem(b -> b.tableName(tableName).key(key).consistentRead(true)).item();
            AttributeValue days = item == null ? null : item.get(SHORTEST_DAYS);
            if (days == null) {
                return configured;
            }
            Duration floor = Duration.ofDays(Long.parseLong(days.n()));
            return configured.isZero() || floor.compareTo(configured) < 0 ? floor : configured;
        } catch (SdkException e) {
            throw new StoreUnavailableException("marker retention floor unavailable", e);
        }
    }
}
