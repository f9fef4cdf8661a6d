package com.hourlyanalytics.it.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.it.fixture.IngestLoad;
import com.hourlyanalytics.it.fixture.SoloClasses;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.testing.HttpApi;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A flood far past small admission limits, on the real runner and store: every request is answered (204 or
 * 503 "server busy", no dropped connection), a shed request changed nothing, so the counts equal exactly what
 * was acknowledged, and the runner serves normally afterwards.
 */
@Tag(SoloClasses.TAG)
class OverloadIT {

    private static final int CLIENTS = 48;
    private static final long FIRST_HOUR_INDEX = 450_000;

    @ParameterizedTest
    @EnumSource(LocalRunner.Mode.class)
    void floodPastTheLimits_shedsWith503_countsExactlyTheAcknowledged_thenServesNormally(LocalRunner.Mode mode) throws Exception {
        try (LocalRunner runner = new LocalRunner(new LocalRunner.Options(0, Optional.empty(), ApiEvents.repoRoot(),
                Map.of(), new LocalApiServer.Limits(2, 4, 20)).withMode(mode))) {
            // In Lambda mode the flood would otherwise be spent on cold starts.
            Emulator.warmUp(runner);
            IngestLoad load = IngestLoad.start(runner.baseUri(), CLIENTS, FIRST_HOUR_INDEX);
            Thread.sleep(2000);
            List<IngestLoad.Attempt> attempts = load.stop();

            List<IngestLoad.Attempt> shed = attempts.stream().filter(IngestLoad.Attempt::shed).toList();
            List<IngestLoad.Attempt> acknowledged = attempts.stream().filter(IngestLoad.Attempt::acknowledged).toList();
            HttpApi api = new HttpApi(runner.baseUri());
            IngestLoad.Verdict verdict = IngestLoad.verify(api, attempts);
            System.out.printf(mode + " overload (2 running, 4 queued, 20 ms wait; %d clients): %d attempts, %d answered 204, %d shed%n",
                    CLIENTS, attempts.size(), acknowledged.size(), shed.size());
            System.out.println("  shed latency: " + IngestLoad.latencies(shed));
            System.out.println("  204 latency:  " + IngestLoad.latencies(acknowledged));

            assertThat(attempts).allMatch(a -> a.acknowledged() || a.shed(), "each answered 204 or 503 server busy");
            assertThat(shed).isNotEmpty();
            assertThat(acknowledged).isNotEmpty();
            assertThat(verdict.violations()).isEmpty();
            assertThat(verdict.eventsOverAcknowledged()).as("hours with events beyond the 204s").isZero();
            assertThat(verdict.usersUnderAcknowledged()).as("hours missing an acknowledged user").isZero();
            assertThat(api.post(FIRST_HOUR_INDEX * 3_600_000L - 1, "after", "click").statusCode()).isEqualTo(204);
        }
    }
}
