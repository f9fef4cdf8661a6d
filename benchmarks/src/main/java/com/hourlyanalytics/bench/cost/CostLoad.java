package com.hourlyanalytics.bench.cost;

import com.hourlyanalytics.bench.Progress;
import com.hourlyanalytics.bench.load.ExpectedCounts;
import com.hourlyanalytics.bench.load.LoadApi;
import com.hourlyanalytics.bench.load.Zipf;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The cost run's traffic: the partner mix and the batches, each checked against a model of what was acknowledged. */
final class CostLoad {

    private static final long HOUR_MILLIS = Hour.MILLIS_PER_HOUR;
    private static final double PAST_SHARE = 0.05;
    private static final int PAST_HOURS = 6;

    private final ExpectedCounts expected = new ExpectedCounts();
    private final List<String> failures = new ArrayList<>();
    private final AtomicLong streams = new AtomicLong();
    private final Zipf zipf;
    private final long seed;
    private final double postRatio;

    CostLoad(Zipf zipf, long seed, double postRatio) {
        this.zipf = zipf;
        this.seed = seed;
        this.postRatio = postRatio;
    }

    private interface Client {
        void run(LoadApi api, SplittableRandom random) throws Exception;
    }

    /** {@code clients} threads, each on its own keep-alive connection, with a progress line every 2 s. */
    private void drive(String phase, LongSupplier done, long total, URI service, int clients, Client body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try (Progress progress = Progress.start(phase, done, total)) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                SplittableRandom random = new SplittableRandom(seed * 1_000_003 + streams.incrementAndGet());
                running.add(pool.submit(() -> {
                    try (LoadApi api = new LoadApi(service)) {
                        body.run(api, random);
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Single POSTs (repeat users, ~95% in the current hour) and GETs, as the load benchmark's mix; returns the
     * requests made. {@code userHours} holds every user-hour POSTed so far: the new ones are the marker puts one
     * cache shared by every container would have made.
     */
    long mix(URI service, int clients, String phase, long requests, Duration duration, Set<String> userHours,
                     LongAdder posts, LongAdder newUserHours) throws Exception {
        AtomicLong issued = new AtomicLong();
        LongAdder done = new LongAdder();
        long deadline = System.nanoTime() + duration.toNanos();
        drive(phase, done::sum, requests, service, clients, (api, random) -> {
            while (issued.getAndIncrement() < requests && System.nanoTime() < deadline) {
                long[] time = pickTime(random);
                if (random.nextDouble() < postRatio) {
                    String user = "user-" + zipf.next(random);
                    EventType type = random.nextInt(4) == 0 ? EventType.CLICK : EventType.IMPRESSION;
                    int status = api.post(time[0], user, type);
                    if (status == 204) {
                        expected.acknowledged(time[1], user, type);
                        posts.increment();
                        if (userHours.add(time[1] + "/" + user)) {
                            newUserHours.increment();
                        }
                    } else {
                        fail("POST /analytics answered " + status);
                    }
                } else {
                    HourCounts atLeast = expected.lowerBound(time[1]);
                    HourCounts got = LoadApi.counts(api.get(time[0]));
                    if (got.uniqueUsers() < atLeast.uniqueUsers() || got.clicks() < atLeast.clicks()
                            || got.impressions() < atLeast.impressions()) {
                        fail("GET of hour " + time[1] + " missed acknowledged writes: " + got + " < " + atLeast);
                    }
                }
                done.increment();
            }
        });
        return done.sum();
    }

    /** {@code count} batches of {@code lines} lines, users and times drawn as in the mix (at most 7 hours per batch). */
    long batches(URI service, int clients, int lines, int count) throws Exception {
        AtomicLong left = new AtomicLong(count);
        LongAdder sent = new LongAdder();
        String prefix = "b" + lines + "-user-";
        drive("batches of " + lines + " lines", sent::sum, count, service, Math.min(clients, count), (api, random) -> {
            while (left.getAndDecrement() > 0) {
                StringBuilder body = new StringBuilder();
                long[][] events = new long[lines][];
                String[] users = new String[lines];
                for (int i = 0; i < lines; i++) {
                    events[i] = pickTime(random);
                    users[i] = prefix + zipf.next(random);
                    body.append(events[i][0]).append(',').append(users[i]).append(',')
                            .append(i % 4 == 0 ? "click" : "impression").append('\n');
                }
                int status = api.postBatch(body.toString());
                if (status != 204) {
                    fail("POST /analytics/batch answered " + status);
                    continue;
                }
                for (int i = 0; i < lines; i++) {
                    expected.acknowledged(events[i][1], users[i], i % 4 == 0 ? EventType.CLICK : EventType.IMPRESSION);
                }
                sent.increment();
            }
        });
        return sent.sum();
    }

    /** The timestamp and hour of one event or read: ~95% now, the rest somewhere in the previous hours. */
    private static long[] pickTime(SplittableRandom random) {
        long now = System.currentTimeMillis();
        if (random.nextDouble() >= PAST_SHARE) {
            return new long[] {now, Hour.containing(now).index()};
        }
        long hour = Hour.containing(now).index() - 1 - random.nextInt(PAST_HOURS);
        return new long[] {hour * HOUR_MILLIS + random.nextLong(HOUR_MILLIS), hour};
    }

    /** Every hour written must read back exactly as the model says. */
    long verify(LoadApi api) throws Exception {
        Map<Long, HourCounts> all = expected.all();
        for (Map.Entry<Long, HourCounts> hour : all.entrySet()) {
            HourCounts got = LoadApi.counts(api.get(hour.getKey() * HOUR_MILLIS));
            if (!got.equals(hour.getValue())) {
                fail("hour " + new Hour(hour.getKey()) + ": service says " + got + ", model says " + hour.getValue());
            }
        }
        return all.size();
    }

    private void fail(String problem) {
        synchronized (failures) {
            failures.add(problem);
        }
    }

    /** Prints the problems found, if any, and returns the exit status. */
    int report(PrintStream out) {
        synchronized (failures) {
            if (failures.isEmpty()) {
                out.println("exactness: every hour read back equals the model");
                return 0;
            }
            failures.stream().limit(20).forEach(f -> System.err.println("FAIL: " + f));
            System.err.println("COST RUN FAILED: " + failures.size() + " problem(s); the counts are not trustworthy");
            return 1;
        }
    }
}
