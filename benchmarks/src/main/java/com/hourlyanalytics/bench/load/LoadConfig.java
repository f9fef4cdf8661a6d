package com.hourlyanalytics.bench.load;

import com.hourlyanalytics.bench.BenchArgs;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code bench/load.sh}'s options; {@code environment} is the runner's, with --shards and --marker-cache in it. */
record LoadConfig(long requests, long warmup, Duration duration, int clients, double postRatio, int users, double zipfExponent,
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

    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("requests", "100000");
        DEFAULTS.put("warmup", "3000");
        DEFAULTS.put("duration", "60");
        DEFAULTS.put("clients", "16");
        DEFAULTS.put("post-ratio", "0.9");
        DEFAULTS.put("users", "20000");
        DEFAULTS.put("zipf", "1.0");
        DEFAULTS.put("past-share", "0.05");
        DEFAULTS.put("past-hours", "6");
        DEFAULTS.put("big-hour-events", "1000000");
        DEFAULTS.put("big-hour-users", "50000");
        DEFAULTS.put("get-samples", "2000");
        DEFAULTS.put("seed", "1");
        DEFAULTS.put("shards", "");
        DEFAULTS.put("marker-cache", "");
    }

    static LoadConfig from(BenchArgs options, Map<String, String> environment) {
        Map<String, String> env = new HashMap<>(environment);
        env.putIfAbsent(StoreSettings.TABLE_NAME, "load-benchmark");
        options.optional("shards").ifPresent(v -> env.put(StoreSettings.COUNTER_SHARDS, v));
        options.optional("marker-cache").ifPresent(v -> env.put(StoreSettings.MARKER_CACHE_ENTRIES, v));
        LoadConfig config = new LoadConfig(options.longValue("requests"), options.longValue("warmup"),
                Duration.ofSeconds(options.longValue("duration")), options.integer("clients"), options.decimal("post-ratio"),
                options.integer("users"), options.decimal("zipf"), options.decimal("past-share"), options.integer("past-hours"),
                options.longValue("big-hour-events"), options.integer("big-hour-users"), options.integer("get-samples"),
                options.longValue("seed"), env);
        if (config.clients < 1 || config.clients > LocalApiServer.Limits.DEFAULT.maxConcurrent()) {
            throw new IllegalArgumentException("--clients must be 1 to " + LocalApiServer.Limits.DEFAULT.maxConcurrent()
                    + " (the runner sheds load past that)");
        }
        return config;
    }
}
