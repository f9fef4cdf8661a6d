package com.hourlyanalytics.it.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.client.AnalyticsClient;
import com.hourlyanalytics.client.ClientSettings;
import com.hourlyanalytics.client.DeliveryListener;
import com.hourlyanalytics.client.Event;
import com.hourlyanalytics.client.EventType;
import com.hourlyanalytics.it.fixture.LocalRunnerFixture;
import com.hourlyanalytics.local.LocalRunner;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client as a partner runs it: four threads hand 8,000 events (half with their own ids, half with the client's)
 * to one client while the runner's store is frozen (SIGSTOP) for 2.5 s and later killed and restarted. The client
 * resends what got 503s or no answer with the same ids; afterwards every hour shows exactly one delivery of each
 * event. In-process only: what the client does does not depend on where the handlers run, and the functions' own
 * store clients meet freezes and kills in containers in ResendUntilAcknowledgedIT and StoreFaultsLoadIT.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientStoreFaultsIT {

    private static final int THREADS = 4;
    private static final int EVENTS_PER_THREAD = 2_000;
    private static final int USERS = 600;

    @RegisterExtension
    final LocalRunnerFixture runner = LocalRunnerFixture.in(LocalRunner.Mode.IN_PROCESS).onDisk();

    @Test
    void storeFrozenThenKilled_whileFourThreadsStreamEvents_everyHourCountsEachEventOnce() throws Exception {
        long firstHour = runner.freshHours(3);
        Map<Integer, Integer> resentAfter = new ConcurrentHashMap<>();
        DeliveryListener listener = new DeliveryListener() {
            @Override
            public void retrying(int events, int status, String cause, int attempt, Duration backoff) {
                resentAfter.merge(status, 1, Integer::sum);
            }
        };
        // Small batches and queue, so that the faults meet a stream still being handed over, not a backlog.
        AnalyticsClient client = AnalyticsClient.start(ClientSettings.builder(URI.create(runner.baseUri() + "/analytics"))
                .maxBatchEvents(250).senders(4).queueCapacity(1_000).enqueueTimeout(Duration.ofMinutes(2)).listener(listener).build());
        ExpectedCounts expected = new ExpectedCounts();
        AtomicLong handedOver = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            Random random = new Random(t);
            int thread = t;
            threads.add(new Thread(() -> {
                for (int i = 0; i < EVENTS_PER_THREAD; i++) {
                    long timestamp = firstHour + random.nextInt(3 * 3_600_000);
                    String user = "user-" + random.nextInt(USERS);
                    EventType type = random.nextBoolean() ? EventType.CLICK : EventType.IMPRESSION;
                    Event event = i % 2 == 0 ? Event.of(timestamp, user, type) : Event.of(timestamp, user, type, "t" + thread + "-" + i);
                    expected.add(event);
                    assertThat(client.send(event)).isTrue();
                    handedOver.incrementAndGet();
                }
            }, "producer-" + t));
        }
        long start = System.nanoTime();
        threads.forEach(Thread::start);

        awaitDelivered(client, 1_000);
        long handedAtFreeze = handedOver.get();
        runner.dynalite().pause();
        Thread.sleep(2_500);
        runner.dynalite().resume();
        awaitDelivered(client, 4_000);
        long handedAtKill = handedOver.get();
        runner.dynalite().kill();
        Thread.sleep(1_500);
        runner.dynalite().restart();
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(client.close(Duration.ofMinutes(2))).as("everything delivered within the close timeout").isTrue();
        System.out.printf("%d events from %d threads in %d ms, %s; resent after %s; handed over at the freeze %d, at the kill %d%n",
                expected.events(), THREADS, Duration.ofNanos(System.nanoTime() - start).toMillis(), client.stats(),
                new TreeMap<>(resentAfter), handedAtFreeze, handedAtKill);

        assertThat(handedAtKill).as("the faults came while events were still handed over").isLessThan(expected.events());
        assertThat(resentAfter).as("the faults reached the client").isNotEmpty();
        assertThat(client.stats().delivered()).isEqualTo(expected.events());
        assertThat(client.stats().rejected()).isZero();
        assertThat(client.stats().dropped()).isZero();
        try (AnalyticsClient reader = AnalyticsClient.start(ClientSettings.builder(URI.create(runner.baseUri() + "/analytics")).build())) {
            expected.assertExact(reader);
        }
    }

    private static void awaitDelivered(AnalyticsClient client, long events) throws InterruptedException {
        while (client.stats().delivered() < events) {
            Thread.sleep(20);
        }
    }
}
