package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * The counter store on one DynamoDB table with a single string partition key {@code pk}:
 * <ul>
 *   <li>{@code hour#<n>} and, with N counter shards, {@code hour#<n>#<s>} for s in 1..N-1: the hour's counter
 *   items, attributes {@code unique_users}, {@code clicks}, {@code impressions}. A write goes to one shard at
 *   random; a read sums all N. Shard 0 keeps the unsharded key, so data written with N = 1 stays readable.</li>
 *   <li>{@code user#<n>#<userId>}: a marker that the user was seen in hour n, with {@code expires_at}
 *   (epoch seconds, the table's TTL attribute) when markers have a retention.</li>
 * </ul>
 * Keys cannot collide: the prefixes differ, n and s are digits only, and the user id is the rest of the
 * marker key verbatim. Each marker is its own partition; the N counter items share the hot hour's writes.
 */
public final class DynamoDbCounterStore implements CounterStore {

    public static final String KEY = "pk";
    public static final String UNIQUE_USERS = "unique_users";
    public static final String CLICKS = "clicks";
    public static final String IMPRESSIONS = "impressions";
    public static final String EXPIRES_AT = "expires_at";

    static final String MARKER_IS_NEW = "attribute_not_exists(" + KEY + ")";
    /**
     * Added to a marker's expiry so that it outlives every event the validator can still accept for its
     * hour: one accepted at the last instant of the retention reaches the store within the 2 s call timeout.
     */
    static final Duration MARKER_EXPIRY_GRACE = Duration.ofHours(1);
    /** Conditional puts a batch runs at once: enough to hide latency, few enough for one container. */
    static final int MARKER_WRITERS = 8;
    /**
     * A batch stops starting marker puts after this long, credits the users already created and answers 503,
     * well inside the ingest function's timeout: a Lambda timeout would leave those users uncounted for good.
     */
    static final Duration BATCH_MARKER_DEADLINE = Duration.ofSeconds(20);
    /** BatchGetItem may leave keys unprocessed under load; after this many calls the read fails (503). */
    static final int MAX_READ_ATTEMPTS = 3;
    private static final long READ_RETRY_BASE_MILLIS = 10;
    /** Priming's key: neither {@code hour#} nor {@code user#}, so never a counter or a marker. */
    static final String PRIMING_KEY = "priming#";
    /** False whatever the item holds, so a priming write is sent and refused and never applies. */
    static final String NEVER = "attribute_exists(" + KEY + ") AND attribute_not_exists(" + KEY + ")";

    private final DynamoDbClient client;
    private final String tableName;
    private final int shards;
    private final Duration markerRetention;
    private final KnownMarkers knownMarkers;
    private final Clock clock;

    /** The first release's layout: one counter item per hour, markers kept forever, no marker cache. */
    public DynamoDbCounterStore(DynamoDbClient client, String tableName) {
        this(client, new StoreSettings(tableName, "", Optional.empty()), Clock.systemUTC());
    }

    /** @param clock tells when a cached marker's hour is past the retention, and when a batch passed its deadline */
    public DynamoDbCounterStore(DynamoDbClient client, StoreSettings settings, Clock clock) {
        this.client = client;
        this.tableName = settings.tableName();
        this.shards = settings.counterShards();
        this.markerRetention = settings.markerRetention();
        this.knownMarkers = new KnownMarkers(settings.markerCacheEntries(), markerRetention, clock);
        this.clock = clock;
    }

    /** The composition roots' store: settings from the environment, one client built at init. */
    public static DynamoDbCounterStore fromEnvironment(Map<String, String> environment) {
        StoreSettings settings = StoreSettings.fromEnvironment(environment);
        return new DynamoDbCounterStore(DynamoDbClients.create(settings, List.of()), settings, Clock.systemUTC());
    }

    public static String counterKey(Hour hour) {
        return "hour#" + hour.index();
    }

    public static String counterKey(Hour hour, int shard) {
        return shard == 0 ? counterKey(hour) : counterKey(hour) + "#" + shard;
    }

    public static String markerKey(Hour hour, String userId) {
        return "user#" + hour.index() + "#" + userId;
    }

    /** Epoch seconds after which DynamoDB may delete the marker. */
    public static long markerExpiresAt(Hour hour, Duration retention) {
        return hour.plus(1).startMillis() / 1000 + retention.toSeconds() + MARKER_EXPIRY_GRACE.toSeconds();
    }

    /** ADD of the non-zero counts only, e.g. {@code ADD clicks :clicks, unique_users :unique_users}. */
    static String counterUpdate(HourCounts delta) {
        StringJoiner update = new StringJoiner(", ", "ADD ", "");
        counterValues(delta).keySet().forEach(placeholder -> update.add(placeholder.substring(1) + " " + placeholder));
        return update.toString();
    }

    private static Map<String, AttributeValue> counterValues(HourCounts delta) {
        Map<String, AttributeValue> values = new LinkedHashMap<>();
        putIfPositive(values, UNIQUE_USERS, delta.uniqueUsers());
        putIfPositive(values, CLICKS, delta.clicks());
        putIfPositive(values, IMPRESSIONS, delta.impressions());
        return values;
    }

    private static void putIfPositive(Map<String, AttributeValue> values, String attribute, long count) {
        if (count > 0) {
            values.put(":" + attribute, AttributeValue.fromN(Long.toString(count)));
        }
    }

    @Override
    public boolean record(AnalyticsEvent event) {
        return recordBatch(List.of(event)) == 1;
    }

    /**
     * One conditional put per user-hour not known to exist, then one counter update per hour touched.
     * If a put fails, the users whose markers were created are still credited before the 503, so a retry
     * of the same batch (which finds those markers) counts every event once and no user twice.
     */
    @Override
    public long recordBatch(List<AnalyticsEvent> events) {
        Map<Hour, Tally> tallies = new LinkedHashMap<>();
        for (AnalyticsEvent event : events) {
            tallies.computeIfAbsent(event.hour(), hour -> new Tally()).add(event);
        }
        List<Marker> unknown = new ArrayList<>();
        tallies.forEach((hour, tally) -> tally.users.stream()
                .filter(user -> !knownMarkers.contains(hour, user))
                .forEach(user -> unknown.add(new Marker(hour, user))));
        Map<Hour, Long> created = new HashMap<>();
        RuntimeException failure = insertMarkers(unknown, created);
        if (failure != null) {
            created.forEach((hour, users) -> addToCounter(hour, new HourCounts(users, 0, 0)));
            throw failure instanceof SdkException e ? new StoreUnavailableException("marker insert failed", e) : failure;
        }
        tallies.forEach((hour, tally) ->
                addToCounter(hour, new HourCounts(created.getOrDefault(hour, 0L), tally.clicks, tally.impressions)));
        return created.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public Duration markerRetention() {
        return markerRetention;
    }

    /** Fills {@code created} with the markers made per hour; returns the first failure, after which no put starts. */
    private RuntimeException insertMarkers(List<Marker> markers, Map<Hour, Long> created) {
        Map<Hour, Long> made = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long deadline = clock.millis() + BATCH_MARKER_DEADLINE.toMillis();
        Runnable writer = () -> {
            for (int i; failure.get() == null && (i = next.getAndIncrement()) < markers.size(); ) {
                if (clock.millis() > deadline) {
                    failure.compareAndSet(null, new StoreUnavailableException("batch passed its marker deadline", null));
                    break;
                }
                Marker marker = markers.get(i);
                try {
                    if (insertMarker(marker)) {
                        made.merge(marker.hour, 1L, Long::sum);
                    }
                    knownMarkers.add(marker.hour, marker.userId);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        int writers = Math.min(MARKER_WRITERS, markers.size());
        if (writers <= 1) {
            writer.run();
        } else {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                IntStream.range(0, writers).forEach(w -> pool.execute(writer));
            }
        }
        created.putAll(made);
        return failure.get();
    }

    /** True when this call created the marker; false when the user was already counted in that hour. */
    private boolean insertMarker(Marker marker) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put(KEY, AttributeValue.fromS(markerKey(marker.hour, marker.userId)));
        if (!markerRetention.isZero()) {
            item.put(EXPIRES_AT, AttributeValue.fromN(Long.toString(markerExpiresAt(marker.hour, markerRetention))));
        }
        try {
            client.putItem(b -> b.tableName(tableName).item(item).conditionExpression(MARKER_IS_NEW));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private void addToCounter(Hour hour, HourCounts delta) {
        String key = counterKey(hour, ThreadLocalRandom.current().nextInt(shards));
        try {
            client.updateItem(b -> b.tableName(tableName)
                    .key(Map.of(KEY, AttributeValue.fromS(key)))
                    .updateExpression(counterUpdate(delta))
                    .expressionAttributeValues(counterValues(delta)));
        } catch (SdkException e) {
            throw new StoreUnavailableException("counter update failed", e);
        }
    }

    @Override
    public HourCounts countsFor(Hour hour) {
        return sum(IntStream.range(0, shards).mapToObj(shard -> counterKey(hour, shard)).toList());
    }

    /** record's two requests on the priming key, each with a condition that refuses it (the ingest role can't read). */
    @Override
    public void primeRecord() {
        Map<String, AttributeValue> key = Map.of(KEY, AttributeValue.fromS(PRIMING_KEY));
        HourCounts delta = new HourCounts(1, 1, 0);
        refused(() -> client.putItem(b -> b.tableName(tableName).item(key).conditionExpression(NEVER)));
        refused(() -> client.updateItem(b -> b.tableName(tableName).key(key)
                .updateExpression(counterUpdate(delta))
                .expressionAttributeValues(counterValues(delta))
                .conditionExpression(NEVER)));
    }

    @Override
    public void primeRead() {
        sum(List.of(PRIMING_KEY));
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

    /** One strongly consistent BatchGetItem of the items, summed; unprocessed keys are asked again a bounded number of times. */
    private HourCounts sum(List<String> itemKeys) {
        List<Map<String, AttributeValue>> keys = itemKeys.stream()
                .map(key -> Map.of(KEY, AttributeValue.fromS(key)))
                .toList();
        HourCounts total = HourCounts.EMPTY;
        for (int attempt = 1; !keys.isEmpty(); attempt++) {
            if (attempt > MAX_READ_ATTEMPTS) {
                throw new StoreUnavailableException("counter read left " + keys.size() + " shards unprocessed", null);
            }
            BatchGetItemResponse response = batchGet(keys, attempt);
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(tableName, List.of())) {
                total = total.plus(new HourCounts(number(item, UNIQUE_USERS), number(item, CLICKS), number(item, IMPRESSIONS)));
            }
            KeysAndAttributes unprocessed = response.unprocessedKeys().get(tableName);
            keys = unprocessed == null ? List.of() : unprocessed.keys();
        }
        return total;
    }

    private BatchGetItemResponse batchGet(List<Map<String, AttributeValue>> keys, int attempt) {
        try {
            if (attempt > 1) {
                Thread.sleep(READ_RETRY_BASE_MILLIS << (attempt - 2));
            }
            return client.batchGetItem(b -> b.requestItems(Map.of(tableName,
                    KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
        } catch (SdkException e) {
            throw new StoreUnavailableException("counter read failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("counter read interrupted", e);
        }
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    private record Marker(Hour hour, String userId) {
    }

    /** One hour's share of a batch: its events by type and its distinct users. */
    private static final class Tally {
        private final Set<String> users = new LinkedHashSet<>();
        private long clicks;
        private long impressions;

        void add(AnalyticsEvent event) {
            users.add(event.userId());
            switch (event.type()) {
                case CLICK -> clicks++;
                case IMPRESSION -> impressions++;
            }
        }
    }
}
