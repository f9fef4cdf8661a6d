package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The counter store on one DynamoDB table (its items: {@link TableLayout}). Records events through the
 * {@link EventRecorder}; reads an hour as the sum of its counter shards ({@link CounterReads}).
 */
public final class DynamoDbCounterStore implements CounterStore {

    private final DynamoDbClient client;
    private final String tableName;
    private final int shards;
    private final Duration markerRetention;
    private final RetentionFloor retention;
    private final Spread spread = new Spread();
    private final CounterWrites counters;
    private final CounterReads reads;
    private final EventRecorder recorder;

    /** @param clock tells when a cached marker's hour is past the retention, when an event id expires and when a batch passed its deadline */
    public DynamoDbCounterStore(DynamoDbClient client, StoreSettings settings, Clock clock) {
        this.client = client;
        this.tableName = settings.tableName();
        this.shards = settings.counterShards();
        this.markerRetention = settings.markerRetention();
        this.retention = new RetentionFloor(client, tableName, markerRetention);
        KnownMarkers known = new KnownMarkers(settings.markerCacheEntries(), settings.markerRetention(), clock);
        ConflictBackoff backoff = new ConflictBackoff(spread);
        this.counters = new CounterWrites(client, tableName, new CounterShards(shards, settings.counterShardLimit(), spread), backoff);
        this.reads = new CounterReads(client, tableName);
        VisitorKeys visitors = new VisitorKeys(client, settings, clock);
        this.recorder = new EventRecorder(known, new StoredItems(reads, visitors), counters,
                new GroupCommit(client, settings, visitors, counters, backoff, clock), retention, markerRetention, spread, clock);
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
     * A batch of several events first reads its event ids, so that one reused for another event rejects it before
     * anything is written (a single event's transaction checks its own), and the markers of users this container
     * does not know; then each hour's groups are written as transactions and its plain counts as one update,
     * {@link EventRecorder#WRITERS} at once, none started after the {@link EventRecorder#DEADLINE} or later than
     * {@link EventRecorder#WRITE_TAIL} before the answer is due. When it throws {@link StoreUnavailableException},
     * each group was applied whole or not at all: a resend with the same event ids counts every event once.
     */
    @Override
    public long recordBatch(Partner partner, List<AnalyticsEvent> events, long answerByMillis) {
        return recorder.record(partner, events, answerByMillis);
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
                .mapToInt(CounterShards::announced).findFirst().orElse(0);
        if (most > shards) {
            items = Stream.concat(items.stream(), reads.items(TableLayout.counterKeys(partner, hour, shards, most)).stream()).toList();
        }
        return sum(items);
    }

    /**
     * A container restored from a SnapStart snapshot takes its own shard sequence, not the snapshot's, and learns
     * the retention floor as the table has it now.
     */
    @Override
    public void renewAfterRestore() {
        spread.reseed();
        retention.forget();
    }

    /** record's requests on the priming key, each with a condition that refuses it. */
    @Override
    public void primeRecord() {
        Map<String, AttributeValue> key = Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.PRIMING_KEY));
        refused(() -> client.transactWriteItems(b -> b.transactItems(TransactWriteItem.builder()
                .conditionCheck(c -> c.tableName(tableName).key(key).conditionExpression(CounterWrites.NEVER)).build())));
        refused(() -> counters.primeRefused(key));
    }

    @Override
    public void primeRead() {
        sum(reads.items(List.of(TableLayout.PRIMING_KEY)));
    }

    private void refused(Runnable write) {
        try {
            write.run();
        } catch (ConditionalCheckFailedException | TransactionCanceledException expected) {
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
}
