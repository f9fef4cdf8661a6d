package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.bench.LoadApi;
import com.hourlyanalytics.bench.PartnerMix;
import com.hourlyanalytics.bench.Progress;
import com.hourlyanalytics.bench.StoreCalls;
import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** One past hour filled with many events through the batch endpoint, then GET latency of it against an empty hour. */
final class BigHourPhase {

    static final String BATCH_ROUTE = "POST /analytics/batch";
    static final String EMPTY_HOUR = "empty hour";
    static final String BIG_HOUR = "big hour";
    /** GET rounds before the timed ones, to warm up the JIT and connections. */
    private static final int WARM_UP_ROUNDS = 200;

    private final Workload workload;
    private final long bigHour;
    private final long emptyHour;

    BigHourPhase(Workload workload, long bigHour, long emptyHour) {
        this.workload = workload;
        this.bigHour = bigHour;
        this.emptyHour = emptyHour;
    }

    /** Fills the hour with {@code bigHourEvents} events in maximum-size batches, a few senders at once. */
    PhaseResult load(URI service, Latencies into) throws Exception {
        LoadConfig config = workload.config;
        AtomicLong left = new AtomicLong(config.bigHourEvents());
        LongAdder loaded = new LongAdder();
        LongAdder batches = new LongAdder();
        long nanos = workload.runClients("hour with " + config.bigHourEvents() + " events", service, Math.min(4, config.clients()),
                loaded::sum, config.bigHourEvents(), into, (client, api) -> {
                    SplittableRandom random = workload.random(client);
                    Latencies mine = new Latencies();
                    for (long lines; (lines = claim(left, RequestValidator.MAX_BATCH_LINES)) > 0; ) {
                        StringBuilder body = new StringBuilder();
                        List<String> users = new ArrayList<>();
                        List<EventType> types = new ArrayList<>();
                        for (long i = 0; i < lines; i++) {
                            String user = "big-" + random.nextInt(config.bigHourUsers());
                            EventType type = PartnerMix.type(random);
                            users.add(user);
                            types.add(type);
                            body.append(bigHour * Hour.MILLIS_PER_HOUR + random.nextLong(Hour.MILLIS_PER_HOUR)).append(',')
                                    .append(user).append(',').append(type.wireName()).append('\n');
                        }
                        long start = System.nanoTime();
                        int status = api.postBatch(body.toString());
                        mine.add(BATCH_ROUTE, System.nanoTime() - start);
                        if (status != 204) {
                            workload.fail(BATCH_ROUTE + " answered " + status);
                            continue;
                        }
                        for (int i = 0; i < users.size(); i++) {
                            workload.expected.acknowledged(bigHour, users.get(i), types.get(i));
                        }
                        loaded.add(lines);
                        batches.increment();
                    }
                    return mine;
                });
        return new PhaseResult(batches.sum(), batches.sum(), loaded.sum(), nanos);
    }

    private static long claim(AtomicLong left, long most) {
        while (true) {
            long now = left.get();
            long take = Math.min(now, most);
            if (take <= 0 || left.compareAndSet(now, now - take)) {
                return Math.max(take, 0);
            }
        }
    }

    /** One client, alternating the empty hour and the big hour, so that drift affects both alike. */
    Latencies getLatencyByVolume(LoadApi api) throws Exception {
        Latencies byVolume = new Latencies();
        int rounds = workload.config.getSamples() + WARM_UP_ROUNDS;
        AtomicLong done = new AtomicLong();
        try (Progress progress = Progress.start("GET latency by volume", done::get, 2L * rounds)) {
            for (int i = 0; i < rounds; i++) {
                for (long hour : new long[] {emptyHour, bigHour}) {
                    long start = System.nanoTime();
                    LoadApi.counts(api.get(hour * Hour.MILLIS_PER_HOUR));
                    if (i >= WARM_UP_ROUNDS) {
                        byVolume.add(hour == emptyHour ? EMPTY_HOUR : BIG_HOUR, System.nanoTime() - start);
                    }
                    done.incrementAndGet();
                }
            }
        }
        return byVolume;
    }

    /** What one GET of each hour costs the store, the empty hour first: its calls and read units. */
    List<StoreCalls.Sums> readsPerGet(LoadApi api, StoreCalls storeCalls) throws Exception {
        List<StoreCalls.Sums> reads = new ArrayList<>();
        for (long hour : new long[] {emptyHour, bigHour}) {
            storeCalls.take();
            LoadApi.counts(api.get(hour * Hour.MILLIS_PER_HOUR));
            reads.add(storeCalls.take());
        }
        return reads;
    }
}
