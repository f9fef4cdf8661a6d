package com.hourlyanalytics.it.store;

import com.hourlyanalytics.model.PartnerKeys;
import com.hourlyanalytics.model.Partner;
import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.ingest.IngestHandler;
import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.observability.CapturedLines;
import com.hourlyanalytics.query.QueryHandler;
import com.hourlyanalytics.testing.RecordingInterceptor;
import com.hourlyanalytics.testing.TestStores;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** SnapStart priming against a real dynalite: it sends the requests it claims and leaves the table as it was. */
class SnapStartPrimingIT {

    private static final String NEVER = "attribute_exists(pk) AND attribute_not_exists(pk)";

    private static final RecordingInterceptor sent = new RecordingInterceptor();
    private static DynaliteProcess dynalite;
    private static DynamoDbClient client;
    private static String table;

    @BeforeAll
    static void startDynalite() {
        dynalite = Emulator.start();
        client = Emulator.client(dynalite, sent);
        table = Emulator.newTable(client);
    }

    @AfterAll
    static void stopDynalite() {
        client.close();
        dynalite.close();
    }

    @Test
    void primeRecord_sendsRecordsTwoWritesWithAConditionThatNeverHolds_andWritesNothing() {
        var store = TestStores.firstRelease(client, table);
        Map<String, String> before = items();
        sent.clear();

        store.primeRecord();
        store.primeRecord();

        List<SdkRequest> requests = sent.requests(SdkRequest.class);
        assertThat(requests).hasSize(4);
        assertThat(sent.requests(TransactWriteItemsRequest.class)).hasSize(2).allSatisfy(transaction ->
                assertThat(transaction.transactItems()).singleElement().satisfies(item -> {
                    assertThat(item.conditionCheck().key().get("pk").s()).isEqualTo("priming#");
                    assertThat(item.conditionCheck().conditionExpression()).isEqualTo(NEVER);
                }));
        assertThat(sent.requests(UpdateItemRequest.class)).hasSize(2).allSatisfy(update -> {
            assertThat(update.key().get("pk").s()).isEqualTo("priming#");
            assertThat(update.conditionExpression()).isEqualTo(NEVER);
            assertThat(update.updateExpression()).isEqualTo("ADD writer_shards :writer_shards");
        });
        assertThat(items()).isEqualTo(before);
    }

    @Test
    void primeRead_sendsOneConsistentReadOfThePrimingKey() {
        var store = TestStores.firstRelease(client, table);
        sent.clear();

        store.primeRead();

        assertThat(sent.requests(SdkRequest.class)).singleElement().isInstanceOfSatisfying(BatchGetItemRequest.class, get -> {
            KeysAndAttributes keys = get.requestItems().get(table);
            assertThat(keys.keys()).singleElement().satisfies(key -> assertThat(key.get("pk").s()).isEqualTo("priming#"));
            assertThat(keys.consistentRead()).isTrue();
        });
    }

    @Test
    void handlersBeforeCheckpoint_leaveCountsAndTableUnchanged() {
        var store = TestStores.firstRelease(client, table);
        Hour hour = Hour.containing(CapturedLines.NOW);
        store.record(Partner.DEFAULT, new AnalyticsEvent(CapturedLines.NOW.toEpochMilli(), "u-before", EventType.CLICK));
        Map<String, String> before = items();
        Clock clock = Clock.fixed(CapturedLines.NOW, ZoneOffset.UTC);
        var out = new CapturedLines();

        new IngestHandler(store, PartnerKeys.CLOSED, clock, out.observer(1)).beforeCheckpoint(null);
        new QueryHandler(store, PartnerKeys.CLOSED, clock, out.observer(1)).beforeCheckpoint(null);

        assertThat(items()).isEqualTo(before);
        assertThat(store.countsFor(Partner.DEFAULT, hour)).isEqualTo(new HourCounts(1, 1, 0));
        assertThat(out.lines()).isEmpty();
    }

    /** Every item of the table, key to its full attribute text. */
    private static Map<String, String> items() {
        var all = new TreeMap<String, String>();
        client.scanPaginator(b -> b.tableName(table).consistentRead(true)).items()
                .forEach(item -> all.put(item.get("pk").s(), item.toString()));
        return all;
    }
}
