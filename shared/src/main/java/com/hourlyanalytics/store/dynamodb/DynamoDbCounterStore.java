package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import com.hourlyanalytics.model.RequestValidator;
import com.hourlyanalytics.store.dynamodb.ParallelCalls.OnFailure;
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
import java.util.stream.IntStream;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The counter store on one DynamoDB table with a single string partition key {@code pk}:
 * <ul>
 *   <li>{@code hour#<n>} and, with N counter shards, {@code hour#<n>#<s>} for s in 1..N-1: the hour's counter
 *   items, attributes {@code unique_users}, {@code clicks}, {@code impressions}. A write goes to one shard at
 *   random; a read sums all N. Shard 0 keeps the unsharded key, so data written with N = 1 stays readable, and
 *   holds the hour's {@link ShardCeiling}, so a reader with fewer shards than a writer still reads them all.</li>
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
    /** Conditional puts a batch runs at once. */
    static final int MARKER_WRITERS = 8;
    /** Counter updates a batch runs at once: with at most {@link RequestValidator#MAX_BATCH_HOURS} hours, 3 rounds. */
    static final int COUNTER_WRITERS = 16;
    /**
     * A batch's store work ends within this, inside the ingest function's 28 s timeout (itself inside API
     * Gateway's 29 s): a Lambda timeout would leave created markers uncredited, their users uncounted for good.
     */
    static final Duration BATCH_STORE_BUDGET = Duration.ofSeconds(25);
    /**
     * A batch stops starting marker puts after this long, then credits every user it created and answers 503.
     * What is left of the budget covers the last puts under way and every counter update, each call at most
     * {@link DynamoDbClients#CALL_TIMEOUT}: 25 s - 2 s x (1 + ceil(48 / 16)) = 17 s.
     */
    static final Duration BATCH_MARKER_DEADLINE = BATCH_STORE_BUDGET.minus(DynamoDbClients.CALL_TIMEOUT.multipliedBy(
            1 + Math.ceilDiv(RequestValidator.MAX_BATCH_HOURS, COUNTER_WRITERS)));
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
    private final ShardPicker picker = new ShardPicker();
    private final ShardCeiling ceiling;
    private final CounterReads reads;

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
        this.ceiling = new ShardCeiling(shards, picker);
        this.reads = new CounterReads(client, tableName);
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
        return addEach(counterValues(delta));
    }

    /** {@code ADD a :a, b :b} for each placeholder {@code :a}, {@code :b}. */
    private static String addEach(Map<String, AttributeValue> values) {
        StringJoiner update = new StringJoiner(", ", "ADD ", "");
        values.keySet().forEach(placeholder -> update.add(placeholder.substring(1) + " " + placeholder));
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
     * One conditional put per user-hour not known to exist, then one counter update per hour touched. If a put
     * fails or the puts pass {@link #BATCH_MARKER_DEADLINE}, only the users whose markers were created are
     * credited before the 503, so a resend of the same batch (which finds those markers) counts every event once
     * and no user twice. Every hour's update is tried even after one fails: each credits its own created users.
     */
    @Override
    public long recordBatch(List<AnalyticsEvent> events) {
        Map<Hour, Tally> tallies = new LinkedHashMap<>();
        for (AnalyticsEvent event : events) {
            tallies.computeIfAbsent(event.hour(), hour -> new Tally()).add(event);
        }
        if (tallies.size() > RequestValidator.MAX_BATCH_HOURS) {
            // The validator rejects these; more hours would not be credited within the budget.
            throw new IllegalArgumentException("batch spans " + tallies.size() + " hours");
        }
        List<Marker> unknown = new ArrayList<>();
        tallies.forEach((hour, tally) -> tally.users.stream()
                .filter(user -> !knownMarkers.contains(hour, user))
                .forEach(user -> unknown.add(new Marker(hour, user))));
        Map<Hour, Long> created = new ConcurrentHashMap<>();
        RuntimeException failure = ParallelCalls.run(unknown, MARKER_WRITERS, clock,
                clock.millis() + BATCH_MARKER_DEADLINE.toMillis(), OnFailure.STOP, marker -> {
                    if (insertMarker(marker)) {
                        created.merge(marker.hour, 1L, Long::sum);
                    }
                    knownMarkers.add(marker.hour, marker.userId);
                });
        Map<Hour, HourCounts> deltas = new LinkedHashMap<>();
        if (failure == null) {
            tallies.forEach((hour, tally) ->
                    deltas.put(hour, new HourCounts(created.getOrDefault(hour, 0L), tally.clicks, tally.impressions)));
        } else {
            created.forEach((hour, users) -> deltas.put(hour, new HourCounts(users, 0, 0)));
        }
        RuntimeException counterFailure = ParallelCalls.run(List.copyOf(deltas.entrySet()), COUNTER_WRITERS, clock,
                Long.MAX_VALUE, OnFailure.CONTINUE, delta -> addToCounter(delta.getKey(), delta.getValue()));
        failure = failure == null ? counterFailure : failure;
        if (failure != null) {
            throw failure instanceof SdkException e ? new StoreUnavailableException("marker insert failed", e) : failure;
        }
        return created.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public Duration markerRetention() {
        return markerRetention;
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
        ShardCeiling.Write write = ceiling.write(hour);
        Map<String, AttributeValue> values = counterValues(delta);
        if (write.announces()) {
            values.put(ShardCeiling.PLACEHOLDER, ceiling.announcement());
        }
        try {
            client.updateItem(b -> b.tableName(tableName)
                    .key(Map.of(KEY, AttributeValue.fromS(counterKey(hour, write.shard()))))
                    .updateExpression(addEach(values))
                    .expressionAttributeValues(values));
        } catch (SdkException e) {
            throw new StoreUnavailableException("counter update failed", e);
        }
        ceiling.written(hour, write);
    }

    /** Shards [0, N) in one read; shards [N, ceiling) in a second one only when a writer with more shards wrote the hour. */
    @Override
    public HourCounts countsFor(Hour hour) {
        List<Map<String, AttributeValue>> items = reads.items(counterKeys(hour, 0, shards));
        int most = items.stream().filter(item -> counterKey(hour).equals(item.get(KEY).s()))
                .mapToInt(ShardCeiling::of).findFirst().orElse(0);
        if (most > shards) {
            items = Stream.concat(items.stream(), reads.items(counterKeys(hour, shards, most)).stream()).toList();
        }
        return sum(items);
    }

    private static List<String> counterKeys(Hour hour, int from, int to) {
        return IntStream.range(from, to).mapToObj(shard -> counterKey(hour, shard)).toList();
    }

    /** A container restored from a SnapStart snapshot takes its own shard sequence, not the snapshot's. */
    @Override
    public void renewAfterRestore() {
        picker.reseed();
    }

    /** record's two requests on the priming key, each with a condition that refuses it (the ingest role can't read). */
    @Override
    public void primeRecord() {
        Map<String, AttributeValue> key = Map.of(KEY, AttributeValue.fromS(PRIMING_KEY));
        Map<String, AttributeValue> values = counterValues(new HourCounts(1, 1, 0));
        values.put(ShardCeiling.PLACEHOLDER, ceiling.announcement());
        refused(() -> client.putItem(b -> b.tableName(tableName).item(key).conditionExpression(NEVER)));
        refused(() -> client.updateItem(b -> b.tableName(tableName).key(key)
                .updateExpression(addEach(values))
                .expressionAttributeValues(values)
                .conditionExpression(NEVER)));
    }

    @Override
    public void primeRead() {
        sum(reads.items(List.of(PRIMING_KEY)));
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

    private static HourCounts sum(List<Map<String, AttributeValue>> items) {
        HourCounts total = HourCounts.EMPTY;
        for (Map<String, AttributeValue> item : items) {
            total = total.plus(new HourCounts(number(item, UNIQUE_USERS), number(item, CLICKS), number(item, IMPRESSIONS)));
        }
        return total;
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
