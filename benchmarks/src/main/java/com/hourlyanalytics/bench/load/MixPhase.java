package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.bench.ExpectedCounts;
import com.hourlyanalytics.bench.LoadApi;
import com.hourlyanalytics.bench.PartnerMix;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.HourCounts;
import java.net.URI;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The partners' mix over HTTP: POSTs of Zipf-drawn users and GETs that must see every acknowledged write. */
final class MixPhase {

    static final String POST_ROUTE = "POST /analytics";
    static final String GET_ROUTE = "GET /analytics";

    private final Workload workload;
    private final URI service;

    MixPhase(Workload workload, URI service) {
        this.workload = workload;
        this.service = service;
    }

    /** The timed mix, or its untimed warm-up: latencies go {@code into}. */
    PhaseResult run(String phase, long requests, Duration duration, Latencies into) throws Exception {
        LoadConfig config = workload.config;
        AtomicLong issued = new AtomicLong();
        LongAdder done = new LongAdder();
        LongAdder posts = new LongAdder();
        long deadline = System.nanoTime() + duration.toNanos();
        long nanos = workload.runClients(phase, service, config.clients(), done::sum, requests, into, (client, api) -> {
            SplittableRandom random = workload.random(client);
            Latencies mine = new Latencies();
            while (issued.getAndIncrement() < requests && System.nanoTime() < deadline) {
                long[] time = workload.mix.time(random);
                if (random.nextDouble() < config.postRatio()) {
                    post(api, time, workload.mix.user(random), PartnerMix.type(random), mine, posts);
                } else {
                    get(api, time, mine);
                }
                done.increment();
            }
            return mine;
        });
        return new PhaseResult(done.sum(), posts.sum(), posts.sum(), nanos);
    }

    private void post(LoadApi api, long[] time, String user, EventType type, Latencies mine, LongAdder posts) throws Exception {
        long start = System.nanoTime();
        int status = api.post(time[0], user, type);
        mine.add(POST_ROUTE, System.nanoTime() - start);
        if (status == 204) {
            workload.expected.acknowledged(time[1], user, type);
            posts.increment();
        } else {
            workload.fail(POST_ROUTE + " answered " + status);
        }
    }

    private void get(LoadApi api, long[] time, Latencies mine) throws Exception {
        HourCounts atLeast = workload.expected.lowerBound(time[1]);
        long start = System.nanoTime();
        LoadApi.Response response = api.get(time[0]);
        mine.add(GET_ROUTE, System.nanoTime() - start);
        if (response.status() != 200) {
            workload.fail(GET_ROUTE + " answered " + response.status());
            return;
        }
        HourCounts got = LoadApi.counts(response);
        if (ExpectedCounts.missedWrites(got, atLeast)) {
            workload.fail("GET of hour " + time[1] + " missed acknowledged writes: " + got + " < " + atLeast);
        }
    }
}
