package com.hourlyanalytics.it.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.IngestLoad;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.testing.HttpApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ./run --data DIR} stopped mid-load by SIGTERM and by SIGKILL, then started again on the same folder:
 * nothing acknowledged is lost, no user is counted twice, and no emulator outlives the runner that started it; nor,
 * with {@code --lambda}, any function container (the runtime client exits when its Runtime API, the runner, goes away).
 */
class RunnerRestartIT {

    private static final int CLIENTS = 4;
    private static final long FIRST_HOUR_INDEX = 460_000;
    private static final Duration STOP_BOUND = Duration.ofSeconds(15);
    private static final Duration ORPHAN_BOUND = Duration.ofSeconds(10);

    @TempDir
    Path data;

    @ParameterizedTest
    @EnumSource(LocalRunner.Mode.class)
    void runStoppedMidLoadBySigtermAndSigkill_restartedOnSameData_acknowledgedKept_noOrphanProcess(LocalRunner.Mode mode) throws Exception {
        int port = RunnerProcess.freePort();
        RunnerProcess runner = start(port, mode);
        IngestLoad load = IngestLoad.start(runner.base(), CLIENTS, FIRST_HOUR_INDEX);
        Thread.sleep(1000);

        List<ProcessHandle> started = started(runner, mode);
        assertThat(runner.terminate(STOP_BOUND)).as("stopped by SIGTERM within %s", STOP_BOUND).isTrue();
        assertThat(RunnerProcess.emulatorsServing(data, ORPHAN_BOUND)).as("emulators left after SIGTERM").isEmpty();
        assertThat(RunnerProcess.survivors(started, ORPHAN_BOUND)).as("processes left after SIGTERM").isEmpty();
        runner = start(port, mode);
        Thread.sleep(1000);

        started = started(runner, mode);
        runner.kill();
        assertThat(RunnerProcess.emulatorsServing(data, ORPHAN_BOUND)).as("emulators left after SIGKILL").isEmpty();
        assertThat(RunnerProcess.survivors(started, ORPHAN_BOUND)).as("processes left after SIGKILL").isEmpty();
        runner = start(port, mode);
        Thread.sleep(500);
        List<IngestLoad.Attempt> attempts = new ArrayList<>(load.stop());

        IngestLoad.Verdict verdict = IngestLoad.verify(new HttpApi(runner.base()), attempts);
        System.out.printf(mode + " restarts under load: %d attempts, %d answered 204, %d answered 503, %d unanswered, %d hours%n",
                attempts.size(), attempts.stream().filter(IngestLoad.Attempt::acknowledged).count(),
                attempts.stream().filter(a -> a.status() == 503).count(),
                attempts.stream().filter(a -> a.status() == IngestLoad.NO_ANSWER).count(), verdict.hours());
        assertThat(runner.terminate(STOP_BOUND)).isTrue();
        assertThat(RunnerProcess.emulatorsServing(data, ORPHAN_BOUND)).isEmpty();

        assertThat(attempts).extracting(IngestLoad.Attempt::status).isSubsetOf(204, 503, IngestLoad.NO_ANSWER);
        assertThat(attempts).filteredOn(a -> a.status() == IngestLoad.NO_ANSWER).as("stops happened under load").isNotEmpty();
        assertThat(verdict.violations()).isEmpty();
    }

    /**
     * With {@code --lambda}, two containers per function: several to leave no orphan, and fewer cold starts than
     * {@code ./run}'s 4 to eat the second of load before each stop.
     */
    private RunnerProcess start(int port, LocalRunner.Mode mode) throws Exception {
        List<String> options = mode == LocalRunner.Mode.LAMBDA ? List.of("--containers", "2") : List.of();
        return RunnerProcess.start(port, data, mode, options, Map.of());
    }

    /** What the runner has started by now; under load in Lambda mode, ingest containers among them. */
    private static List<ProcessHandle> started(RunnerProcess runner, LocalRunner.Mode mode) {
        List<ProcessHandle> started = runner.descendants();
        if (mode == LocalRunner.Mode.LAMBDA) {
            assertThat(RunnerProcess.containers(started)).as("containers running under load").isNotEmpty();
        }
        return started;
    }
}
