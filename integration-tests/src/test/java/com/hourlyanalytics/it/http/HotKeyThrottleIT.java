package com.hourlyanalytics.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.testing.HttpApi;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The hot hour past DynamoDB's per-partition limit ({@link PartitionThrottle}, scaled down to a few units per
 * second): partners see 503 with Retry-After, never a hang or another error; every acknowledged event is counted
 * exactly once, and a refused one only if its update was not refused by the throttle but timed out after being sent;
 * throttled attempts are retried (3 attempts) before the 503.
 */
class HotKeyThrottleIT {

    private static final int CLIENTS = 16;
    private static final int REQUESTS_PER_CLIENT = 40;
    private static final long HOUR = 480_123;
    private static final long TIMESTAMP = HOUR * Hour.MILLIS_PER_HOUR + 1_000;

    @Test
    void post_hotCounterPastWriteLimit_answers503WithRetryAfter_countsExactlyTheAcknowledged() throws Exception {
        PartitionThrottle throttle = new PartitionThrottle(20, 1_000);
        try (LocalRunner runner = throttledRunner(throttle)) {
            HttpApi api = new HttpApi(runner.baseUri());
            // Distinct users: an acknowledged POST adds one user and one click, a throttled one neither.
            List<HttpResponse<String>> answers = load(i -> api.post(TIMESTAMP, "user-" + i, "click"));
            long refusedAttempts = throttle.throttledAttempts.sum();
            List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() == 503).toList();
            long acknowledged = answers.stream().filter(a -> a.statusCode() == 204).count();
            System.out.printf("hot counter at 20 writes/s: %d POSTs, %d answered 204, %d answered 503, %d throttled attempts%n",
                    answers.size(), acknowledged, refused.size(), refusedAttempts);

            assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(204, 503);
            assertThat(refused).as("the limit was passed").isNotEmpty()
                    .allSatisfy(a -> assertThat(a.headers().firstValue("Retry-After")).contains("1"));
            long unknown = throttle.updatesWithUnknownOutcome.sum();
            assertThat(refusedAttempts).as("each throttled 503 came after the store's 3 attempts")
                    .isGreaterThanOrEqualTo(3L * (refused.size() - unknown));
            Thread.sleep(1_100); // a fresh second of read units for the check
            String[] counted = api.counts(TIMESTAMP).split(",");
            long users = Long.parseLong(counted[0]);
            System.out.printf("  counted %d; 503s whose update may have been applied (not throttled; call timeout): %d%n", users, unknown);
            // Every acknowledged event counted once; a 503 counts only if its update was sent and applied after all.
            assertThat(counted[1]).isEqualTo(counted[0]);
            assertThat(counted[2]).isEqualTo("0");
            assertThat(users).isBetween(acknowledged, acknowledged + unknown);
        }
    }

    @Test
    void get_hotCounterPastReadLimit_answers503WithRetryAfter_everyAnswerExact() throws Exception {
        PartitionThrottle throttle = new PartitionThrottle(1_000, 20);
        try (LocalRunner runner = throttledRunner(throttle)) {
            HttpApi api = new HttpApi(runner.baseUri());
            assertThat(api.post(TIMESTAMP, "only-user", "impression").statusCode()).isEqualTo(204);
            List<HttpResponse<String>> answers = load(i -> api.get(TIMESTAMP));
            List<HttpResponse<String>> refused = answers.stream().filter(a -> a.statusCode() == 503).toList();
            System.out.printf("hot counter at 20 reads/s: %d GETs, %d answered 503, %d throttled attempts%n",
                    answers.size(), refused.size(), throttle.throttledAttempts.sum());

            assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(200, 503);
            assertThat(refused).as("the limit was passed").isNotEmpty()
                    .allSatisfy(a -> assertThat(a.headers().firstValue("Retry-After")).contains("1"));
            assertThat(answers).filteredOn(a -> a.statusCode() == 200).isNotEmpty()
                    .allSatisfy(a -> assertThat(a.body()).isEqualTo("unique_users,1\nclicks,0\nimpressions,1\n"));
        }
    }

    /** In-process, one counter shard (the hot item is one item), the throttle on the store's client. */
    private static LocalRunner throttledRunner(PartitionThrottle throttle) throws IOException {
        return Emulator.warmUp(new LocalRunner(new LocalRunner.Options(0, Optional.empty(), ApiEvents.repoRoot(),
                Map.of(StoreSettings.COUNTER_SHARDS, "1"), LocalApiServer.Limits.DEFAULT, List.of(throttle))));
    }

    /** {@code CLIENTS} threads, {@code REQUESTS_PER_CLIENT} requests each, as fast as answers come; request i of all. */
    private static List<HttpResponse<String>> load(IntFunction<HttpResponse<String>> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<List<HttpResponse<String>>>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    List<HttpResponse<String>> mine = new ArrayList<>();
                    for (int i = 0; i < REQUESTS_PER_CLIENT; i++) {
                        mine.add(request.apply(client * REQUESTS_PER_CLIENT + i));
                    }
                    return mine;
                }));
            }
            List<HttpResponse<String>> all = new ArrayList<>();
            for (Future<List<HttpResponse<String>>> client : clients) {
                all.addAll(client.get());
            }
            return all;
        } finally {
            pool.shutdownNow();
        }
    }
}
