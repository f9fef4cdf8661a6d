package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.store.dynamodb.CounterTable;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;

/**
 * {@code bench/load.sh}: drives the local runner (in this JVM, its own dynalite) over HTTP with a realistic mix,
 * loads one hour with a million events through the batch endpoint, compares GET latency of an empty and that
 * hour, measures the raw SDK floor, and finally reads every hour it wrote: any count that differs from its own
 * model, any unexpected status or any GET that missed an acknowledged write makes it exit 1.
 */
public final class LoadBenchmark {

    static final String POST_ROUTE = "POST /analytics";
    static final String GET_ROUTE = "GET /analytics";
    static final String BATCH_ROUTE = "POST /analytics/batch";
    private static final String FLOOR_TABLE = "load-floor";
    private static final long HOUR_MILLIS = Hour.MILLIS_PER_HOUR;
    /** Service and floor run in this many alternating slices. */
    private static final int ROUNDS = 5;

    record Config(long requests, long warmup, Duration duration, int clients, double postRatio, int users, double zipfExponent,
                  double pastShare, int pastHours, long bigHourEvents, int bigHourUsers, int getSamples, long seed,
                  Map<String, String> environment) {

        static final String USAGE = """
                usage: bench/load.sh [--requests N] [--warmup N] [--duration SECONDS] [--clients N] [--post-ratio 0..1]
                                     [--users N] [--zipf S] [--past-share 0..1] [--past-hours N]
                                     [--big-hour-events N] [--big-hour-users N] [--get-samples N] [--seed N]
                                     [--shards N] [--marker-cache N]
                defaults: 100000 requests after 3000 untimed ones (for service and floor alike), 60 s, 16 clients, 0.9 POST, 20000 users Zipf s=1.0, 5% of events in the
                6 previous hours, 1000000-event hour (0 skips it), 50000 users in it, 2000 GET samples per hour.
                --shards and --marker-cache set COUNTER_SHARDS and MARKER_CACHE_ENTRIES (also read from the environment).""";

        static Config parse(String[] args, Map<String, String> environment) {
            Map<String, String> options = new HashMap<>();
            for (int i = 0; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || i + 1 >= args.length) {
                    throw new IllegalArgumentException("expected --option value, got " + args[i]);
                }
                options.put(args[i].substring(2), args[i + 1]);
            }
            Map<String, String> env = new HashMap<>(environment);
            env.putIfAbsent(StoreSettings.TABLE_NAME, "load-benchmark");
            Optional.ofNullable(options.remove("shards")).ifPresent(v -> env.put(StoreSettings.COUNTER_SHARDS, v));
            Optional.ofNullable(options.remove("marker-cache")).ifPresent(v -> env.put(StoreSettings.MARKER_CACHE_ENTRIES, v));
            Config config = new Config(
                    Long.parseLong(options.getOrDefault("requests", "100000")),
                    Long.parseLong(options.getOrDefault("warmup", "3000")),
                    Duration.ofSeconds(Long.parseLong(options.getOrDefault("duration", "60"))),
                    Integer.parseInt(options.getOrDefault("clients", "16")),
                    Double.parseDouble(options.getOrDefault("post-ratio", "0.9")),
                    Integer.parseInt(options.getOrDefault("users", "20000")),
                    Double.parseDouble(options.getOrDefault("zipf", "1.0")),
                    Double.parseDouble(options.getOrDefault("past-share", "0.05")),
                    Integer.parseInt(options.getOrDefault("past-hours", "6")),
                    Long.parseLong(options.getOrDefault("big-hour-events", "1000000")),
                    Integer.parseInt(options.getOrDefault("big-hour-users", "50000")),
                    Integer.parseInt(options.getOrDefault("get-samples", "2000")),
                    Long.parseLong(options.getOrDefault("seed", "1")),
                    env);
            List.of("requests", "warmup", "duration", "clients", "post-ratio", "users", "zipf", "past-share", "past-hours",
                    "big-hour-events", "big-hour-users", "get-samples", "seed").forEach(options::remove);
            if (!options.isEmpty()) {
                throw new IllegalArgumentException("unknown option --" + options.keySet().iterator().next());
            }
            if (config.clients < 1 || config.clients > LocalApiServer.Limits.DEFAULT.maxConcurrent()) {
                throw new IllegalArgumentException("--clients must be 1 to " + LocalApiServer.Limits.DEFAULT.maxConcurrent()
                        + " (the runner sheds load past that)");
            }
            return config;
        }
    }

    /** The report's stream: the in-process handlers write their request log lines to System.out, discarded here. */
    private final PrintStream out = System.out;
    private final Config config;
    private final StoreSettings settings;
    private final StoreCallCounter storeCalls = new StoreCallCounter();
    private final ExpectedCounts expected = new ExpectedCounts();
    private final List<String> failures = new ArrayList<>();
    private final Latencies latencies = new Latencies();
    private final AtomicLong randomStreams = new AtomicLong();
    private final long currentHour = Hour.containing(System.currentTimeMillis()).index();
    private final long bigHour = currentHour - 30;
    private final long emptyHour = currentHour - 1000;

    private LoadBenchmark(Config config) {
        this.config = config;
        this.settings = StoreSettings.fromEnvironment(config.environment());
    }

    public static void main(String[] args) {
        Config config;
        try {
            config = Config.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(Config.USAGE);
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
        Path repoRoot = BenchArgs.repoRoot();
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        try (LocalRunner runner = new LocalRunner(new LocalRunner.Options(0, Optional.empty(), repoRoot,
                config.environment(), LocalApiServer.Limits.DEFAULT, List.of(storeCalls)))) {
            URI service = runner.baseUri();
            out.printf(Locale.ROOT, "service %s, %d counter shard(s), marker cache %d entries; %d clients, 2-core machine%n",
                    runner.baseUri(), settings.counterShards(), settings.markerCacheEntries(), config.clients);

            URI endpoint = runner.dynalite().map(DynaliteProcess::endpoint)
                    .orElseGet(() -> URI.create(config.environment().get(StoreSettings.DYNAMODB_ENDPOINT)));
            Phase mix = Phase.NONE;
            Phase floor = Phase.NONE;
            Map<String, Long> mixCalls = new TreeMap<>();
            try (DynamoDbClient floorClient = DynamoDbClients.create(
                    StoreSettings.fromEnvironment(Map.of(StoreSettings.TABLE_NAME, FLOOR_TABLE,
                            StoreSettings.AWS_REGION, settings.region(), StoreSettings.DYNAMODB_ENDPOINT, endpoint.toString())), List.of())) {
                CounterTable.createIfMissing(floorClient, FLOOR_TABLE);
                mix(service, "warm-up", config.warmup, config.duration, new Latencies());
                floor(floorClient, "floor warm-up", config.warmup, 0.5, new Latencies());
                // Alternating slices, so that service and floor see the same background load on a shared machine.
                for (int round = 1; round <= ROUNDS; round++) {
                    storeCalls.takeSnapshot();
                    Phase slice = mix(service, "mix " + round + "/" + ROUNDS, config.requests / ROUNDS,
                            config.duration.dividedBy(ROUNDS), latencies);
                    storeCalls.takeSnapshot().forEach((operation, count) -> mixCalls.merge(operation, count, Long::sum));
                    mix = mix.plus(slice);
                    double putsPerPost = mixCalls.getOrDefault("PutItem", 0L) / (double) Math.max(mix.posts, 1);
                    floor = floor.plus(floor(floorClient, "floor " + round + "/" + ROUNDS, slice.requests, putsPerPost, latencies));
                }
            }
            Phase bigHourLoad = config.bigHourEvents > 0 ? loadBigHour(service) : null;
            Map<String, Long> batchCalls = storeCalls.takeSnapshot();
            Latencies getByVolume;
            long hoursChecked;
            try (LoadApi api = new LoadApi(service)) {
                getByVolume = config.bigHourEvents > 0 ? getLatencyByVolume(api) : null;
                hoursChecked = verify(api);
            }

            report(mix, mixCalls, bigHourLoad, batchCalls, getByVolume, floor, hoursChecked);
        }
        if (!failures.isEmpty()) {
            System.err.println();
            failures.stream().limit(20).forEach(failure -> System.err.println("FAIL: " + failure));
            System.err.println("LOAD TEST FAILED: " + failures.size() + " problem(s); the counts are not trustworthy");
            return 1;
        }
        return 0;
    }

    /** What a phase did: requests completed, of which POSTs acknowledged, and its wall time. */
    private record Phase(long requests, long posts, long events, long nanos) {
        static final Phase NONE = new Phase(0, 0, 0, 0);

        Phase plus(Phase other) {
            return new Phase(requests + other.requests, posts + other.posts, events + other.events, nanos + other.nanos);
        }

        double perSecond(long count) {
            return count / (nanos / 1e9);
        }
    }

    /** The timestamp and hour of one event or read: ~95% now, the rest somewhere in the previous hours. */
    private long[] pickTime(SplittableRandom random) {
        long now = System.currentTimeMillis();
        if (random.nextDouble() >= config.pastShare) {
            return new long[] {now, Hour.containing(now).index()};
        }
        long hour = Hour.containing(now).index() - 1 - random.nextInt(config.pastHours);
        return new long[] {hour * HOUR_MILLIS + random.nextLong(HOUR_MILLIS), hour};
    }

    /** Each client of each phase draws its own sequence: a phase that replayed another's users would only hit the cache. */
    private SplittableRandom random(int client) {
        return new SplittableRandom(config.seed * 1_000_003 + randomStreams.incrementAndGet() * 1_000 + client);
    }

    private static EventType pickType(SplittableRandom random) {
        return random.nextInt(4) == 0 ? EventType.CLICK : EventType.IMPRESSION;
    }

    /** The timed mix, or its untimed warm-up: latencies go {@code into}. */
    private Phase mix(URI service, String phase, long requests, Duration duration, Latencies into) throws Exception {
        Zipf zipf = new Zipf(config.users, config.zipfExponent);
        AtomicLong issued = new AtomicLong();
        LongAdder done = new LongAdder();
        LongAdder posts = new LongAdder();
        long deadline = System.nanoTime() + duration.toNanos();
        long nanos = runClients(phase, service, config.clients, done::sum, requests, into, (client, api) -> {
            SplittableRandom random = random(client);
            Latencies mine = new Latencies();
            while (issued.getAndIncrement() < requests && System.nanoTime() < deadline) {
                long[] time = pickTime(random);
                if (random.nextDouble() < config.postRatio) {
                    String user = "user-" + zipf.next(random);
                    EventType type = pickType(random);
                    long start = System.nanoTime();
                    int status = api.post(time[0], user, type);
                    mine.add(POST_ROUTE, System.nanoTime() - start);
                    if (status == 204) {
                        expected.acknowledged(time[1], user, type);
                        posts.increment();
                    } else {
                        fail(POST_ROUTE + " answered " + status);
                    }
                } else {
                    HourCounts atLeast = expected.lowerBound(time[1]);
                    long start = System.nanoTime();
                    LoadApi.Response response = api.get(time[0]);
                    mine.add(GET_ROUTE, System.nanoTime() - start);
                    HourCounts got = LoadApi.counts(response);
                    if (got.uniqueUsers() < atLeast.uniqueUsers() || got.clicks() < atLeast.clicks()
                            || got.impressions() < atLeast.impressions()) {
                        fail("GET of hour " + time[1] + " missed acknowledged writes: " + got + " < " + atLeast);
                    }
                }
                done.increment();
            }
            return mine;
        });
        return new Phase(done.sum(), posts.sum(), posts.sum(), nanos);
    }

    /** Fills one past hour with {@code bigHourEvents} events in maximum-size batches, a few senders at once. */
    private Phase loadBigHour(URI service) throws Exception {
        AtomicLong left = new AtomicLong(config.bigHourEvents);
        LongAdder loaded = new LongAdder();
        LongAdder batches = new LongAdder();
        long nanos = runClients("hour with " + config.bigHourEvents + " events", service, Math.min(4, config.clients),
                loaded::sum, config.bigHourEvents, latencies, (client, api) -> {
                    SplittableRandom random = random(client);
                    Latencies mine = new Latencies();
                    for (long lines; (lines = claim(left, RequestValidator.MAX_BATCH_LINES)) > 0; ) {
                        StringBuilder body = new StringBuilder();
                        List<String> users = new ArrayList<>();
                        List<EventType> types = new ArrayList<>();
                        for (long i = 0; i < lines; i++) {
                            String user = "big-" + random.nextInt(config.bigHourUsers);
                            EventType type = pickType(random);
                            users.add(user);
                            types.add(type);
                            body.append(bigHour * HOUR_MILLIS + random.nextLong(HOUR_MILLIS)).append(',')
                                    .append(user).append(',').append(type.wireName()).append('\n');
                        }
                        long start = System.nanoTime();
                        int status = api.postBatch(body.toString());
                        mine.add(BATCH_ROUTE, System.nanoTime() - start);
                        if (status != 204) {
                            fail(BATCH_ROUTE + " answered " + status);
                            continue;
                        }
                        for (int i = 0; i < users.size(); i++) {
                            expected.acknowledged(bigHour, users.get(i), types.get(i));
                        }
                        loaded.add(lines);
                        batches.increment();
                    }
                    return mine;
                });
        return new Phase(batches.sum(), batches.sum(), loaded.sum(), nanos);
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

    /** One client, alternating an empty hour and the big hour, so that drift affects both alike. */
    private Latencies getLatencyByVolume(LoadApi api) throws Exception {
        Latencies byVolume = new Latencies();
        for (int i = 0; i < config.getSamples + 200; i++) {
            for (long hour : new long[] {emptyHour, bigHour}) {
                long start = System.nanoTime();
                LoadApi.counts(api.get(hour * HOUR_MILLIS));
                if (i >= 200) { // the first 200 rounds warm up the JIT and connections
                    byVolume.add(hour == emptyHour ? "empty hour" : "big hour", System.nanoTime() - start);
                }
            }
        }
        return byVolume;
    }

    /** Reads every hour written, and one never written; each must equal the model exactly. */
    private long verify(LoadApi api) throws Exception {
        Map<Long, HourCounts> all = new HashMap<>(expected.all());
        all.put(emptyHour, HourCounts.EMPTY);
        for (Map.Entry<Long, HourCounts> hour : all.entrySet()) {
            HourCounts got = LoadApi.counts(api.get(hour.getKey() * HOUR_MILLIS));
            if (!got.equals(hour.getValue())) {
                fail("hour " + new Hour(hour.getKey()) + ": service says " + got + ", model says " + hour.getValue());
            }
        }
        return all.size();
    }

    /**
     * The same store calls the mix made, straight through the SDK (same client settings) at the same concurrency,
     * on a separate table of the same dynalite: marker puts at the rate the service made them, one ADD per POST,
     * one BatchGetItem of every shard per GET.
     */
    private Phase floor(DynamoDbClient client, String phase, long requests, double putsPerPost, Latencies into) throws Exception {
        Zipf zipf = new Zipf(config.users, config.zipfExponent);
        int shards = settings.counterShards();
        AtomicLong issued = new AtomicLong();
        LongAdder done = new LongAdder();
        LongAdder posts = new LongAdder();
        long nanos = runClients(phase, null, config.clients, done::sum, requests, into, (c, unused) -> {
            SplittableRandom random = random(c);
            Latencies mine = new Latencies();
            while (issued.getAndIncrement() < requests) {
                Hour hour = new Hour(pickTime(random)[1]);
                long start = System.nanoTime();
                if (random.nextDouble() < config.postRatio) {
                    if (random.nextDouble() < putsPerPost) {
                        putMarker(client, hour, "user-" + zipf.next(random));
                    }
                    String key = TableLayout.counterKey(hour, ThreadLocalRandom.current().nextInt(shards));
                    client.updateItem(b -> b.tableName(FLOOR_TABLE).key(Map.of(TableLayout.KEY, AttributeValue.fromS(key)))
                            .updateExpression("ADD clicks :clicks").expressionAttributeValues(Map.of(":clicks", AttributeValue.fromN("1"))));
                    mine.add("floor " + POST_ROUTE, System.nanoTime() - start);
                    posts.increment();
                } else {
                    var keys = IntStream.range(0, shards).mapToObj(s ->
                            Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.counterKey(hour, s)))).toList();
                    client.batchGetItem(b -> b.requestItems(Map.of(FLOOR_TABLE,
                            KeysAndAttributes.builder().keys(keys).consistentRead(true).build())));
                    mine.add("floor " + GET_ROUTE, System.nanoTime() - start);
                }
                done.increment();
            }
            return mine;
        });
        return new Phase(done.sum(), posts.sum(), posts.sum(), nanos);
    }

    private static void putMarker(DynamoDbClient client, Hour hour, String user) {
        try {
            client.putItem(b -> b.tableName(FLOOR_TABLE)
                    .item(Map.of(TableLayout.KEY, AttributeValue.fromS(TableLayout.markerKey(hour, user))))
                    .conditionExpression("attribute_not_exists(" + TableLayout.KEY + ")"));
        } catch (ConditionalCheckFailedException alreadyThere) {
            // As in the service: the user was already counted in that hour.
        }
    }

    private interface Client {
        /** @param api this client's own connection to the service (opened on first use; unused by the floor) */
        Latencies run(int client, LoadApi api) throws Exception;
    }

    /** Runs the clients on platform threads with a progress line every 2 s; returns the wall time, latencies go {@code into}. */
    private long runClients(String phase, URI service, int clients, LongSupplier progress, long total, Latencies into,
                            Client body) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients + 1);
        long start = System.nanoTime();
        try {
            List<Future<Latencies>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int client = c;
                running.add(pool.submit((Callable<Latencies>) () -> {
                    try (LoadApi api = new LoadApi(service)) {
                        return body.run(client, api);
                    }
                }));
            }
            Future<?> display = pool.submit(() -> {
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(2_000);
                        double seconds = (System.nanoTime() - start) / 1e9;
                        System.err.printf(Locale.ROOT, "[%s] %5.1f s  %,d / %,d  (%,.0f/s)  failures %d%n",
                                phase, seconds, progress.getAsLong(), total, progress.getAsLong() / seconds, failureCount());
                    }
                } catch (InterruptedException stop) {
                    // The phase is over.
                }
            });
            for (Future<Latencies> client : running) {
                Latencies clientLatencies = client.get();
                into.addAll(clientLatencies);
            }
            display.cancel(true);
            return System.nanoTime() - start;
        } finally {
            pool.shutdownNow();
        }
    }

    private void fail(String problem) {
        synchronized (failures) {
            failures.add(problem);
        }
    }

    private int failureCount() {
        synchronized (failures) {
            return failures.size();
        }
    }

    private void report(Phase mix, Map<String, Long> mixCalls, Phase big, Map<String, Long> batchCalls,
                        Latencies getByVolume, Phase floor, long hoursChecked) {
        out.println();
        out.printf(Locale.ROOT, "mix: %,d requests in %.1f s = %,.0f requests/s (%,d POSTs = %,.0f events/s); %.0f%% POST,"
                        + " users Zipf(s=%.2f) over %,d, %.0f%% of events in the %d previous hours%n",
                mix.requests, mix.nanos / 1e9, mix.perSecond(mix.requests), mix.posts, mix.perSecond(mix.posts),
                config.postRatio * 100, config.zipfExponent, config.users, config.pastShare * 100, config.pastHours);
        out.println("latency ms                    p50      p95      p99    count");
        for (String route : latencies.routes()) {
            out.printf(Locale.ROOT, "%-24s %8.2f %8.2f %8.2f %8d%n", route, latencies.percentileMillis(route, 50),
                    latencies.percentileMillis(route, 95), latencies.percentileMillis(route, 99), latencies.count(route));
        }
        long gets = mix.requests - mix.posts;
        long puts = mixCalls.getOrDefault("PutItem", 0L);
        long updates = mixCalls.getOrDefault("UpdateItem", 0L);
        out.printf(Locale.ROOT, "store calls (counted at the SDK) per POST: PutItem %.3f (refused as existing %.3f),"
                        + " UpdateItem %.3f -> writes per event %.3f; per GET: BatchGetItem %.3f; all: %s%n",
                puts / (double) mix.posts, mixCalls.getOrDefault(StoreCallCounter.REFUSED, 0L) / (double) mix.posts,
                updates / (double) mix.posts, (puts + updates) / (double) mix.posts,
                mixCalls.getOrDefault("BatchGetItem", 0L) / (double) Math.max(gets, 1), mixCalls);
        if (big != null) {
            out.printf(Locale.ROOT, "batch: %,d events in %,d batches of up to %,d lines in %.1f s = %,.0f events/s;"
                            + " store calls %s = %.4f writes per event%n",
                    big.events, big.requests, RequestValidator.MAX_BATCH_LINES, big.nanos / 1e9, big.perSecond(big.events),
                    batchCalls, (batchCalls.getOrDefault("PutItem", 0L) + batchCalls.getOrDefault("UpdateItem", 0L)) / (double) big.events);
            double empty = getByVolume.percentileMillis("empty hour", 50);
            double full = getByVolume.percentileMillis("big hour", 50);
            out.printf(Locale.ROOT, "GET p50: empty hour %.3f ms, hour holding %,d events %.3f ms: ratio %.2f (goal <= 1.1;"
                            + " Postgres rows+COUNT(DISTINCT) measured here: 0.40 ms at 1k events, 1,963 ms at 1M)%n",
                    empty, config.bigHourEvents, full, full / empty);
        }
        double ratio = mix.perSecond(mix.requests) / floor.perSecond(floor.requests);
        out.printf(Locale.ROOT, "floor: the same store calls straight through the SDK, %d threads: %,.0f requests/s;"
                + " service/floor = %.2f (goal >= 0.8)%n", config.clients, floor.perSecond(floor.requests), ratio);
        out.printf(Locale.ROOT, "exactness: %d hours read back, %s%n", hoursChecked,
                failures.isEmpty() ? "every count equals the model" : failures.size() + " PROBLEMS (see below)");
    }
}
