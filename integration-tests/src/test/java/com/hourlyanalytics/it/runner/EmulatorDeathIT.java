package com.hourlyanalytics.it.runner;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.testing.HttpApi;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code ./run} (the jar the script execs) when its own dynalite dies under it, killed with SIGKILL from outside: one
 * line in its log and no stack trace; in memory it stops with status 1 (the counts are gone, and the functions' caches
 * of counted users would undercount on an empty store); with {@code --data DIR} it starts the emulator again on the
 * same port and data and goes on answering with the counts kept; dying again soon after a restart stops it with 1.
 * Before: nothing logged, and a 503 for every request for as long as the runner ran.
 */
class EmulatorDeathIT {

    private static final long HOUR = 1_709_287_200_000L;
    private static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path data;

    private RunnerJar runner;

    @AfterEach
    void stop() throws Exception {
        if (runner != null) {
            runner.stop();
        }
    }

    @Test
    void inMemory_dynaliteKilled_oneLine_runnerStopsWithStatus1() throws Exception {
        runner = RunnerJar.start(List.of("--port", "0", "--in-process"));
        HttpApi api = new HttpApi(runner.base());
        assertThat(api.post(HOUR, "u1", "click").statusCode()).isEqualTo(204);

        killDynalite(runner);

        assertThat(runner.process().waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the runner stops").isTrue();
        assertThat(runner.process().exitValue()).isEqualTo(1);
        awaitLine(runner, "; stopping");
        assertThat(deathLines(runner)).singleElement().asString()
                .contains("exited unexpectedly (status 137): the counts it held in memory are gone; stopping");
        assertNoStackTrace(runner);
    }

    @ParameterizedTest
    @EnumSource(LocalRunner.Mode.class)
    void withData_dynaliteKilled_oneLine_restartedOnItsData_countsKeptAndExact(LocalRunner.Mode mode) throws Exception {
        runner = RunnerJar.start(List.of("--port", "0", "--data", data.toString(), mode == LocalRunner.Mode.LAMBDA ? "--lambda" : "--in-process"));
        HttpApi api = new HttpApi(runner.base());
        assertThat(api.post(HOUR, "u1", "click").statusCode()).isEqualTo(204);
        assertThat(api.counts(HOUR)).isEqualTo("1,1,0");

        killDynalite(runner);
        awaitLine(runner, "started again on");

        assertThat(api.counts(HOUR)).as("kept").isEqualTo("1,1,0");
        assertThat(api.post(HOUR, "u1", "click").statusCode()).isEqualTo(204);
        assertThat(api.post(HOUR, "u2", "impression").statusCode()).isEqualTo(204);
        assertThat(api.counts(HOUR)).as("u1 still counted once, u2 new").isEqualTo("2,2,1");
        assertThat(runner.process().isAlive()).isTrue();
        assertThat(deathLines(runner)).singleElement().asString()
                .contains("exited unexpectedly (status 137); started again on http://127.0.0.1:")
                .endsWith("with its data in " + data.toAbsolutePath() + ": the counts are kept");
        assertNoStackTrace(runner);
    }

    @Test
    void withData_diesAgainSoonAfterItsRestart_runnerStopsWithStatus1() throws Exception {
        runner = RunnerJar.start(List.of("--port", "0", "--data", data.toString()));
        killDynalite(runner);
        awaitLine(runner, "started again on");

        killDynalite(runner);

        assertThat(runner.process().waitFor(BOUND.toSeconds(), TimeUnit.SECONDS)).as("the runner stops").isTrue();
        assertThat(runner.process().exitValue()).isEqualTo(1);
        awaitLine(runner, "; stopping");
        assertThat(deathLines(runner)).hasSize(2).last().asString().contains("again within 10 s of its restart; stopping");
        assertNoStackTrace(runner);
    }

    /** SIGKILL to the runner's own emulator, found among its children, as a crash or an outside kill would end it. */
    private static void killDynalite(RunnerJar runner) throws InterruptedException {
        ProcessHandle dynalite = runner.process().toHandle().children()
                .filter(child -> child.info().commandLine().orElse("").contains("dynalite-server.js"))
                .findFirst().orElseThrow(() -> new AssertionError("no dynalite child of the runner"));
        dynalite.destroyForcibly();
        dynalite.onExit().orTimeout(10, TimeUnit.SECONDS).join();
    }

    private static List<String> deathLines(RunnerJar runner) throws InterruptedException {
        return runner.output().stream().filter(line -> line.contains("exited unexpectedly")).toList();
    }

    private static void awaitLine(RunnerJar runner, String part) throws InterruptedException {
        long deadline = System.nanoTime() + BOUND.toNanos();
        while (runner.output().stream().noneMatch(line -> line.contains(part))) {
            assertThat(System.nanoTime()).as("a line with '%s' within %s:\n%s", part, BOUND, runner.output()).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void assertNoStackTrace(RunnerJar runner) throws InterruptedException {
        assertThat(runner.output()).noneMatch(line -> line.contains("Exception") || line.startsWith("\tat "));
    }
}
