package com.hourlyanalytics.bench.contention;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.bench.StoreCalls;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.local.TransactionConflicts;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.dynamodb.CounterTable;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.IntStream;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code bench/contention.sh}: the hot hour as DynamoDB runs it, at scale. The emulator holds each transaction's items
 * for its window and rejects what meets them; the store's counters may widen to {@code --shard-limit} shards, so a
 * rate of R events/s puts R / (limit - 1) transactions/s on each transactional shard: the same per-shard rate as
 * R x 99 / (limit - 1) on DynamoDB at the deployed limit of 100. Per window and phase it prints refusals (503) and
 * why, conflicts per 1,000 events (the emulator's count, and the store's retries), write units per event, p50/p99
 * latency of the store call, and whether the hour read back exact after every refusal was resent (or, for events
 * without an id refused by a timeout, within the bound docs/reliability.md gives).
 */
public final class ContentionBenchmark {

    static final String USAGE = """
            usage: bench/contention.sh [--windows MS,MS] [--rate EVENTS_PER_S] [--users N] [--containers N]
                                       [--shards N] [--shard-limit N]
            defaults: windows 10,50 ms; 50 events/s; 1000 users; 4 containers; counters start at 2 shards and widen
            to 8 (7 that transactions use: per shard, 50 events/s here is 707/s at the deployed limit of 100).""";

    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("windows", "");
        DEFAULTS.put("rate", "50");
        DEFAULTS.put("users", "1000");
        DEFAULTS.put("containers", "4");
        DEFAULTS.put("shards", "2");
        DEFAULTS.put("shard-limit", "8");
    }

    private ContentionBenchmark() {
    }

    public static void main(String[] argv) throws Exception {
        BenchArgs args = BenchArgs.parseOrExit(argv, USAGE, DEFAULTS);
        int limit = args.integer("shard-limit");
        double rate = args.decimal("rate");
        List<Integer> windows = Arrays.stream(args.optional("windows").orElse("10,50").split(",")).map(String::strip).map(Integer::parseInt).toList();
        System.out.printf(Locale.ROOT, "%d events/s over %d containers, counters from %d to %d shards: %.1f transactions/s per "
                        + "transactional shard at most, as %.0f events/s at the deployed limit of 100%n", (long) rate,
                args.integer("containers"), args.integer("shards"), limit, rate / (limit - 1), rate * 99 / (limit - 1));
        System.out.println("| window | phase | events | refused (503) | conflicts per 1,000 events: transactions cancelled, plain writes rejected | store retries per 1,000 events | write units per event | p50 / p99 ms | exact |");
        System.out.println("|---:|---|---:|---|---:|---:|---:|---:|---|");
        boolean allExact = true;
        for (int window : windows) {
            allExact &= run(args, window, rate);
        }
        if (!allExact) {
            System.out.println("CONTENTION RUN FAILED: an hour read back outside what the acknowledged and unsure events allow");
            System.exit(1);
        }
    }

    private static boolean run(BenchArgs args, int window, double rate) throws Exception {
        int users = args.integer("users");
        Hour hour = Hour.containing(System.currentTimeMillis());
        Hour batchHour = hour.plus(-1);
        List<List<AnalyticsEvent>> newUsers = singles(users, u -> new AnalyticsEvent(hour.startMillis() + u, "u" + u, EventType.CLICK, "new-" + u));
        List<ContentionPhase> phases = List.of(
                new ContentionPhase("top of the hour: new users, with ids", newUsers, rate, true),
                new ContentionPhase("later: repeats, with ids", singles(users, u -> new AnalyticsEvent(hour.startMillis() + u, "u" + u, EventType.IMPRESSION, "again-" + u)), rate, false),
                new ContentionPhase("later: repeats, without ids", singles(users, u -> new AnalyticsEvent(hour.startMillis() + u, "u" + u, EventType.IMPRESSION)), rate, false),
                new ContentionPhase("batches of 100: new users, with ids", batches(users, batchHour), rate / 100, true));
        boolean exact = true;
        try (DynaliteProcess dynalite = DynaliteProcess.start(BenchArgs.repoRoot(), Optional.empty(), 0, Optional.of(Duration.ofMillis(window)))) {
            StoreCalls calls = new StoreCalls();
            List<DynamoDbClient> clients = new ArrayList<>();
            List<CounterStore> containers = new ArrayList<>();
            StoreSettings settings = settings(dynalite.endpoint(), args);
            for (int c = 0; c < args.integer("containers"); c++) {
                DynamoDbClient client = DynamoDbClients.create(settings, List.of(calls));
                if (c == 0) {
                    CounterTable.createIfMissing(client, settings.tableName());
                }
                clients.add(client);
                containers.add(new DynamoDbCounterStore(client, settings, Clock.systemUTC()));
            }
            // Untimed: the JVM's and the emulator's code warm up on an hour of their own, as a deployed function's has.
            Hour warmUpHour = hour.plus(-2);
            new ContentionPhase("warm-up", singles(users / 5, u -> new AnalyticsEvent(warmUpHour.startMillis() + u, "w" + u, EventType.CLICK, "warm-" + u)),
                    rate, true).run(containers);
            calls.take();
            Map<Hour, HourCounts> expected = new LinkedHashMap<>();
            Map<Hour, Long> unsure = new LinkedHashMap<>();
            for (ContentionPhase phase : phases) {
                Map<String, Long> before = TransactionConflicts.of(dynalite.endpoint());
                ContentionPhase.Outcome outcome = phase.run(containers);
                Map<String, Long> after = TransactionConflicts.of(dynalite.endpoint());
                StoreCalls.Sums sums = calls.take();
                HourCounts acknowledged = expected.merge(phase.hour(), phase.added(), HourCounts::plus);
                long mayBeTwice = unsure.merge(phase.hour(), outcome.unsure(), Long::sum);
                String verdict = verdict(containers.getFirst().countsFor(ContentionPhase.PARTNER, phase.hour()), acknowledged, mayBeTwice);
                exact &= !verdict.equals("NO");
                double perThousand = 1000.0 / outcome.events();
                System.out.printf(Locale.ROOT, "| %d ms | %s | %,d | %d%s | %.1f, %.1f | %.1f | %.2f | %.1f / %.1f | %s |%n", window, phase.name(),
                        outcome.events(), outcome.refused(), outcome.refusedByCode().isEmpty() ? "" : " " + outcome.refusedByCode(),
                        delta(before, after, "TransactWriteItems") * perThousand, delta(before, after, "UpdateItem") * perThousand,
                        sums.conflicted() * perThousand, sums.writeUnits() / outcome.events(), outcome.p50Millis(), outcome.p99Millis(),
                        verdict);
            }
            clients.forEach(DynamoDbClient::close);
        }
        return exact;
    }

    /**
     * "yes" when the hour reads back what was acknowledged; else within docs/reliability.md's bound for events without
     * an id (users exact, each event at least once, at most {@code unsure} more), or "NO".
     */
    private static String verdict(HourCounts read, HourCounts acknowledged, long unsure) {
        if (read.equals(acknowledged)) {
            return "yes";
        }
        long surplus = read.clicks() - acknowledged.clicks() + read.impressions() - acknowledged.impressions();
        boolean withinBound = read.uniqueUsers() == acknowledged.uniqueUsers() && read.clicks() >= acknowledged.clicks()
                && read.impressions() >= acknowledged.impressions() && surplus <= unsure;
        return withinBound ? String.format(Locale.ROOT, "within the 503 bound: +%d of %d unsure", surplus, unsure) : "NO";
    }

    private static StoreSettings settings(URI endpoint, BenchArgs args) {
        Map<String, String> environment = Map.of(StoreSettings.TABLE_NAME, "contention",
                StoreSettings.DYNAMODB_ENDPOINT, endpoint.toString(),
                StoreSettings.COUNTER_SHARDS, args.get("shards"), StoreSettings.COUNTER_SHARD_LIMIT, args.get("shard-limit"));
        return StoreSettings.fromEnvironment(environment);
    }

    private static List<List<AnalyticsEvent>> singles(int users, IntFunction<AnalyticsEvent> event) {
        return IntStream.range(0, users).mapToObj(u -> List.of(event.apply(u))).toList();
    }

    /** Every user once more, new in {@code hour}, 100 to a batch. */
    private static List<List<AnalyticsEvent>> batches(int users, Hour hour) {
        List<List<AnalyticsEvent>> batches = new ArrayList<>();
        for (int from = 0; from < users; from += 100) {
            batches.add(IntStream.range(from, Math.min(users, from + 100))
                    .mapToObj(u -> new AnalyticsEvent(hour.startMillis() + u, "u" + u, EventType.CLICK, "batch-" + u)).toList());
        }
        return batches;
    }

    private static long delta(Map<String, Long> before, Map<String, Long> after, String operation) {
        return after.getOrDefault(operation, 0L) - before.getOrDefault(operation, 0L);
    }
}
