package com.hourlyanalytics.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.it.fixture.IngestLoad;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.testing.HttpApi;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Eight retrying clients post while the store is killed, frozen (shorter and longer than the SDK's call
 * timeout) and restarted under the running service: every request is answered (204 or 503, never a hang),
 * the service recovers by itself, and every hour's final counts lie within the bounds the answers allow. In each
 * runner mode: in Lambda containers the functions' own store clients meet the faults.
 */
class StoreFaultsLoadIT {

    private static final int CLIENTS = 8;
    private static final long FIRST_HOUR_INDEX = 470_000;

    @TempDir
    Path data;

    @ParameterizedTest
    @EnumSource(LocalRunner.Mode.class)
    void concurrentLoad_storeKilledFrozenRestarted_acknowledgedCountedOnce_totalsWithinBounds(LocalRunner.Mode mode) throws Exception {
        try (LocalRunner runner = Emulator.runner(Optional.of(data), mode)) {
            DynaliteProcess store = runner.dynalite().orElseThrow();
            IngestLoad load = IngestLoad.start(runner.baseUri(), CLIENTS, FIRST_HOUR_INDEX);
            Thread.sleep(300);
            store.kill();
            Thread.sleep(500);
            store.restart();
            Thread.sleep(300);
            store.pause();
            Thread.sleep(700);
            store.resume();
            Thread.sleep(300);
            store.pause();
            Thread.sleep(2500);
            store.resume();
            Thread.sleep(300);
            store.kill();
            store.restart();
            long recovered = System.nanoTime();
            Thread.sleep(1500);
            List<IngestLoad.Attempt> attempts = load.stop();

            List<IngestLoad.Attempt> refused = attempts.stream().filter(a -> a.status() == 503).toList();
            IngestLoad.Verdict verdict = IngestLoad.verify(new HttpApi(runner.baseUri()), attempts);
            System.out.printf(mode + " store faults under load: %d attempts, %d answered 204, %d answered 503, %d hours%n",
                    attempts.size(), attempts.stream().filter(IngestLoad.Attempt::acknowledged).count(), refused.size(),
                    verdict.hours());
            System.out.println("  503 latency: " + IngestLoad.latencies(refused));
            System.out.println("  204 latency: " + IngestLoad.latencies(
                    attempts.stream().filter(IngestLoad.Attempt::acknowledged).toList()));
            System.out.printf("  hours with more events than 204s (a 503'd update applied): %d;"
                    + " with fewer users than acknowledged (marker-only 503): %d%n",
                    verdict.eventsOverAcknowledged(), verdict.usersUnderAcknowledged());

            assertThat(attempts).extracting(IngestLoad.Attempt::status).containsOnly(204, 503);
            assertThat(refused).extracting(IngestLoad.Attempt::body).containsOnly("store unavailable, try again shortly\n");
            assertThat(refused).as("faults happened under load").isNotEmpty();
            assertThat(verdict.violations()).isEmpty();
            // Recovered without a restart of the service: the latest attempt started after the store came back
            // was acknowledged.
            assertThat(attempts.stream().filter(a -> a.startNanos() > recovered).toList())
                    .isNotEmpty()
                    .last().extracting(IngestLoad.Attempt::status).isEqualTo(204);
        }
    }
}
