package com.hourlyanalytics.it.store;

import com.hourlyanalytics.model.Partner;
import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import com.hourlyanalytics.testing.ExactCounts;
import com.hourlyanalytics.testing.RecordingInterceptor;
import com.hourlyanalytics.testing.TestStores;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * COUNTER_SHARDS changing under live traffic, in any order of the two functions' deploys and rollbacks: each
 * store instance is one container of a function version with its own N, all on one real dynalite table.
 */
class ShardCountChangeStoreIT {

    private static final Hour HOUR = Hour.containing(Instant.parse("2026-11-28T10:30:00Z"));
    private static final int[] READER_SHARDS = {1, 2, 3, 4, 8, 12, 16, 32};

    @RegisterExtension
    static final RecordedEmulator emulator = new RecordedEmulator();
    private static final RecordingInterceptor sent = emulator.sent();

    private static DynamoDbCounterStore container(int shards) {
        return new DynamoDbCounterStore(emulator.client(), TestStores.settings(Emulator.settings(emulator.dynalite(), emulator.table()))
                .counterShards(shards).markerCacheEntries(1_000).build(), Clock.systemUTC());
    }

    private static AnalyticsEvent event(Hour hour, String user, int i) {
        return new AnalyticsEvent(hour.startMillis() + i, user, i % 3 == 0 ? EventType.IMPRESSION : EventType.CLICK);
    }

    /** A fresh query container of every shard count reads the hour. */
    private static void everyReaderCounts(Hour hour, HourCounts expected) {
        for (int shards : READER_SHARDS) {
            assertThat(container(shards).countsFor(Partner.DEFAULT, hour)).as("reader with %d shards", shards).isEqualTo(expected);
        }
    }

    private static Map<String, AttributeValue> item(String key) {
        return emulator.client().getItem(b -> b.tableName(emulator.table()).consistentRead(true)
                .key(Map.of(TableLayout.KEY, AttributeValue.fromS(key)))).item();
    }

    @Test
    void writersWith8Then16Then4Shards_readersOfEveryShardCount_countExactThroughout() {
        List<AnalyticsEvent> written = new ArrayList<>();
        for (int writerShards : new int[]{8, 16, 4}) {
            List<DynamoDbCounterStore> containers = List.of(container(writerShards), container(writerShards));
            for (int i = 0; i < 240; i++) {
                AnalyticsEvent event = event(HOUR, "u" + (i % 50), i);
                containers.get(i % 2).record(Partner.DEFAULT, event);
                written.add(event);
                if (i % 60 == 59) {
                    everyReaderCounts(HOUR, ExactCounts.of(written).get(HOUR));
                }
            }
        }
        // Without the ceiling, readers with fewer than 16 shards would miss these: the N = 16 writers filled them.
        assertThat(IntStream.range(8, 16).mapToObj(s -> item(TableLayout.counterKey(Partner.DEFAULT, HOUR, s))))
                .allSatisfy(shard -> assertThat(shard).containsKey(TableLayout.CLICKS));
        assertThat(item(TableLayout.counterKey(Partner.DEFAULT, HOUR)).get("writer_shards").ns())
                .containsExactlyInAnyOrder("4", "8", "16");
    }

    @Test
    void recordBatch_writerWithMoreShardsThanTheReader_readerCountsEveryHourExact() {
        Hour[] hours = {HOUR.plus(-2), HOUR.plus(-1), HOUR};
        List<DynamoDbCounterStore> writers = List.of(container(16), container(32));
        List<AnalyticsEvent> written = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            List<AnalyticsEvent> batch = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                batch.add(event(hours[i % 3], "u" + (round * 7 + i) % 40, i));
            }
            writers.get(round % 2).recordBatch(Partner.DEFAULT, batch);
            written.addAll(batch);
        }

        Map<Hour, HourCounts> expected = ExactCounts.of(written);
        for (Hour hour : hours) {
            everyReaderCounts(hour, expected.get(hour));
        }
    }

    @Test
    void record_firstWriteOfAContainerIntoAnHour_announcesItsWidthOnShardZeroFirst_transactionsNeverOnShardZero() {
        DynamoDbCounterStore writer = container(16);
        writer.record(Partner.DEFAULT, new AnalyticsEvent(HOUR.startMillis(), "u1", EventType.CLICK));
        writer.record(Partner.DEFAULT, new AnalyticsEvent(HOUR.startMillis(), "u1", EventType.CLICK));

        // The announcement, then the new user's update in its marker's transaction, then the repeat as a plain UpdateItem.
        assertThat(sent.requests(TransactWriteItemsRequest.class)).hasSize(1);
        assertThat(sent.requests(UpdateItemRequest.class)).hasSize(2);
        List<Update> updates = sent.updates();
        assertThat(updates).hasSize(3);
        Update announcing = updates.get(0);
        assertThat(announcing.key().get("pk").s()).isEqualTo("hour#" + HOUR.index());
        assertThat(announcing.updateExpression()).isEqualTo("ADD writer_shards :writer_shards");
        assertThat(announcing.conditionExpression()).isNull();
        assertThat(announcing.expressionAttributeValues()).containsOnlyKeys(":writer_shards")
                .containsEntry(":writer_shards", AttributeValue.fromNs(List.of("16")));
        assertThat(updates.get(1).key().get("pk").s()).startsWith("hour#" + HOUR.index() + "#");
        assertThat(updates.get(1).updateExpression()).isEqualTo("ADD unique_users :unique_users, clicks :clicks");
        assertThat(updates.get(2).updateExpression()).isEqualTo("ADD clicks :clicks");
        assertThat(updates.get(2).expressionAttributeValues()).doesNotContainKey(":writer_shards");
    }

    @Test
    void record_oneShard_neverAnnounces() {
        container(1).record(Partner.DEFAULT, new AnalyticsEvent(HOUR.startMillis(), "u1", EventType.IMPRESSION));

        assertThat(sent.updates()).singleElement()
                .satisfies(update -> assertThat(update.updateExpression()).isEqualTo("ADD unique_users :unique_users, impressions :impressions"));
    }

    @Test
    void countsFor_writerUsedMoreShards_readsTheRestInASecondConsistentBatchGet() {
        container(16).record(Partner.DEFAULT, new AnalyticsEvent(HOUR.startMillis(), "u1", EventType.CLICK));
        sent.clear();

        assertThat(container(4).countsFor(Partner.DEFAULT, HOUR)).isEqualTo(new HourCounts(1, 1, 0));

        List<BatchGetItemRequest> reads = sent.requests(BatchGetItemRequest.class);
        assertThat(reads).hasSize(2).allSatisfy(read -> assertThat(read.requestItems().get(emulator.table()).consistentRead()).isTrue());
        assertThat(keys(reads.get(0))).isEqualTo(shardKeys(0, 4));
        assertThat(keys(reads.get(1))).isEqualTo(shardKeys(4, 16));
        for (int readerShards : new int[]{16, 32}) {
            sent.clear();
            container(readerShards).countsFor(Partner.DEFAULT, HOUR);
            assertThat(sent.requests(BatchGetItemRequest.class)).singleElement()
                    .satisfies(read -> assertThat(keys(read)).isEqualTo(shardKeys(0, readerShards)));
        }
    }

    private static List<String> keys(BatchGetItemRequest read) {
        return read.requestItems().get(emulator.table()).keys().stream().map(key -> key.get("pk").s()).toList();
    }

    private static List<String> shardKeys(int from, int to) {
        return IntStream.range(from, to).mapToObj(s -> TableLayout.counterKey(Partner.DEFAULT, HOUR, s)).toList();
    }
}
