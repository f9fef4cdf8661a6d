package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.testing.RecordingInterceptor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/** POST /analytics/batch and late-event rejection over HTTP, through a runner with 4 counter shards and 1-day marker retention. */
class BatchApiIT {

    /** Each test writes to its own recent hours (inside the retention) so tests stay independent in one runner. */
    private static final AtomicInteger HOURS_BACK = new AtomicInteger(1);
    private static final RecordingInterceptor sent = new RecordingInterceptor();
    private static LocalRunner runner;
    private static HttpApi api;

    @BeforeAll
    static void start() throws Exception {
        runner = new LocalRunner(new LocalRunner.Options(0, Optional.empty(), ApiEvents.repoRoot(),
                Map.of(StoreSettings.COUNTER_SHARDS, "4", StoreSettings.MARKER_RETENTION_DAYS, "1"),
                LocalApiServer.Limits.DEFAULT, List.of(sent)));
        api = new HttpApi(runner.baseUri());
    }

    @AfterAll
    static void stop() {
        runner.close();
    }

    /** A timestamp inside an hour no other test uses, between 1 and 20 hours ago. */
    private static long freshHour() {
        return Hour.containing(System.currentTimeMillis()).plus(-HOURS_BACK.getAndIncrement()).startMillis() + 1_000;
    }

    private static HttpResponse<String> postBatch(String body) {
        return api.send("POST", "/analytics/batch", body);
    }

    @Test
    void postBatch_badLine_answers400NamingItAndChangesNothing() {
        long h = freshHour();
        api.post(h, "seen", "click");
        String before = api.counts(h);
        sent.clear();

        HttpResponse<String> response = postBatch(h + ",a,click\n" + h + ",b,impression\n" + h + ",c,clicks\n" + h + ",d,click\n");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("line 3: event must be 'click' or 'impression'\n");
        assertThat(sent.count()).isZero();
        assertThat(api.counts(h)).isEqualTo(before);
    }

    @Test
    void postBatch_bodyNotUtf8_answers400AndChangesNothing() {
        long h = freshHour();
        byte[] latin1 = (h + ",Zo\u00eb,click\n").getBytes(StandardCharsets.ISO_8859_1);
        sent.clear();

        HttpResponse<String> response = api.send("POST", "/analytics/batch", latin1);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).isEqualTo("request body is not valid UTF-8\n");
        assertThat(sent.count()).isZero();
        assertThat(api.counts(h)).isEqualTo("0,0,0");
    }

    @Test
    void postBatch_bodyOverOneMebibyte_answers413AndChangesNothing() {
        long h = freshHour();
        String line = h + ",u,click\n";
        String body = line.repeat((1 << 20) / line.length() + 1);
        sent.clear();

        HttpResponse<String> response = postBatch(body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).isEqualTo("request body is larger than 1048576 bytes\n");
        assertThat(sent.count()).isZero();
        assertThat(api.counts(h)).isEqualTo("0,0,0");
    }

    @Test
    void postBatch_answers204AndIsReadByTheNextGet() {
        long h = freshHour();
        sent.clear();

        HttpResponse<String> response = postBatch(h + ",a,click\r\n" + (h + 1) + ",b,b,impression\r\n" + h + ",a,impression\r\n");

        assertThat(response.statusCode()).isEqualTo(204);
        assertThat(response.body()).isEmpty();
        assertThat(sent.requests(PutItemRequest.class)).hasSize(2);
        assertThat(sent.requests(UpdateItemRequest.class)).singleElement().satisfies(update -> {
            // The runner's first write into this hour: to shard 0, announcing its 4 shards to readers with fewer.
            assertThat(update.key().get("pk").s()).isEqualTo("hour#" + Hour.containing(h).index());
            assertThat(update.updateExpression())
                    .isEqualTo("ADD unique_users :unique_users, clicks :clicks, impressions :impressions, writer_shards :writer_shards");
        });
        assertThat(api.counts(h)).isEqualTo("2,1,2");
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
                assertThat(api.post(Long.parseLong(fields[0]), "user%2C" + fields[2], fields[3]).statusCode()).isEqualTo(204);
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
            assertThat(api.counts(h)).isEqualTo(users.get(h).size() + "," + events.get(h)[0] + "," + events.get(h)[1]);
        }
    }

    @Test
    void batchResource_otherMethods_answer405AllowPost() {
        HttpResponse<String> response = api.send("GET", "/analytics/batch");

        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(response.headers().firstValue("Allow")).hasValue("POST");
        assertThat(api.send("PUT", "/analytics/batch", "1,u,click").statusCode()).isEqualTo(405);
    }

    @Test
    void post_hourEndedMoreThanRetentionAgo_answers400AndCountsNothing() {
        long late = System.currentTimeMillis() - Duration.ofDays(3).toMillis();
        sent.clear();

        HttpResponse<String> single = api.post(late, "u", "click");
        HttpResponse<String> batch = postBatch(freshHour() + ",u,click\n" + late + ",u,click\n");

        assertThat(single.statusCode()).isEqualTo(400);
        assertThat(single.body()).isEqualTo("query parameter 'timestamp' is in an hour that ended more than 1 day ago;"
                + " events that old can no longer be counted exactly\n");
        assertThat(batch.statusCode()).isEqualTo(400);
        assertThat(batch.body()).startsWith("line 2: timestamp is in an hour that ended more than 1 day ago");
        assertThat(sent.count()).isZero();
        assertThat(api.counts(late)).isEqualTo("0,0,0");
    }

    /**
     * Markers kept forever (the default), so any past hour is accepted: only the hour limit stands between a
     * 10,000-hour batch and 10,000 sequential-or-not counter updates that could not end inside API Gateway's 29 s.
     */
    @Test
    void postBatch_10000DistinctHours_answers400NamingTheHourLimit_andTheSameLinesIn48HoursCountExact() throws Exception {
        RecordingInterceptor keptForeverSent = new RecordingInterceptor();
        try (LocalRunner keptForever = new LocalRunner(new LocalRunner.Options(0, Optional.empty(), ApiEvents.repoRoot(),
                Map.of(), LocalApiServer.Limits.DEFAULT, List.of(keptForeverSent)))) {
            HttpApi keptForeverApi = new HttpApi(keptForever.baseUri());
            Hour now = Hour.containing(System.currentTimeMillis());
            StringBuilder tenThousandHours = new StringBuilder();
            StringBuilder fortyEightHours = new StringBuilder();
            Map<Long, Set<String>> users = new HashMap<>();
            Map<Long, Integer> clicks = new HashMap<>();
            for (int i = 0; i < RequestValidator.MAX_BATCH_LINES; i++) {
                tenThousandHours.append(now.plus(-i).startMillis() + 1).append(",u").append(i).append(",click\n");
                long t = now.plus(-(i % CounterStore.MAX_BATCH_HOURS)).startMillis() + 1;
                fortyEightHours.append(t).append(",u").append(i % 50).append(",click\n");
                users.computeIfAbsent(t, k -> new HashSet<>()).add("u" + i % 50);
                clicks.merge(t, 1, Integer::sum);
            }

            keptForeverSent.clear(); // the runner's table set-up
            HttpResponse<String> rejected = keptForeverApi.send("POST", "/analytics/batch", tenThousandHours.toString());

            assertThat(rejected.statusCode()).isEqualTo(400);
            assertThat(rejected.body()).isEqualTo("request body spans more than 48 hours; send at most 48 distinct hours per batch\n");
            assertThat(keptForeverSent.count()).isZero();

            assertThat(keptForeverApi.send("POST", "/analytics/batch", fortyEightHours.toString()).statusCode()).isEqualTo(204);

            assertThat(keptForeverSent.requests(UpdateItemRequest.class)).hasSize(CounterStore.MAX_BATCH_HOURS);
            assertThat(users).hasSize(CounterStore.MAX_BATCH_HOURS).allSatisfy((t, hourUsers) ->
                    assertThat(keptForeverApi.counts(t)).isEqualTo(hourUsers.size() + "," + clicks.get(t) + ",0"));
            assertThat(keptForeverApi.counts(now.plus(-CounterStore.MAX_BATCH_HOURS).startMillis())).isEqualTo("0,0,0");
        }
    }
}
