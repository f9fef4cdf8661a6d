package com.hourlyanalytics.bench.cost;

import com.hourlyanalytics.bench.Clients;
import com.hourlyanalytics.bench.ExpectedCounts;
import com.hourlyanalytics.bench.LoadApi;
import com.hourlyanalytics.bench.PartnerMix;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.HourCounts;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The cost run's traffic: the partner mix and the batches, each checked against a model of what was acknowledged. */
final class CostLoad {

    private final ExpectedCounts expected = new ExpectedCounts();
    private final List<String> failures = new ArrayList<>();
    private final AtomicLong streams = new AtomicLong();
    private final PartnerMix partners;
    private final long seed;
    private final double postRatio;

    CostLoad(PartnerMix partners, long seed, double postRatio) {
        this.partners = partners;
        this.seed = seed;
        this.postRatio = postRatio;
    }

    private interface Client {
        void run(LoadApi api, SplittableRandom random) throws Exception;
    }

    /** {@code clients} threads ({@link Clients}), each with a random sequence of its own. */
    private void drive(String phase, LongSupplier done, long total, URI service, int clients, Client body) throws Exception {
        Clients.run(phase, service, clients, done, total, () -> "", (client, api) -> {
            body.run(api, new SplittableRandom(seed * 1_000_003 + streams.incrementAndGet()));
            return null;
        });
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
                long[] time = partners.time(random);
                if (random.nextDouble() < postRatio) {
                    String user = partners.user(random);
                    EventType type = PartnerMix.type(random);
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
                    LoadApi.Response response = api.get(time[0]);
                    if (response.status() != 200) {
                        fail("GET /analytics answered " + response.status());
                    } else if (ExpectedCounts.missedWrites(LoadApi.counts(response), atLeast)) {
                        fail("GET of hour " + time[1] + " missed acknowledged writes: " + LoadApi.counts(response) + " < " + atLeast);
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
        String prefix = "b" + lines + "-";
        drive("batches of " + lines + " lines", sent::sum, count, service, Math.min(clients, count), (api, random) -> {
            while (left.getAndDecrement() > 0) {
                StringBuilder body = new StringBuilder();
                long[][] events = new long[lines][];
                String[] users = new String[lines];
                for (int i = 0; i < lines; i++) {
                    events[i] = partners.time(random);
                    users[i] = prefix + partners.user(random);
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

    /** Every hour written must read back exactly as the model says. */
    long verify(LoadApi api) throws Exception {
        return expected.readBack(api, List.of(), this::fail);
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
