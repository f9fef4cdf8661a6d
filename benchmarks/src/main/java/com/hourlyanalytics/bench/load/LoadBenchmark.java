package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.bench.LoadApi;
import com.hourlyanalytics.bench.StoreCalls;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.store.dynamodb.CounterTable;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code bench/load.sh}: drives the local runner (in this JVM, its own dynalite) over HTTP with a realistic mix
 * ({@link MixPhase}) against the raw SDK floor ({@link FloorPhase}), loads one hour with a million events through
 * the batch endpoint and compares GET latency of an empty and that hour ({@link BigHourPhase}), and finally reads
 * every hour it wrote: any count that differs from its own model, any unexpected status or any GET that missed an
 * acknowledged write makes it exit 1.
 */
public final class LoadBenchmark {

    /** Service and floor run in this many alternating slices. */
    private static final int ROUNDS = 5;

    /** The report's stream: the in-process handlers write their request log lines to System.out, discarded here. */
    private final PrintStream out = System.out;
    private final LoadConfig config;
    private final Workload workload;
    private final StoreSettings settings;
    private final StoreCalls storeCalls = new StoreCalls();
    private final Latencies latencies = new Latencies();
    private final long currentHour = Hour.containing(System.currentTimeMillis()).index();
    private final long emptyHour = currentHour - 1000;
    private final BigHourPhase bigHour;

    private LoadBenchmark(LoadConfig config) {
        this.config = config;
        this.workload = new Workload(config);
        this.settings = StoreSettings.fromEnvironment(config.environment());
        this.bigHour = new BigHourPhase(workload, currentHour - 30, emptyHour);
    }

    public static void main(String[] args) {
        BenchArgs options = BenchArgs.parseOrExit(args, LoadConfig.USAGE, LoadConfig.DEFAULTS);
        LoadConfig config;
        try {
            config = LoadConfig.from(options, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        int status;
        try {
            status = new LoadBenchmark(config).run();
        } catch (Exception e) {
            e.printStackTrace();
            System.err.println("LOAD TEST FAILED: " + e);
            status = 1;
        }
        System.exit(status);
    }

    private int run() throws Exception {
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try (LocalRunner runner = new LocalRunner(new LocalRunner.Options(0, Optional.empty(), BenchArgs.repoRoot(),
                config.environment(), LocalApiServer.Limits.DEFAULT, List.of(storeCalls)))) {
            URI service = runner.baseUri();
            out.printf(Locale.ROOT, "service %s, %d counter shard(s), marker cache %d entries; %d clients, 2-core machine%n",
                    runner.baseUri(), settings.counterShards(), settings.markerCacheEntries(), config.clients());
            URI endpoint = runner.dynalite().map(DynaliteProcess::endpoint)
                    .orElseGet(() -> URI.create(config.environment().get(StoreSettings.DYNAMODB_ENDPOINT)));
            PhaseResult mix = PhaseResult.NONE;
            PhaseResult floor = PhaseResult.NONE;
            StoreCalls.Sums mixCalls = StoreCalls.NONE;
            MixPhase mixPhase = new MixPhase(workload, service);
            try (DynamoDbClient floorClient = DynamoDbClients.create(
                    StoreSettings.fromEnvironment(Map.of(StoreSettings.TABLE_NAME, FloorPhase.TABLE,
                            StoreSettings.AWS_REGION, settings.region(), StoreSettings.DYNAMODB_ENDPOINT, endpoint.toString())),
                    List.of())) {
                CounterTable.createIfMissing(floorClient, FloorPhase.TABLE);
                FloorPhase floorPhase = new FloorPhase(workload, floorClient, settings.counterShards());
                mixPhase.run("warm-up", config.warmup(), config.duration(), new Latencies());
                floorPhase.run("floor warm-up", config.warmup(), 0.5, new Latencies());
                // Alternating slices, so that service and floor see the same background load on a shared machine.
                for (int round = 1; round <= ROUNDS; round++) {
                    storeCalls.take();
                    PhaseResult slice = mixPhase.run("mix " + round + "/" + ROUNDS, config.requests() / ROUNDS,
                            config.duration().dividedBy(ROUNDS), latencies);
                    mixCalls = mixCalls.plus(storeCalls.take());
                    mix = mix.plus(slice);
                    double transactionsPerPost = mixCalls.calls("TransactWriteItems") / (double) Math.max(mix.posts(), 1);
                    floor = floor.plus(floorPhase.run("floor " + round + "/" + ROUNDS, slice.requests(), transactionsPerPost, latencies));
                }
            }
            PhaseResult bigHourLoad = config.bigHourEvents() > 0 ? bigHour.load(service, latencies) : null;
            StoreCalls.Sums batchCalls = storeCalls.take();
            Latencies getByVolume;
            List<StoreCalls.Sums> readsByVolume;
            long hoursChecked;
            try (LoadApi api = new LoadApi(service)) {
                getByVolume = config.bigHourEvents() > 0 ? bigHour.getLatencyByVolume(api) : null;
                readsByVolume = config.bigHourEvents() > 0 ? bigHour.readsPerGet(api, storeCalls) : null;
                hoursChecked = workload.expected.readBack(api, List.of(emptyHour), workload::fail);
            }
            new LoadReport(config, mix, mixCalls, latencies, bigHourLoad, batchCalls, getByVolume, readsByVolume, floor, hoursChecked,
                    workload.failures().size()).print(out);
        }
        List<String> failures = workload.failures();
        if (!failures.isEmpty()) {
            System.err.println();
            failures.stream().limit(20).forEach(failure -> System.err.println("FAIL: " + failure));
            System.err.println("LOAD TEST FAILED: " + failures.size() + " problem(s); the counts are not trustworthy");
            return 1;
        }
        return 0;
    }
}
