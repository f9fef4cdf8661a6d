package com.hourlyanalytics.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.client.AnalyticsClient;
import com.hourlyanalytics.client.ClientSettings;
import com.hourlyanalytics.client.DeliveryListener;
import com.hourlyanalytics.client.Event;
import com.hourlyanalytics.client.EventType;
import com.hourlyanalytics.it.runner.RunnerProcess;
import com.hourlyanalytics.local.LocalRunner;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway throttling the client: {@code ./run --api-key ... --parameter-overrides "ThrottleRateLimit=4
 * ThrottleBurstLimit=4 BatchThrottleRateLimit=2 BatchThrottleBurstLimit=2"} as a process, four threads handing 2,000
 * events to a client with four senders, whose first four batches at once already pass the batch route's burst: they
 * meet THROTTLED 429s ({@code Retry-After: 1}), wait and resend; every event is delivered, and every hour (read
 * through the same key, itself throttled) shows exactly one delivery of each. The key's value never reaches the
 * runner's output. In-process only: the gateway throttles before either mode's handlers run (GatewayLambdaIT proves
 * the gateway in front of {@code --lambda}).
 */
class ClientThrottledIT {

    private static final String KEY = "throttled-secret-value-Jq4";
    private static final int THREADS = 4;
    private static final int EVENTS_PER_THREAD = 500;

    @TempDir
    Path data;

    @Test
    void batchesThrottledTo2PerSecond_clientWaitsAndResends_everyEventCountedOnce() throws Exception {
        RunnerProcess runner = RunnerProcess.start(data, LocalRunner.Mode.IN_PROCESS, List.of("--quiet", "--api-key", "p1=" + KEY,
                "--parameter-overrides", "ThrottleRateLimit=4 ThrottleBurstLimit=4 BatchThrottleRateLimit=2 BatchThrottleBurstLimit=2"),
                Map.of());
        try {
            Map<Integer, Integer> resentAfter = new ConcurrentHashMap<>();
            DeliveryListener listener = new DeliveryListener() {
                @Override
                public void retrying(int events, int status, String cause, int attempt, Duration backoff) {
                    resentAfter.merge(status, 1, Integer::sum);
                }
            };
            ClientSettings.Builder settings = ClientSettings.builder(URI.create(runner.base() + "/analytics")).apiKey(KEY);
            AnalyticsClient client = AnalyticsClient.start(settings.maxBatchEvents(250).senders(4)
                    .enqueueTimeout(Duration.ofMinutes(2)).listener(listener).build());
            long firstHour = (System.currentTimeMillis() / 3_600_000L - 3) * 3_600_000L;
            ExpectedCounts expected = new ExpectedCounts();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Random random = new Random(100 + t);
                threads.add(new Thread(() -> {
                    for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                        Event event = Event.of(firstHour + random.nextInt(3 * 3_600_000), "user-" + random.nextInt(400),
                                random.nextBoolean() ? EventType.CLICK : EventType.IMPRESSION);
                        expected.add(event);
                        assertThat(client.send(event)).isTrue();
                    }
                }));
            }
            long start = System.nanoTime();
            threads.forEach(Thread::start);
            for (Thread thread : threads) {
                thread.join();
            }
            assertThat(client.close(Duration.ofMinutes(2))).isTrue();
            System.out.printf("%d events in %d ms, %s; resent after %s%n", expected.events(),
                    Duration.ofNanos(System.nanoTime() - start).toMillis(), client.stats(), new TreeMap<>(resentAfter));

            assertThat(resentAfter).as("the gateway throttled the client").containsKey(429);
            assertThat(client.stats().delivered()).isEqualTo(expected.events());
            assertThat(client.stats().rejected()).isZero();
            assertThat(client.stats().dropped()).isZero();
            try (AnalyticsClient reader = AnalyticsClient.start(settings.build())) {
                expected.assertExact(reader);
            }
        } finally {
            assertThat(runner.terminate(Duration.ofSeconds(30))).isTrue();
        }
        assertThat(runner.output()).as("no key value in the runner's output").noneMatch(line -> line.contains(KEY));
    }
}
