package com.hourlyanalytics.bench.cost;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.bench.LoadApi;
import com.hourlyanalytics.bench.PartnerMix;
import com.hourlyanalytics.bench.Zipf;
import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

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
                                 [--users N] [--zipf S] [--batches-100 N] [--batches-max N] [--seed N]
                                 [--shards N] [--marker-cache N] [--out FILE] [--prices FILE]
                   bench/cost.sh --from FILE [--prices FILE]      (the table from a saved run, no new run)
            defaults: 4 containers per function, 8 clients, 20000 mix requests (90% POST, users Zipf s=1.0 over 20000,
            5% of events in the 6 previous hours) within 180 s, 200 batches of 100 lines, 10 of the most lines a batch may have,
            counts saved to benchmarks/target/cost-run.properties, prices from bench/prices.properties.""";

    /** As the load benchmark's defaults: 5% of events in the 6 hours before the current one. */
    private static final double PAST_SHARE = 0.05;
    private static final int PAST_HOURS = 6;
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
        DEFAULTS.put("batches-max", "10");
        DEFAULTS.put("seed", "1");
        DEFAULTS.put("shards", "");
        DEFAULTS.put("marker-cache", "");
        DEFAULTS.put("out", "benchmarks/target/cost-run.properties");
        DEFAULTS.put("prices", "bench/prices.properties");
        DEFAULTS.put("from", "");
    }

    private final BenchArgs args;
    private final PrintStream out;
    private final ContainerLog log = new ContainerLog();
    private final CostLoad load;

    private CostBenchmark(BenchArgs args, PrintStream out) {
        this.args = args;
        this.out = out;
        this.load = new CostLoad(new PartnerMix(new Zipf(args.integer("users"), args.decimal("zipf")), PAST_SHARE, PAST_HOURS),
                args.longValue("seed"), args.decimal("post-ratio"));
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
            status = benchmark.load.report(out);
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
            load.mix(service, clients, "warm-up", 2_000, Duration.ofSeconds(120), userHours, new LongAdder(), new LongAdder());
            counts.warmup(log.takeAfterQuiet(1_000));

            LongAdder posts = new LongAdder();
            LongAdder newUserHours = new LongAdder();
            long mixRequests = load.mix(service, clients, "mix", args.integer("requests"),
                    Duration.ofSeconds(args.integer("duration")), userHours, posts, newUserHours);
            counts.mix(log.takeAfterQuiet(1_000), mixRequests, posts.sum(), newUserHours.sum());

            for (int lines : new int[] {100, RequestValidator.MAX_BATCH_LINES}) {
                long sent = load.batches(service, clients, lines, args.integer(lines == 100 ? "batches-100" : "batches-max"));
                counts.batches(lines, log.takeAfterQuiet(1_000), sent);
            }
            try (LoadApi api = new LoadApi(service)) {
                counts.hoursChecked(load.verify(api));
            }
            counts.rest(log.takeAfterQuiet(1_000));
        }
        return counts;
    }
}
