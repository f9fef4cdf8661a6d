package com.hourlyanalytics.bench.cost;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.bench.Progress;
import com.hourlyanalytics.bench.load.ExpectedCounts;
import com.hourlyanalytics.bench.load.LoadApi;
import com.hourlyanalytics.bench.load.Zipf;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * {@code bench/cost.sh}: the partner mix of the load benchmark, run through {@code --lambda} (the function jars in
 * containers under the real runtime client, several per function), counting per request type what a bill counts:
 * API requests, invocations and their billed milliseconds, cold starts, and the store's calls and capacity units,
 * summed over every container (see {@link ContainerStoreCounter}). Then reads every hour back (exact, or exit 1),
 * saves the counts and prints the cost table ({@link CostModel}).
 */
public final class CostBenchmark {

    static final String USAGE = """
            usage: bench/cost.sh [--containers N] [--clients N] [--requests N] [--duration SECONDS] [--post-ratio 0..1]
                                 [--users N] [--zipf S] [--batches-100 N] [--batches-10000 N] [--seed N]
                                 [--shards N] [--marker-cache N] [--out FILE] [--prices FILE]
                   bench/cost.sh --from FILE [--prices FILE]      (the table from a saved run, no new run)
            defaults: 4 containers per function, 8 clients, 20000 mix requests (90% POST, users Zipf s=1.0 over 20000,
            5% of events in the 6 previous hours) within 180 s, 200 batches of 100 lines, 10 of 10000 lines,
            counts saved to benchmarks/target/cost-run.properties, prices from bench/prices.properties.""";

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("containers", "4");
        DEFAULTS.put("clients", "8");
        DEFAULTS.put("requests", "20000");
        DEFAULTS.put("duration", "180");
        DEFAULTS.put("post-ratio", "0.9");
        DEFAULTS.put("users", "20000");
        DEFAULTS.put("zipf", "1.0");
        DEFAULTS.put("batches-100", "200");
        DEFAULTS.put("batches-10000", "10");
        DEFAULTS.put("seed", "1");
        DEFAULTS.put("shards", "");
        DEFAULTS.put("marker-cache", "");
        DEFAULTS.put("out", "benchmarks/target/cost-run.properties");
        DEFAULTS.put("prices", "bench/prices.properties");
        DEFAULTS.put("from", "");
    }
    private static final long HOUR_MILLIS = Hour.MILLIS_PER_HOUR;
    private static final double PAST_SHARE = 0.05;
    private static final int PAST_HOURS = 6;

    private final BenchArgs args;
    private final PrintStream out;
    private final ContainerLog log = new ContainerLog();
    private final ExpectedCounts expected = new ExpectedCounts();
    private final List<String> failures = new ArrayList<>();
    private final AtomicLong streams = new AtomicLong();
    private final Zipf zipf;
    private final long seed;

    private CostBenchmark(BenchArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
        this.zipf = new Zipf(args.integer("users"), args.decimal("zipf"));
        this.seed = args.integer("seed");
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = BenchArgs.parseOrExit(argv, USAGE, DEFAULTS);
        Path prices = BenchArgs.repoRoot().resolve(args.get("prices"));
        if (args.optional("from").isPresent()) {
            System.out.print(CostModel.table(RunCounts.load(Path.of(args.get("from"))), prices, BenchArgs.repoRoot()));
            return;
        }
        PrintStream out = System.out;
        CostBenchmark benchmark = new CostBenchmark(args, out);
        int status;
        try {
            RunCounts counts = benchmark.run();
            Path saved = BenchArgs.repoRoot().resolve(args.get("out"));
            counts.save(saved);
            out.println("counts saved to " + saved + "\n");
            out.print(CostModel.table(counts, prices, BenchArgs.repoRoot()));
            status = benchmark.report();
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println("COST RUN FAILED: " + e);
            status = 1;
        }
        System.exit(status);
    }

    private RunCounts run() throws Exception {
        Map<String, String> environment = new HashMap<>(System.getenv());
        environment.putIfAbsent(StoreSettings.TABLE_NAME, "cost-benchmark");
        args.optional("shards").ifPresent(v -> environment.put(StoreSettings.COUNTER_SHARDS, v));
        args.optional("marker-cache").ifPresent(v -> environment.put(StoreSettings.MARKER_CACHE_ENTRIES, v));
        StoreSettings settings = StoreSettings.fromEnvironment(environment);
        int containers = args.integer("containers");
        int clients = args.integer("clients");
        Path folder = Files.createTempDirectory("cost-benchmark");
        Path jar = CounterJar.write(folder);
        // Container lines (store calls, REPORT, cold starts) reach the log through System.out, as in ./run --lambda.
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        RunCounts counts = new RunCounts(containers, clients, settings.counterShards(), settings.markerCacheEntries());
        try (LocalRunner runner = new LocalRunner(new LocalRunner.Options(0, Optional.empty(), BenchArgs.repoRoot(), environment,
                LocalApiServer.Limits.DEFAULT, List.of()).inContainers(containers, List.of(jar)))) {
            URI service = runner.baseUri();
            out.printf(Locale.ROOT, "service %s --lambda, %d containers per function, %d clients, %d counter shard(s), marker cache %d%n",
                    service, containers, clients, settings.counterShards(), settings.markerCacheEntries());
            Set<String> userHours = ConcurrentHashMap.newKeySet();
            mix(service, clients, "warm-up", 2_000, Duration.ofSeconds(120), userHours, new LongAdder(), new LongAdder());
            counts.warmup(log.takeAfterQuiet(1_000));

            LongAdder posts = new LongAdder();
            LongAdder newUserHours = new LongAdder();
            long mixRequests = mix(service, clients, "mix", args.integer("requests"),
                    Duration.ofSeconds(args.integer("duration")), userHours, posts, newUserHours);
            counts.mix(log.takeAfterQuiet(1_000), mixRequests, posts.sum(), newUserHours.sum());

            for (int lines : new int[] {100, 10_000}) {
                long sent = batches(service, clients, lines, args.integer("batches-" + lines));
                counts.batches(lines, log.takeAfterQuiet(1_000), sent);
            }
            try (LoadApi api = new LoadApi(service)) {
                counts.hoursChecked(verify(api));
            }
            counts.rest(log.takeAfterQuiet(1_000));
        }
        return counts;
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
    private long mix(URI service, int clients, String phase, long requests, Duration duration, Set<String> userHours,
                     LongAdder posts, LongAdder newUserHours) throws Exception {
        double postRatio = args.decimal("post-ratio");
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
    private long batches(URI service, int clients, int lines, int count) throws Exception {
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
    private long verify(LoadApi api) throws Exception {
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

    private int report() {
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
