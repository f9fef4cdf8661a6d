package com.hourlyanalytics.bench.overload;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.bench.Progress;
import com.hourlyanalytics.bench.Stats;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Where the local runner starts shedding: closed-loop clients (each sends its next POST when the last is
 * answered) at rising concurrency against the runner and its in-memory dynalite, one level at a time.
 * Prints per level throughput, 204 vs 503 "server busy" vs other answers and their latencies, then checks
 * the hour's clicks equal the 204s (a shed request must change nothing). Exit 1 if they do not.
 *
 * <p>Options: see {@link #USAGE}.
 */
public final class OverloadBenchmark {

    static final String USAGE = """
            usage: bench/overload.sh [--limits RUNNING,QUEUED,WAIT_MS] [--levels 32,128,512,...] [--seconds N]
            defaults: the runner's own limits (LocalApiServer.Limits.DEFAULT), levels 32,128,512,1024,1536,2048
            concurrent clients, 5 s per level.""";

    private static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(30);

    private OverloadBenchmark() {
    }

    record Level(int clients, long ok, long shed, long storeDown, long failed, Histogram okNanos, Histogram shedNanos, double seconds) {
    }

    public static void main(String[] args) throws Exception {
        BenchArgs options = BenchArgs.parseOrExit(args, USAGE,
                Map.of("limits", "", "levels", "32,128,512,1024,1536,2048", "seconds", "5"));
        LocalApiServer.Limits limits = limits(options.get("limits"));
        int[] levels = Arrays.stream(options.get("levels").split(",")).mapToInt(Integer::parseInt).toArray();
        int seconds = options.integer("seconds");
        long hourStart = (System.currentTimeMillis() / 3_600_000L - 1) * 3_600_000L;
        System.out.printf("overload benchmark: limits %d running, %d queued, %d ms queue wait; %d s per level; %d cores%n",
                limits.maxConcurrent(), limits.maxQueued(), limits.queueWaitMillis(), seconds,
                Runtime.getRuntime().availableProcessors());
        try (LocalRunner runner = new LocalRunner(new LocalRunner.Options(0, Optional.empty(), BenchArgs.repoRoot(), Map.of(), limits));
             HttpClient http = HttpClient.newBuilder().connectTimeout(CLIENT_TIMEOUT).build()) {
            URI post = URI.create(runner.baseUri() + "/analytics?event=click&timestamp=" + (hourStart + 1) + "&user=");
            System.out.println("clients |  req/s |   204/s | shed 503 % | other 503 | failed | 204 p50/p99 ms | shed p50/p99 ms");
            long acknowledged = 0;
            long storeDown = 0;
            Integer firstShedding = null;
            for (int clients : levels) {
                Level level = run(http, post, clients, seconds);
                acknowledged += level.ok();
                storeDown += level.storeDown();
                long total = level.ok() + level.shed() + level.storeDown() + level.failed();
                System.out.printf("%7d | %6.0f | %7.0f | %9.1f%% | %9d | %6d | %6d / %-6d | %6d / %d%n", clients,
                        total / level.seconds(), level.ok() / level.seconds(), 100.0 * level.shed() / Math.max(1, total),
                        level.storeDown(), level.failed(),
                        wholeMillis(level.okNanos(), 50), wholeMillis(level.okNanos(), 99),
                        wholeMillis(level.shedNanos(), 50), wholeMillis(level.shedNanos(), 99));
                if (firstShedding == null && level.shed() > 0) {
                    firstShedding = clients;
                }
            }
            System.out.println(firstShedding == null ? "no level was shed"
                    : "shedding starts at " + firstShedding + " concurrent clients (first level with a 503 server busy)");
            long clicks = clicks(http, runner.baseUri(), hourStart);
            boolean exact = clicks >= acknowledged && clicks <= acknowledged + storeDown;
            System.out.printf("exactness: hour shows %d clicks; %d acknowledged, %d store 503s -> %s%n",
                    clicks, acknowledged, storeDown, exact ? "OK" : "MISMATCH");
            if (!exact) {
                System.exit(1);
            }
        }
    }

    private static Level run(HttpClient http, URI post, int clients, int seconds) throws InterruptedException {
        LongAdder ok = new LongAdder();
        LongAdder shed = new LongAdder();
        LongAdder storeDown = new LongAdder();
        LongAdder failed = new LongAdder();
        Recorder okNanos = Stats.recorder();
        Recorder shedNanos = Stats.recorder();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(seconds);
        // The pool is closed first: that waits for the clients, while the progress line still prints.
        try (Progress progress = Progress.start(clients + " clients", () -> ok.sum() + shed.sum() + storeDown.sum() + failed.sum(), 0,
                     () -> String.format(Locale.ROOT, "  shed %,d", shed.sum()));
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < clients; c++) {
                pool.execute(() -> {
                    while (System.nanoTime() < deadline) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(post + "u" + ThreadLocalRandom.current().nextInt(10_000)))
                                .POST(HttpRequest.BodyPublishers.noBody()).timeout(CLIENT_TIMEOUT).build();
                        long sent = System.nanoTime();
                        try {
                            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                            long nanos = System.nanoTime() - sent;
                            if (response.statusCode() == 204) {
                                ok.increment();
                                okNanos.recordValue(nanos);
                            } else if (response.statusCode() == 503 && response.body().startsWith("server busy")) {
                                shed.increment();
                                shedNanos.recordValue(nanos);
                            } else if (response.statusCode() == 503) {
                                storeDown.increment();
                            } else {
                                failed.increment();
                            }
                        } catch (IOException e) {
                            failed.increment();
                            failures.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(), k -> new LongAdder()).increment();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                });
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        failures.forEach((cause, count) -> System.out.printf("        (no HTTP answer %d x: %s)%n", count.sum(), cause));
        return new Level(clients, ok.sum(), shed.sum(), storeDown.sum(), failed.sum(), okNanos.getIntervalHistogram(), shedNanos.getIntervalHistogram(), elapsed);
    }

    private static long clicks(HttpClient http, URI base, long hourStart) throws IOException, InterruptedException {
        String body = http.send(HttpRequest.newBuilder(URI.create(base + "/analytics?timestamp=" + hourStart)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return Long.parseLong(body.split("\n")[1].substring("clicks,".length()));
    }

    /** A percentile in whole milliseconds, as the table prints it. */
    private static long wholeMillis(Histogram nanos, double percentile) {
        return (long) Stats.percentileMillis(nanos, percentile);
    }

    private static LocalApiServer.Limits limits(String spec) {
        if (spec.isBlank()) {
            return LocalApiServer.Limits.DEFAULT;
        }
        String[] parts = spec.split(",");
        return new LocalApiServer.Limits(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Long.parseLong(parts[2]));
    }
}
