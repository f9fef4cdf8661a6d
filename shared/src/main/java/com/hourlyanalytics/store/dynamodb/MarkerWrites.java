package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.dynamodb.ParallelCalls.OnFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A batch's user-hour markers: one conditional put per marker not known to exist, several at once, none started
 * after {@link #DEADLINE}. Reports which markers it created, so the store credits exactly those users.
 */
final class MarkerWrites {

    static final String MARKER_IS_NEW = "attribute_not_exists(" + TableLayout.KEY + ")";
    /** Conditional puts a batch runs at once. */
    static final int WRITERS = 8;
    /**
     * A batch stops starting marker puts after this long, then credits every user it created and answers 503.
     * What is left of the budget covers the last puts under way and every counter update, each call at most
     * {@link DynamoDbClients#CALL_TIMEOUT}: 25 s - 2 s x (1 + ceil(48 / 16)) = 17 s.
     */
    static final Duration DEADLINE = DynamoDbCounterStore.BATCH_STORE_BUDGET.minus(DynamoDbClients.CALL_TIMEOUT
            .multipliedBy(1 + Math.ceilDiv(CounterStore.MAX_BATCH_HOURS, CounterWrites.WRITERS)));

    /** Users whose markers this batch created, per hour; {@code failure} (or null) is what stopped the puts. */
    record Outcome(Map<Hour, Long> created, RuntimeException failure) {
    }

    private record Marker(Hour hour, String userId) {
    }

    private final DynamoDbClient client;
    private final String tableName;
    private final Duration retention;
    private final KnownMarkers known;
    private final Clock clock;

    MarkerWrites(DynamoDbClient client, StoreSettings settings, Clock clock) {
        this.client = client;
        this.tableName = settings.tableName();
        this.retention = settings.markerRetention();
        this.known = new KnownMarkers(settings.markerCacheEntries(), retention, clock);
        this.clock = clock;
    }

    /** Puts the markers of each hour's users; stops starting puts at the first failure or at the deadline. */
    Outcome write(Partner partner, Map<Hour, Set<String>> usersByHour) {
        List<Marker> unknown = new ArrayList<>();
        usersByHour.forEach((hour, users) -> users.stream()
                .filter(user -> !known.contains(partner, hour, user))
                .forEach(user -> unknown.add(new Marker(hour, user))));
        Map<Hour, Long> created = new ConcurrentHashMap<>();
        RuntimeException failure = ParallelCalls.run(unknown, WRITERS, clock, clock.millis() + DEADLINE.toMillis(),
                OnFailure.STOP, marker -> {
                    if (insert(partner, marker)) {
                        created.merge(marker.hour, 1L, Long::sum);
                    }
                    known.add(partner, marker.hour, marker.userId);
                });
        return new Outcome(created, failure);
    }

    /** True when this call created the marker; false when the user was already counted in that hour. */
    private boolean insert(Partner partner, Marker marker) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(TableLayout.KEY, AttributeValue.fromS(TableLayout.markerKey(partner, marker.hour, marker.userId)));
        if (!retention.isZero()) {
            item.put(TableLayout.EXPIRES_AT,
                    AttributeValue.fromN(Long.toString(TableLayout.markerExpiresAt(marker.hour, retention))));
        }
        try {
            client.putItem(b -> b.tableName(tableName).item(item).conditionExpression(MARKER_IS_NEW));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }
}
