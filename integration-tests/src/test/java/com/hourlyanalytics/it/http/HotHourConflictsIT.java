package com.hourlyanalytics.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.local.TransactionConflicts;
import com.hourlyanalytics.testing.HttpApi;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hot hour as DynamoDB runs it: the runner's emulator holds each transaction's items for its transaction window
 * (25 ms by default) and rejects what meets them, as DynamoDB does. 16 clients post one hour: 400 new users, then
 * three rounds of the same users again, every event with its own event_id, every answer but 204 resent. The hour
 * ends exact, and the write path's retries keep refusals (503) under 0.5% of attempts. In both runner modes.
 */
class HotHourConflictsIT {

    private static final int CLIENTS = 16;
    private static final int USERS = 400;
    private static final int REPEAT_ROUNDS = 3;
    private static final long HOUR_INDEX = 472_000;
    private static final long GIVE_UP_NANOS = 120_000_000_000L;

    private record Event(long timestamp, String user, String type, String eventId) {
    }

    @ParameterizedTest
    @EnumSource(LocalRunner.Mode.class)
    void sixteenClients_newUsersThenRepeats_everyNon204Resent_exact_andUnderHalfAPercentRefused(LocalRunner.Mode mode) throws Exception {
        long hourStart = HOUR_INDEX * 3_600_000L;
        try (LocalRunner runner = Emulator.runner(Optional.empty(), mode)) {
            HttpApi api = new HttpApi(runner.baseUri());
            AtomicLong attempts = new AtomicLong();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            List<Event> newUsers = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                newUsers.add(new Event(hourStart + u, "user-" + u, "click", mode + "-new-" + u));
            }
            post(api, newUsers, attempts, statuses);
            for (int round = 0; round < REPEAT_ROUNDS; round++) {
                List<Event> repeats = new ArrayList<>();
                for (int u = 0; u < USERS; u++) {
                    repeats.add(new Event(hourStart + 1_000 + u, "user-" + u, "impression", mode + "-repeat-" + round + "-" + u));
                }
                post(api, repeats, attempts, statuses);
            }
            int events = USERS * (1 + REPEAT_ROUNDS);
            long refused = attempts.get() - events;
            Map<String, Long> conflicts = TransactionConflicts.of(runner.dynalite().orElseThrow().endpoint());
            System.out.printf("%s: %d events, %d attempts, answers %s, refused %.2f%%, emulator conflicts %s%n", mode, events,
                    attempts.get(), new TreeMap<>(statuses), 100.0 * refused / attempts.get(), new TreeMap<>(conflicts));

            assertThat(conflicts.getOrDefault("TransactWriteItems", 0L)).as("transactions cancelled by a conflict").isPositive();
            assertThat(api.counts(hourStart)).isEqualTo(USERS + "," + USERS + "," + USERS * REPEAT_ROUNDS);
            assertThat(statuses.keySet()).isSubsetOf(204, 503);
            assertThat(refused).as("attempts refused").isLessThan(attempts.get() / 200);
        }
    }

    /** Sends every event from {@link #CLIENTS} threads, each resent until it is answered 204. */
    private static void post(HttpApi api, List<Event> events, AtomicLong attempts, Map<Integer, Integer> statuses) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        long giveUp = System.nanoTime() + GIVE_UP_NANOS;
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            Thread client = new Thread(() -> {
                for (int i; (i = next.getAndIncrement()) < events.size(); ) {
                    Event event = events.get(i);
                    int status;
                    do {
                        attempts.incrementAndGet();
                        status = post(api, event);
                        statuses.merge(status, 1, Integer::sum);
                    } while (status != 204 && System.nanoTime() < giveUp);
                }
            });
            clients.add(client);
            client.start();
        }
        for (Thread client : clients) {
            client.join();
        }
    }

    private static int post(HttpApi api, Event event) {
        try {
            return api.send("POST", "/analytics?timestamp=" + event.timestamp() + "&user=" + event.user() + "&event="
                    + event.type() + "&event_id=" + event.eventId()).statusCode();
        } catch (UncheckedIOException e) {
            return HttpApi.NO_STATUS;
        }
    }
}
