package com.hourlyanalytics.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.it.fixture.ResendingClients;
import com.hourlyanalytics.it.fixture.SoloClasses;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.local.TransactionConflicts;
import com.hourlyanalytics.testing.HttpApi;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The hot hour as DynamoDB runs it: the runner's emulator holds each transaction's items for its transaction window
 * (25 ms by default) and rejects what meets them, as DynamoDB does. 16 clients post one hour: 400 new users, then
 * three rounds of the same users again, every event with its own event_id, every answer but 204 resent. The hour
 * ends exact, and the write path's retries keep refusals (503) under 0.5% of attempts. In-process, where 16 handler
 * threads write the hour at once; through {@code --lambda} at most 4 containers would (DEFAULT_MAX_CONTAINERS), a
 * milder contention for the same write path.
 */
@Tag(SoloClasses.TAG)
class HotHourConflictsIT {

    private static final int CLIENTS = 16;
    private static final int USERS = 400;
    private static final int REPEAT_ROUNDS = 3;
    private static final long HOUR_INDEX = 472_000;
    private static final long GIVE_UP_NANOS = 120_000_000_000L;

    @Test
    void sixteenClients_newUsersThenRepeats_everyNon204Resent_exact_andUnderHalfAPercentRefused() throws Exception {
        long hourStart = HOUR_INDEX * 3_600_000L;
        try (LocalRunner runner = Emulator.runner(Optional.empty(), LocalRunner.Mode.IN_PROCESS)) {
            HttpApi api = new HttpApi(runner.baseUri());
            List<ResendingClients.Event> newUsers = new ArrayList<>();
            for (int u = 0; u < USERS; u++) {
                newUsers.add(new ResendingClients.Event(hourStart + u, "user-" + u, "click", "new-" + u));
            }
            List<ResendingClients> rounds = new ArrayList<>(List.of(ResendingClients.start(api, newUsers, CLIENTS, 0, GIVE_UP_NANOS).join()));
            for (int round = 0; round < REPEAT_ROUNDS; round++) {
                List<ResendingClients.Event> repeats = new ArrayList<>();
                for (int u = 0; u < USERS; u++) {
                    repeats.add(new ResendingClients.Event(hourStart + 1_000 + u, "user-" + u, "impression", "repeat-" + round + "-" + u));
                }
                rounds.add(ResendingClients.start(api, repeats, CLIENTS, 0, GIVE_UP_NANOS).join());
            }
            long attempts = rounds.stream().mapToLong(ResendingClients::attempts).sum();
            Map<Integer, Integer> statuses = new TreeMap<>();
            rounds.forEach(run -> run.statuses().forEach((status, count) -> statuses.merge(status, count, Integer::sum)));
            int events = USERS * (1 + REPEAT_ROUNDS);
            long refused = attempts - events;
            Map<String, Long> conflicts = TransactionConflicts.of(runner.dynalite().orElseThrow().endpoint());
            System.out.printf("%d events, %d attempts, answers %s, refused %.2f%%, emulator conflicts %s%n", events,
                    attempts, statuses, 100.0 * refused / attempts, new TreeMap<>(conflicts));

            assertThat(conflicts.getOrDefault("TransactWriteItems", 0L)).as("transactions cancelled by a conflict").isPositive();
            assertThat(api.counts(hourStart)).isEqualTo(USERS + "," + USERS + "," + USERS * REPEAT_ROUNDS);
            assertThat(statuses.keySet()).isSubsetOf(204, 503);
            assertThat(refused).as("attempts refused").isLessThan(attempts / 200);
        }
    }
}
