package com.hourlyanalytics.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The queue's full policy and how it cuts batches. Linger is never reached here: a flush or close makes batches due. */
class EventQueueTest {

    private static final Duration NEVER = Duration.ofDays(1);
    private static final long HOUR = 3_600_000L;

    private static EventQueue queue(int capacity, int maxEvents, int maxBytes) {
        return new EventQueue(capacity, maxEvents, maxBytes, NEVER, System::nanoTime);
    }

    private static Event event(int i) {
        return Event.of(1_700_000_000_000L + i, "user-" + i, EventType.CLICK, "id-" + i);
    }

    private static List<String> ids(Batch batch) {
        return batch.events.stream().map(Event::eventId).collect(Collectors.toList());
    }

    @Test
    void offer_whenFull_refusesTheNewEvent_keepsTheQueuedOnes() throws Exception {
        EventQueue queue = queue(2, 10, ClientSettings.MAX_BATCH_BYTES);

        assertThat(queue.offer(event(1), Duration.ZERO)).isTrue();
        assertThat(queue.offer(event(2), Duration.ZERO)).isTrue();
        assertThat(queue.offer(event(3), Duration.ZERO)).isFalse();
        assertThat(queue.offer(event(4), Duration.ofMillis(20))).isFalse();

        queue.flush();
        assertThat(ids(queue.nextBatch())).containsExactly("id-1", "id-2");
        assertThat(queue.size()).isZero();
    }

    @Test
    void offer_whenFull_waitsForRoom_acceptedOnceABatchIsTaken() throws Exception {
        EventQueue queue = queue(1, 10, ClientSettings.MAX_BATCH_BYTES);
        queue.offer(event(1), Duration.ZERO);
        CountDownLatch waiting = new CountDownLatch(1);

        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try {
                return queue.offer(event(2), NEVER);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        waiting.await();
        queue.flush();
        Batch first = queue.nextBatch();

        assertThat(ids(first)).containsExactly("id-1");
        assertThat(second.get()).isTrue();
        queue.flush();
        assertThat(ids(queue.nextBatch())).containsExactly("id-2");
    }

    @Test
    void offer_afterClose_isRefused_andTheQueuedEventsStillGoOut() throws Exception {
        EventQueue queue = queue(10, 10, ClientSettings.MAX_BATCH_BYTES);
        queue.offer(event(1), Duration.ZERO);

        queue.close();

        assertThat(queue.offer(event(2), NEVER)).isFalse();
        assertThat(ids(queue.nextBatch())).containsExactly("id-1");
        assertThat(queue.nextBatch()).isNull();
    }

    @Test
    void nextBatch_fullBatchIsDueWithoutFlush_atMostMaxEvents_inOrder() throws Exception {
        EventQueue queue = queue(100, 3, ClientSettings.MAX_BATCH_BYTES);
        for (int i = 1; i <= 5; i++) {
            queue.offer(event(i), Duration.ZERO);
        }

        assertThat(ids(queue.nextBatch())).containsExactly("id-1", "id-2", "id-3");
        queue.flush();
        assertThat(ids(queue.nextBatch())).containsExactly("id-4", "id-5");
    }

    @Test
    void nextBatch_cutsAtMaxBytes_butAlwaysTakesOneEvent() throws Exception {
        int lineBytes = Batch.lineBytes(event(1));
        EventQueue queue = queue(100, 100, 2 * lineBytes + 1);
        for (int i = 1; i <= 3; i++) {
            queue.offer(event(i), Duration.ZERO);
        }
        queue.flush();

        assertThat(ids(queue.nextBatch())).containsExactly("id-1", "id-2");
        assertThat(ids(queue.nextBatch())).containsExactly("id-3");

        EventQueue tiny = queue(100, 100, 1);
        tiny.offer(event(1), Duration.ZERO);
        tiny.offer(event(2), Duration.ZERO);
        assertThat(ids(tiny.nextBatch())).containsExactly("id-1");
    }

    @Test
    void nextBatch_atMost48DistinctHours() throws Exception {
        EventQueue queue = queue(100, 100, ClientSettings.MAX_BATCH_BYTES);
        List<Event> events = IntStream.range(0, 50)
                .mapToObj(h -> Event.of(h * HOUR, "u", EventType.IMPRESSION, "h-" + h)).collect(Collectors.toList());
        for (Event event : events) {
            queue.offer(event, Duration.ZERO);
        }
        queue.flush();

        assertThat(queue.nextBatch().events).isEqualTo(events.subList(0, 48));
        assertThat(queue.nextBatch().events).isEqualTo(events.subList(48, 50));
    }

    @Test
    void awaitSettled_waitsForTheEventsInRequests_notForLaterOnes() throws Exception {
        EventQueue queue = queue(100, 1, ClientSettings.MAX_BATCH_BYTES);
        queue.offer(event(1), Duration.ZERO);
        queue.offer(event(2), Duration.ZERO);
        long accepted = queue.flush();
        Batch first = queue.nextBatch();
        Batch second = queue.nextBatch();
        queue.offer(event(3), Duration.ZERO);

        queue.settled(second);
        assertThat(queue.awaitSettled(accepted, Duration.ZERO)).as("the first batch is still in a request").isFalse();
        queue.settled(first);
        assertThat(queue.awaitSettled(accepted, Duration.ZERO)).as("event 3 came after the flush").isTrue();
    }
}
