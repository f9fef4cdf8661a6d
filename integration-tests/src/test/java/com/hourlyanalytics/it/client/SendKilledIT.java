package com.hourlyanalytics.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.client.AnalyticsClient;
import com.hourlyanalytics.client.ClientSettings;
import com.hourlyanalytics.client.Event;
import com.hourlyanalytics.client.EventType;
import com.hourlyanalytics.it.fixture.LocalRunnerFixture;
import com.hourlyanalytics.local.LocalRunner;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./send} killed with SIGKILL a quarter of the way through a file of 4,000 lines (most without an event id),
 * then run again on the same file: every line is delivered and every hour shows each line counted once, the lines the
 * first run delivered or left in flight included. Lines appended afterwards and a third run add exactly those.
 * In-process only: what {@code ./send} does does not depend on where the handlers run (BatchApiLambdaIT proves the
 * batch route through {@code --lambda}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SendKilledIT {

    private static final int LINES = 4_000;
    private static final int APPENDED = 500;

    @RegisterExtension
    final LocalRunnerFixture runner = LocalRunnerFixture.in(LocalRunner.Mode.IN_PROCESS);

    @TempDir
    Path folder;

    @Test
    void killedHalfway_runAgainOnTheSameFile_everyLineCountedOnce_appendedLinesToo() throws Exception {
        long firstHour = runner.freshHours(2);
        Random random = new Random(7);
        Path file = folder.resolve("backfill.csv");
        ExpectedCounts expected = new ExpectedCounts();
        Files.write(file, lines(random, firstHour, 1, LINES, expected), StandardCharsets.UTF_8);
        String endpoint = runner.baseUri() + "/analytics";
        try (AnalyticsClient reader = AnalyticsClient.start(ClientSettings.builder(URI.create(endpoint)).build())) {
            SenderProcess first = SenderProcess.start("--endpoint", endpoint, "--batch-size", "100", file.toString());
            long counted;
            while ((counted = expected.counted(reader)) < LINES / 4 && first.isAlive()) {
                Thread.sleep(50);
            }
            assertThat(first.isAlive()).as("./send still running when killed; stdout %s", first.stdout()).isTrue();
            first.kill();
            long countedAfterKill = expected.counted(reader);
            System.out.printf("killed ./send with %d of %d lines counted (%d once its requests in flight ended)%n",
                    counted, LINES, countedAfterKill);
            assertThat(countedAfterKill).as("killed halfway").isLessThan(LINES);

            // Small batches above, so that the kill comes halfway; the default ones from here.
            SenderProcess second = SenderProcess.start("--endpoint", endpoint, file.toString());
            assertThat(second.exitStatus(120)).as("stderr %s", second.stderr()).isZero();
            System.out.printf("again: %s%n", second.stdout());
            assertThat(second.stdout()).hasSize(1).first().asString()
                    .startsWith("send: " + LINES + " lines: " + LINES + " delivered, 0 rejected, 0 not delivered; ");
            expected.assertExact(reader);

            Files.write(file, lines(random, firstHour, LINES + 1, APPENDED, expected), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            SenderProcess third = SenderProcess.start("--endpoint", endpoint, file.toString());
            assertThat(third.exitStatus(120)).as("stderr %s", third.stderr()).isZero();
            expected.assertExact(reader);
        }
    }

    /** {@code count} lines from line number {@code from}: one in ten with an event id of its own, the rest without. */
    private static List<String> lines(Random random, long firstHour, int from, int count, ExpectedCounts expected) {
        List<String> lines = new ArrayList<>();
        for (int n = from; n < from + count; n++) {
            long timestamp = firstHour + random.nextInt(2 * 3_600_000);
            String user = "visitor-" + random.nextInt(500);
            EventType type = random.nextBoolean() ? EventType.CLICK : EventType.IMPRESSION;
            expected.add(Event.of(timestamp, user, type));
            lines.add(timestamp + "," + user + "," + type.wireName() + (n % 10 == 0 ? ",file-" + n : ""));
        }
        return lines;
    }
}
