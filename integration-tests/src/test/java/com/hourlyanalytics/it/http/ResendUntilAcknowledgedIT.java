package com.hourlyanalytics.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.it.fixture.ResendingClients;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.testing.HttpApi;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The black-box run, as a partner's SDK behaves: 16 clients post 800 events, each with its own
 * event_id, while the runner's store process is frozen (SIGSTOP) for 2.5 s three times; every event that got no
 * 204 is sent again until it does. Afterwards every hour's counts are exact: no user lost, no event twice. In both
 * runner modes (in Lambda containers the functions' own store clients meet the freezes). The store serves only
 * 0.4 s between freezes, so 800 events keep all three under load; after them, more events would only add time.
 */
class ResendUntilAcknowledgedIT {

    private static final int CLIENTS = 16;
    private static final int EVENTS = 800;
    private static final int USERS = 150;
    private static final long FIRST_HOUR_INDEX = 471_000;
    private static final long GIVE_UP_NANOS = 120_000_000_000L;

    @TempDir
    Path data;

    @ParameterizedTest
    @EnumSource(LocalRunner.Mode.class)
    void storeFrozenThreeTimes_everyUnacknowledgedEventResentWithItsId_countsAreExact(LocalRunner.Mode mode) throws Exception {
        Random random = new Random(14);
        List<ResendingClients.Event> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            long hour = FIRST_HOUR_INDEX + random.nextInt(3);
            events.add(new ResendingClients.Event(hour * 3_600_000L + random.nextInt(3_600_000), "user-" + random.nextInt(USERS),
                    random.nextBoolean() ? "click" : "impression", "ev-" + mode + "-" + i));
        }
        try (LocalRunner runner = Emulator.runner(Optional.of(data), mode)) {
            DynaliteProcess store = runner.dynalite().orElseThrow();
            HttpApi api = new HttpApi(runner.baseUri());
            ResendingClients clients = ResendingClients.start(api, events, CLIENTS, 50, GIVE_UP_NANOS);
            for (int freeze = 0; freeze < 3; freeze++) {
                Thread.sleep(400);
                store.pause();
                Thread.sleep(2_500);
                store.resume();
            }
            clients.join();
            System.out.printf("%s: %d events, %d attempts, answers %s%n", mode, EVENTS, clients.attempts(), new TreeMap<>(clients.statuses()));

            assertThat(clients.statuses().keySet()).as("faults happened under load").contains(503);
            assertThat(clients.taken()).isGreaterThanOrEqualTo(EVENTS);
            Map<Long, Set<String>> users = new TreeMap<>();
            Map<Long, long[]> types = new TreeMap<>();
            for (ResendingClients.Event event : events) {
                long hour = Math.floorDiv(event.timestamp(), 3_600_000L);
                users.computeIfAbsent(hour, h -> new HashSet<>()).add(event.user());
                types.computeIfAbsent(hour, h -> new long[2])[event.type().equals("click") ? 0 : 1]++;
            }
            for (long hour : users.keySet()) {
                assertThat(api.counts(hour * 3_600_000L)).as("hour %d", hour)
                        .isEqualTo(users.get(hour).size() + "," + types.get(hour)[0] + "," + types.get(hour)[1]);
            }
        }
    }
}
