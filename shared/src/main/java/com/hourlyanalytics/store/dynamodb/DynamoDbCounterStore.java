package com.hourlyanalytics.store.dynamodb;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.EventTooOldException;
import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * The counter store on one DynamoDB table (its items: {@link TableLayout}). Records events with the writes of
 * {@link EventWrites}, all or nothing each; reads an hour as the sum of its counter shards ({@link CounterReads}).
 */
public final class DynamoDbCounterStore implements CounterStore {

    /**
     * A batch's store work ends within this, inside the ingest function's 28 s timeout (itself inside API
     * Gateway's 29 s), so the function always answers.
     */
    static final Duration BATCH_STORE_BUDGET = Duration.ofSeconds(25);
    /** Store calls a batch runs at once. */
    static final int WRITERS = 8;
    /**
     * The longest a write started can still run: its transaction, then at most a plain add, within
     * {@link EventWrites#MAX_ATTEMPTS} calls of {@link DynamoDbClients#CALL_TIMEOUT}.
     */
    static final Duration WRITE_TAIL = DynamoDbClients.CALL_TIMEOUT.multipliedBy(EventWrites.MAX_ATTEMPTS);
    /** No write, nor a group's retry, starts after this; the writes under way end within the budget: 25 s - 4 x 2 s = 17 s. */
    static final Duration DEADLINE = BATCH_STORE_BUDGET.minus(WRITE_TAIL);

    private final DynamoDbClient client;
    private final String tableName;
    private final int shards;
    private final Duration markerRetention;
    private final RetentionFloor retention;
    private final Clock clock;
    private final ShardPicker picker = new ShardPicker();
    private final CounterWrites counters;
    private final EventWrites writes;
    private final CounterReads reads;

    /** @param clock tells when a cached marker's hour is past the retention, when an event id expires and when a batch passed its deadline */
    public DynamoDbCounterStore(DynamoDbClient client, StoreSettings settings, Clock clock) {
        this.client = client;
        this.tableName = settings.tableName();
        this.shards = settings.counterShards();
        this.markerRetention = settings.markerRetention();
        this.retention = new RetentionFloor(client, tableName, markerRetention);
        this.clock = clock;
        this.counters = new CounterWrites(client, tableName, new ShardCeiling(shards, picker));
        this.writes = new EventWrites(client, settings,
                new KnownMarkers(settings.markerCacheEntries(), settings.markerRetention(), clock), counters, clock);
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
     * Each hour's groups as transactions and its plain counts as one update, {@link #WRITERS} at once, none started
     * after the {@link #DEADLINE} or later than {@link #WRITE_TAIL} before the answer is due. A batch of several events first reads its event ids, so that one reused for
     * another event rejects it before anything is written (a single event's transaction checks its own). When it
     * throws {@link StoreUnavailableException}, each group was applied whole or not at all: a resend with the same
     * event ids counts every event once.
     */
    @Override
    public long recordBatch(Partner partner, List<AnalyticsEvent> events, long answerByMillis) {
        // The time spent before this call (a restore, parsing a large body) counts against the caller's answer.
        long deadline = Math.min(clock.millis() + DEADLINE.toMillis(), answerByMillis - WRITE_TAIL.toMillis());
        List<AnalyticsEvent> uncounted = events.size() > 1 ? writes.notYetCounted(partner, events, reads) : events;
        Map<Hour, List<AnalyticsEvent>> byHour = new LinkedHashMap<>();
        uncounted.forEach(event -> byHour.computeIfAbsent(event.hour(), hour -> new ArrayList<>()).add(event));
        if (byHour.size() > MAX_BATCH_HOURS) {
            // The validator rejects these; more hours would not be written within the budget.
            throw new IllegalArgumentException("batch spans " + byHour.size() + " hours");
        }
        refuseOlderThanTheFloor(byHour.keySet());
        List<LongSupplier> tasks = new ArrayList<>();
        byHour.forEach((hour, hourEvents) -> {
            EventWrites.Plan plan = writes.plan(partner, hour, hourEvents);
            plan.groups().forEach(group -> tasks.add(() -> writes.commit(partner, group, deadline)));
            if (!plan.plain().equals(HourCounts.EMPTY)) {
                tasks.add(() -> {
                    counters.add(partner, hour, plan.plain());
                    return 0;
                });
            }
        });
        AtomicLong newUsers = new AtomicLong();
        RuntimeException failure = ParallelCalls.run(tasks, WRITERS, clock, deadline,
                task -> newUsers.addAndGet(task.getAsLong()));
        if (failure != null) {
            throw failure instanceof SdkException e ? new StoreUnavailableException("write failed", e) : failure;
        }
        return newUsers.get();
    }

    /**
     * Hours the validator let through under a raised retention whose markers may expire sooner (see
     * {@link RetentionFloor}). A writer with a retention records it before its first marker; the floor is read only
     * for an hour that ended more than a day ago, since no retention is shorter: the current hour never pays.
     */
    private void refuseOlderThanTheFloor(Set<Hour> hours) {
        long now = clock.millis();
        long oldest = hours.stream().mapToLong(hour -> now - hour.plus(1).startMillis()).max().orElse(0);
        if (markerRetention.isZero() && oldest <= RetentionFloor.SHORTEST.toMillis()) {
            return;
        }
        Duration floor = retention.effective();
        if (!floor.isZero() && oldest > floor.toMillis()) {
            throw new EventTooOldException(floor);
        }
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

    /**
     * A container restored from a SnapStart snapshot takes its own shard sequence, not the snapshot's, and learns
     * the retention floor as the table has it now.
     */
    @Override
    public void renewAfterRestore() {
        picker.reseed();
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
