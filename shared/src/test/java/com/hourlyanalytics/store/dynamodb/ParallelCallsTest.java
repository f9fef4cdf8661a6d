package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.store.StoreUnavailableException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelCallsTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-30T10:00:00Z"), ZoneOffset.UTC);
    private static final List<Integer> ITEMS = IntStream.range(0, 40).boxed().toList();

    @Test
    void run_everyCallSucceeds_callsEachItemOnceAndReturnsNull() {
        Set<Integer> called = ConcurrentHashMap.newKeySet();

        RuntimeException failure = ParallelCalls.run(ITEMS, 8, new Deadline(CLOCK, Long.MAX_VALUE, ConflictBackoff.MAX_ATTEMPTS), called::add);

        assertThat(failure).isNull();
        assertThat(called).containsExactlyInAnyOrderElementsOf(ITEMS);
    }

    @Test
    void run_aCallFails_startsNoFurtherCallAndReturnsTheFailure() {
        Set<Integer> called = ConcurrentHashMap.newKeySet();
        var failed = new StoreUnavailableException("item 3", null);

        RuntimeException failure = ParallelCalls.run(ITEMS, 1, new Deadline(CLOCK, Long.MAX_VALUE, ConflictBackoff.MAX_ATTEMPTS), item -> {
            called.add(item);
            if (item == 3) {
                throw failed;
            }
        });

        assertThat(failure).isSameAs(failed);
        assertThat(called).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void run_pastTheDeadline_startsNoCallAndReturnsAStoreFailure() {
        Set<Integer> called = ConcurrentHashMap.newKeySet();

        RuntimeException failure = ParallelCalls.run(ITEMS, 8, new Deadline(CLOCK, CLOCK.millis() - 1, ConflictBackoff.MAX_ATTEMPTS), called::add);

        assertThat(failure).isInstanceOf(StoreUnavailableException.class);
        assertThat(called).isEmpty();
    }

    /** An Error on a worker thread must reach the caller: a batch that lost a call may never answer 204. */
    @Test
    void run_aCallThrowsAnError_rethrowsItOnTheCallersThread() {
        for (int workers : new int[] {1, 8}) {
            assertThatThrownBy(() -> ParallelCalls.run(ITEMS, workers, new Deadline(CLOCK, Long.MAX_VALUE, ConflictBackoff.MAX_ATTEMPTS), item -> {
                if (item == 5) {
                    throw new NoClassDefFoundError("org/example/Missing");
                }
            })).as("%d workers", workers).isInstanceOf(NoClassDefFoundError.class);
        }
    }
}
