package com.hourlyanalytics.it.http;

import com.hourlyanalytics.model.Partner;
import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.it.fixture.LocalRunnerFixture;
import com.hourlyanalytics.it.fixture.SoloClasses;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import com.hourlyanalytics.testing.TestStores;
import com.hourlyanalytics.testing.RecordingInterceptor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * POST /analytics/batch and late-event rejection over HTTP, through a runner with 4 counter shards and 500-day
 * marker retention. What each answer did to the store is read from the table itself, in either runner mode;
 * in-process, the exact store calls are asserted too (in containers the functions' own clients make them).
 */
@Tag(SoloClasses.TAG)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BatchApiIT {

    private static final String TABLE = "batch-api";
    private static final int RETENTION_DAYS = 500;
    private static final RecordingInterceptor sent = new RecordingInterceptor();
    @RegisterExtension
    final LocalRunnerFixture runner = LocalRunnerFixture.in(mode())
            .withEnvironment(Map.of(StoreSettings.TABLE_NAME, TABLE, StoreSettings.COUNTER_SHARDS, "4",
                    StoreSettings.MARKER_RETENTION_DAYS, Integer.toString(RETENTION_DAYS)))
            .withStoreInterceptors(mode() == LocalRunner.Mode.IN_PROCESS ? List.of(sent) : List.of())
            .withContainers(2);

    /** Where the handlers run; a subclass overrides it to run every test here in the other mode. */
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.IN_PROCESS;
    }

    /** Every item of the table by key, read consistently: what "changes nothing" compares. */
    private Map<String, Map<String, AttributeValue>> tableItems() {
        Map<String, Map<String, AttributeValue>> items = new HashMap<>();
        runner.store().scanPaginator(scan -> scan.tableName(TABLE).consistentRead(true)).items()
                .forEach(item -> items.put(item.get(TableLayout.KEY).s(), item));
        return items;
    }

    /** The store calls since {@code sent.clear()}, checked in-process, where the runner's own client makes them. */
    private void assertStoreCalls(Consumer<RecordingInterceptor> check) {
        if (mode() == LocalRunner.Mode.IN_PROCESS) {
            check.accept(sent);
        }
    }

    /** A timestamp inside an hour no other test uses, a few hours ago (inside the retention). */
    private long freshHour() {
        return runner.freshHour() + 1_000;
    }

    private HttpResponse<String> postBatch(String body) {
        return runner.api().send("POST", "/analytics/batch", body);
    }

    @Test
    void postBatch_badLine_answers400NamingItAndChangesNothing() {
        long h = freshHour();
        runner.api().post(h, "seen", "click");
        String before = runner.api().counts(h);
        Map<String, Map<String, AttributeValue>> items = tableItems();
        sent.clear();

        HttpResponse<String> response = postBatch(h + ",a,click\n" + h + ",b,impression\n" + h + ",c,clicks\n" + h + ",d,click\n");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("line 3: event must be 'click' or 'impression'\n");
        assertStoreCalls(calls -> assertThat(calls.count()).isZero());
        assertThat(tableItems()).isEqualTo(items);
        assertThat(runner.api().counts(h)).isEqualTo(before);
    }

    @Test
    void postBatch_bodyNotUtf8_answers400AndChangesNothing() {
        long h = freshHour();
        byte[] latin1 = (h + ",Zo\u00eb,click\n").getBytes(StandardCharsets.ISO_8859_1);
        Map<String, Map<String, AttributeValue>> items = tableItems();
        sent.clear();

        HttpResponse<String> response = runner.api().send("POST", "/analytics/batch", latin1);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("request body is not valid UTF-8\n");
        assertStoreCalls(calls -> assertThat(calls.count()).isZero());
        assertThat(tableItems()).isEqualTo(items);
        assertThat(runner.api().counts(h)).isEqualTo("0,0,0");
    }

    @Test
    void postBatch_bodyOverOneMebibyte_answers400AndChangesNothing() {
        long h = freshHour();
        String line = h + ",u,click\n";
        String body = line.repeat((1 << 20) / line.length() + 1);
        Map<String, Map<String, AttributeValue>> items = tableItems();
        sent.clear();

        HttpResponse<String> response = postBatch(body);

        // The function's own limit, as deployed: API Gateway and Lambda pass bodies this size.
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("request body is larger than 1048576 bytes\n");
        assertStoreCalls(calls -> assertThat(calls.count()).isZero());
        assertThat(tableItems()).isEqualTo(items);
        assertThat(runner.api().counts(h)).isEqualTo("0,0,0");
    }

    @Test
    void postBatch_answers204AndIsReadByTheNextGet() {
        long h = freshHour();
        Hour hour = Hour.containing(h);
        Map<String, Map<String, AttributeValue>> before = tableItems();
        sent.clear();

        HttpResponse<String> response = postBatch(h + ",a,click\r\n" + (h + 1) + ",b,b,impression\r\n" + h + ",a,impression\r\n");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        // A read of the users' markers, the hour's width announced on shard 0, then one transaction: both users'
        // markers and the hour's one counter update (on a shard past 0), applied together or not at all.
        assertStoreCalls(calls -> {
            assertThat(calls.requests(SdkRequest.class)).extracting(request -> request.getClass().getSimpleName())
                    .containsExactly("BatchGetItemRequest", "UpdateItemRequest", "TransactWriteItemsRequest");
            assertThat(calls.requests(BatchGetItemRequest.class).getFirst().requestItems().values().iterator().next().keys())
                    .extracting(key -> key.get("pk").s())
                    .containsExactlyInAnyOrder(TestStores.markerKey(Partner.DEFAULT, hour, "a"), TestStores.markerKey(Partner.DEFAULT, hour, "b,b"));
            assertThat(calls.requests(UpdateItemRequest.class).getFirst().updateExpression()).isEqualTo("ADD writer_shards :writer_shards");
            TransactWriteItemsRequest transaction = calls.requests(TransactWriteItemsRequest.class).getFirst();
            assertThat(transaction.transactItems()).hasSize(3);
            assertThat(transaction.transactItems().subList(0, 2)).extracting(item -> item.put().item().get("pk").s())
                    .containsExactly(TestStores.markerKey(Partner.DEFAULT, hour, "a"), TestStores.markerKey(Partner.DEFAULT, hour, "b,b"));
            assertThat(transaction.transactItems().subList(0, 2))
                    .allSatisfy(item -> assertThat(item.put().conditionExpression()).isEqualTo("attribute_not_exists(pk)"));
            Update update = transaction.transactItems().get(2).update();
            assertThat(update.key().get("pk").s()).startsWith(TableLayout.counterKey(Partner.DEFAULT, hour) + "#");
            assertThat(update.updateExpression()).isEqualTo("ADD unique_users :unique_users, clicks :clicks, impressions :impressions");
        });
        Map<String, Map<String, AttributeValue>> added = new HashMap<>(tableItems());
        added.keySet().removeAll(before.keySet());
        // The markers, shard 0 announcing the runner's 4 shards to readers with fewer, and the one shard counted.
        assertThat(added).hasSize(4).containsKeys(TestStores.markerKey(Partner.DEFAULT, hour, "a"),
                TestStores.markerKey(Partner.DEFAULT, hour, "b,b"), TableLayout.counterKey(Partner.DEFAULT, hour));
        assertThat(added.get(TableLayout.counterKey(Partner.DEFAULT, hour))).containsOnlyKeys("pk", "writer_shards")
                .containsEntry("writer_shards", AttributeValue.fromNs(List.of("4")));
        assertThat(added).hasEntrySatisfying(IntStream.range(1, 4).mapToObj(s -> TableLayout.counterKey(Partner.DEFAULT, hour, s))
                .filter(added::containsKey).findFirst().orElseThrow(), shard -> assertThat(shard)
                .extractingByKeys("unique_users", "clicks", "impressions")
                .containsExactly(AttributeValue.fromN("2"), AttributeValue.fromN("1"), AttributeValue.fromN("2")));
        assertThat(runner.api().counts(h)).isEqualTo("2,1,2");
    }

    @Test
    void postBatch_concurrentWithSinglePosts_countsExact() throws Exception {
        long first = freshHour();
        long second = freshHour();
        Map<Long, Set<String>> users = new HashMap<>(Map.of(first, new HashSet<>(), second, new HashSet<>()));
        Map<Long, int[]> events = new HashMap<>(Map.of(first, new int[2], second, new int[2]));
        List<Runnable> clients = new ArrayList<>();
        for (int c = 0; c < 6; c++) {
            boolean batches = c % 2 == 0;
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < 120; i++) {
                long h = i % 4 == 0 ? second : first;
                String user = "user," + ((c * 13 + i) % 40);
                String type = i % 3 == 0 ? "click" : "impression";
                users.get(h).add(user);
                events.get(h)[type.equals("click") ? 0 : 1]++;
                lines.add(h + "," + user + "," + type);
            }
            clients.add(batches ? () -> {
                for (int from = 0; from < lines.size(); from += 30) {
                    assertThat(postBatch(String.join("\n", lines.subList(from, from + 30))).statusCode()).isEqualTo(204);
                }
            } : () -> lines.forEach(line -> {
                String[] fields = line.split(",");
                assertThat(runner.api().post(Long.parseLong(fields[0]), "user%2C" + fields[2], fields[3]).statusCode()).isEqualTo(204);
            }));
        }

        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        try {
            List<Future<?>> done = clients.stream().<Future<?>>map(pool::submit).toList();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        for (long h : List.of(first, second)) {
            assertThat(runner.api().counts(h)).isEqualTo(users.get(h).size() + "," + events.get(h)[0] + "," + events.get(h)[1]);
        }
    }

    @Test
    void batchResource_otherMethods_answer405AllowPost() {
        HttpResponse<String> response = runner.api().send("GET", "/analytics/batch");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(runner.api().send("PUT", "/analytics/batch", "1,u,click").statusCode()).isEqualTo(405);
    }

    @Test
    void post_hourEndedMoreThanRetentionAgo_answers400AndCountsNothing() {
        long late = System.currentTimeMillis() - Duration.ofDays(RETENTION_DAYS + 2).toMillis();
        Map<String, Map<String, AttributeValue>> items = tableItems();
        sent.clear();

        HttpResponse<String> single = runner.api().post(late, "u", "click");
        HttpResponse<String> batch = postBatch(freshHour() + ",u,click\n" + late + ",u,click\n");

        assertThat(single.statusCode()).isEqualTo(400);
        assertThat(single.body()).isEqualTo("query parameter 'timestamp' is in an hour that ended more than " + RETENTION_DAYS
                + " days ago; events that old can no longer be counted exactly\n");
        assertThat(batch.statusCode()).isEqualTo(400);
        assertThat(batch.body()).startsWith("line 2: timestamp is in an hour that ended more than " + RETENTION_DAYS + " days ago");
        assertStoreCalls(calls -> assertThat(calls.count()).isZero());
        assertThat(tableItems()).isEqualTo(items);
        assertThat(runner.api().counts(late)).isEqualTo("0,0,0");
    }

    /**
     * Only the hour limit stands between a batch of as many hours as lines (all inside the retention) and as many
     * counter updates, one per hour.
     */
    @Test
    void postBatch_maxLinesInDistinctHours_answers400NamingTheHourLimit_andTheSameLinesIn48HoursCountExact() {
        // Hours from 1,000 back: inside the 500-day retention, apart from the other tests' hours.
        Hour first = Hour.containing(System.currentTimeMillis()).plus(-1_000);
        StringBuilder hourPerLine = new StringBuilder();
        StringBuilder fortyEightHours = new StringBuilder();
        Map<Long, Set<String>> users = new HashMap<>();
        Map<Long, Integer> clicks = new HashMap<>();
        for (int i = 0; i < RequestValidator.MAX_BATCH_LINES; i++) {
            hourPerLine.append(first.plus(-i).startMillis() + 1).append(",u").append(i).append(",click\n");
            long t = first.plus(-(i % CounterStore.MAX_BATCH_HOURS)).startMillis() + 1;
            fortyEightHours.append(t).append(",u").append(i % 50).append(",click\n");
            users.computeIfAbsent(t, k -> new HashSet<>()).add("u" + i % 50);
            clicks.merge(t, 1, Integer::sum);
        }
        Map<String, Map<String, AttributeValue>> items = tableItems();
        sent.clear();

        HttpResponse<String> rejected = postBatch(hourPerLine.toString());

        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.body()).isEqualTo("request body spans more than 48 hours; send at most 48 distinct hours per batch\n");
        assertStoreCalls(calls -> assertThat(calls.count()).isZero());
        assertThat(tableItems()).isEqualTo(items);

        assertThat(postBatch(fortyEightHours.toString()).statusCode()).isEqualTo(204);

        // Each hour announced once, then its new users and counts in one transaction; nothing needed a plain update.
        assertStoreCalls(calls -> {
            assertThat(calls.requests(TransactWriteItemsRequest.class).stream()
                    .map(transaction -> transaction.transactItems().getFirst().put().item().get("pk").s()).distinct())
                    .hasSize(CounterStore.MAX_BATCH_HOURS);
            assertThat(calls.requests(UpdateItemRequest.class)).hasSize(CounterStore.MAX_BATCH_HOURS) // each hour's announcement
                    .allSatisfy(update -> assertThat(update.updateExpression()).isEqualTo("ADD writer_shards :writer_shards"))
                    .extracting(update -> update.key().get("pk").s()).doesNotHaveDuplicates();
        });
        assertThat(users).hasSize(CounterStore.MAX_BATCH_HOURS).allSatisfy((t, hourUsers) ->
                assertThat(runner.api().counts(t)).isEqualTo(hourUsers.size() + "," + clicks.get(t) + ",0"));
        assertThat(runner.api().counts(first.plus(-CounterStore.MAX_BATCH_HOURS).startMillis())).isEqualTo("0,0,0");
    }
}
