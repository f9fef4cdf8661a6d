package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.store.dynamodb.ParallelCalls.OnFailure;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * The counter store on one DynamoDB table (its items: {@link TableLayout}). Records a batch as marker puts
 * ({@link MarkerWrites}) then one counter update per hour ({@link CounterWrites}); reads an hour as the sum of its
 * counter shards ({@link CounterReads}).
 */
public final class DynamoDbCounterStore implements CounterStore {

    /**
     * A batch's store work ends within this, inside the ingest function's 28 s timeout (itself inside API
     * Gateway's 29 s): a Lambda timeout would leave created markers uncredited, their users uncounted for good.
     */
    static final Duration BATCH_STORE_BUDGET = Duration.ofSeconds(25);

    private final DynamoDbClient client;
    private final String tableName;
    private final int shards;
    private final Duration markerRetention;
    private final Clock clock;
    private final ShardPicker picker = new ShardPicker();
    private final MarkerWrites markers;
    private final CounterWrites counters;
    private final CounterReads reads;

    /** @param clock tells when a cached marker's hour is past the retention, and when a batch passed its deadline */
    public DynamoDbCounterStore(DynamoDbClient client, StoreSettings settings, Clock clock) {
        this.client = client;
        this.tableName = settings.tableName();
        this.shards = settings.counterShards();
        this.markerRetention = settings.markerRetention();
        this.clock = clock;
        this.markers = new MarkerWrites(client, settings, clock);
        this.counters = new CounterWrites(client, tableName, new ShardCeiling(shards, picker));
        this.reads = new CounterReads(client, tableName);
    }

    /** The composition roots' store: settings from the environment, one client built at init. */
    public static DynamoDbCounterStore fromEnvironment(Map<String, String> environment) {
        StoreSettings settings = StoreSettings.fromEnvironment(environment);
        return new DynamoDbCounterStore(DynamoDbClients.create(settings, List.of()), settings, Clock.systemUTC());
    }

    @Override
    public boolean record(Partner partner, AnalyticsEvent event) {
        return recordBatch(partner, List.of(event)) == 1;
    }

    /**
     * One conditional put per user-hour not known to exist, then one counter update per hour touched. If a put
     * fails or the puts pass {@link MarkerWrites#DEADLINE}, only the users whose markers were created are
     * credited before the 503, so a resend of the same batch (which finds those markers) counts every event once
     * and no user twice. Every hour's update is tried even after one fails: each credits its own created users.
     */
    @Override
    public long recordBatch(Partner partner, List<AnalyticsEvent> events) {
        Map<Hour, Tally> tallies = new LinkedHashMap<>();
        for (AnalyticsEvent event : events) {
            tallies.computeIfAbsent(event.hour(), hour -> new Tally()).add(event);
        }
        if (tallies.size() > MAX_BATCH_HOURS) {
            // The validator rejects these; more hours would not be credited within the budget.
            throw new IllegalArgumentException("batch spans " + tallies.size() + " hours");
        }
        Map<Hour, Set<String>> users = new LinkedHashMap<>();
        tallies.forEach((hour, tally) -> users.put(hour, tally.users));
        MarkerWrites.Outcome written = markers.write(partner, users);
        Map<Hour, Long> created = written.created();
        Map<Hour, HourCounts> deltas = new LinkedHashMap<>();
        if (written.failure() == null) {
            tallies.forEach((hour, tally) ->
                    deltas.put(hour, new HourCounts(created.getOrDefault(hour, 0L), tally.clicks, tally.impressions)));
        } else {
            created.forEach((hour, newUsers) -> deltas.put(hour, new HourCounts(newUsers, 0, 0)));
        }
        RuntimeException counterFailure = ParallelCalls.run(List.copyOf(deltas.entrySet()), CounterWrites.WRITERS, clock,
                Long.MAX_VALUE, OnFailure.CONTINUE, delta -> counters.add(partner, delta.getKey(), delta.getValue()));
        RuntimeException failure = written.failure() == null ? counterFailure : written.failure();
        if (failure != null) {
            throw failure instanceof SdkException e ? new StoreUnavailableException("marker insert failed", e) : failure;
        }
        return created.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public Duration markerRetention() {
        return markerRetention;
    }

    /** Shards [0, N) in one read; shards [N, ceiling) in a second one only when a writer with more shards wrote the hour. */
    @Override
    public HourCounts countsFor(Partner partner, Hour hour) {
        List<Map<String, AttributeValue>> items = reads.items(TableLayout.counterKeys(partner, hour, 0, shards));
        String shardZero = TableLayout.counterKey(partner, hour);
        int most = items.stream().filter(item -> shardZero.equals(item.get(TableLayout.KEY).s()))
                .mapToInt(ShardCeiling::of).findFirst().orElse(0);
        if (most > shards) {
            items = Stream.concat(items.stream(), reads.items(TableLayout.counterKeys(partner, hour, shards, most)).stream()).toList();
        }
        return sum(items);
    }

    /** A container restored from a SnapStart snapshot takes its own shard sequence, not the snapshot's. */
    @Override
    public void renewAfterRestore() {
        picker.reseed();
    }

    /** record's two requests on the priming key, each with a condition that refuses it (the ingest role can't read). */
    @Override
    public void primeRecord() {
        Map<String, AttributeValue> key = Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.PRIMING_KEY));
        refused(() -> client.putItem(b -> b.tableName(tableName).item(key).conditionExpression(CounterWrites.NEVER)));
        refused(() -> counters.primeRefused(key));
    }

    @Override
    public void primeRead() {
        sum(reads.items(List.of(TableLayout.PRIMING_KEY)));
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
            total = total.plus(new HourCounts(number(item, TableLayout.UNIQUE_USERS), number(item, TableLayout.CLICKS),
                    number(item, TableLayout.IMPRESSIONS)));
        }
        return total;
    }

    private static long number(Map<String, AttributeValue> item, String attribute) {
        AttributeValue value = item.get(attribute);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
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
