package com.hourlyanalytics.store.dynamodb;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the table is and how the counters are laid out. Read from the environment that template.yaml's
 * Globals set, so Lambda, {@code sam local invoke} and the local runner configure the store the same way.
 *
 * @param counterShards      shards an hour's counter starts at, and every reader reads (1 to {@link #MAX_COUNTER_SHARDS})
 * @param counterShardLimit  the most shards an hour widens to under transaction conflicts ({@code counterShards} to
 *                           {@link #MAX_COUNTER_SHARDS})
 * @param markerRetention    how long a user-hour marker outlives its hour; zero keeps markers forever
 * @param markerCacheEntries user-hours this process remembers as already counted; zero disables the cache
 * @param eventIdRetention   how long an event id is remembered, so that a resend with it is not counted again
 * @param pseudonymKeys      the keys visitors' pseudonyms are made with, the current one first (docs/data-model.md);
 *                           none for a store that only reads counts
 */
public record StoreSettings(String tableName, String region, Optional<URI> endpoint,
                            int counterShards, int counterShardLimit, Duration markerRetention, int markerCacheEntries,
                            Duration eventIdRetention, List<Pseudonyms> pseudonymKeys) {

    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String AWS_REGION = "AWS_REGION";
    /** How many items the hour's counter starts split across (write sharding); every reader reads them. */
    public static final String COUNTER_SHARDS = "COUNTER_SHARDS";
    /** The most items an hour's counter widens to when its writes meet transaction conflicts. */
    public static final String COUNTER_SHARD_LIMIT = "COUNTER_SHARD_LIMIT";
    /** Days a user-hour marker is kept after its hour ends (default {@value #DEFAULT_MARKER_RETENTION_DAYS}); 0 keeps markers forever. */
    public static final String MARKER_RETENTION_DAYS = "MARKER_RETENTION_DAYS";
    /** Size of the in-process cache of user-hour markers known to exist; 0 disables it. */
    public static final String MARKER_CACHE_ENTRIES = "MARKER_CACHE_ENTRIES";
    /** Hours an event id is remembered after it was first counted (at least 24). */
    public static final String EVENT_ID_RETENTION_HOURS = "EVENT_ID_RETENTION_HOURS";
    /** The Secrets Manager secret whose versions are the pseudonym keys; empty for a store on this machine. */
    public static final String PSEUDONYM_KEY_SECRET = "PSEUDONYM_KEY_SECRET";
    /** The secret's version stages to read, comma-separated, the current key's first (docs/deployment.md, rotation). */
    public static final String PSEUDONYM_KEY_STAGES = "PSEUDONYM_KEY_STAGES";

    /** Room for ~8,000 counter writes/s on DynamoDB at 8 read units per GET: see docs/capacity.md. */
    public static final int DEFAULT_COUNTER_SHARDS = 8;
    /** One BatchGetItem reads at most 100 keys. */
    public static final int MAX_COUNTER_SHARDS = 100;
    /** Bounded so a container's heap stays small; see docs/capacity.md for writes per event with and without it. */
    public static final int DEFAULT_MARKER_CACHE_ENTRIES = 100_000;
    /**
     * Five weeks: a month's late back-fills still count exactly, storage stays bounded, and a visitor's markers are
     * gone (by TTL) within about as long as point-in-time recovery keeps copies (docs/capacity.md).
     */
    public static final int DEFAULT_MARKER_RETENTION_DAYS = 35;
    /** Seven days: storage is a small share of an event id's cost at any window (docs/cost.md). */
    public static final int DEFAULT_EVENT_ID_RETENTION_HOURS = 168;
    /** Partners resend for up to a day after an outage; a shorter window would count those resends again. */
    public static final Duration MIN_EVENT_ID_RETENTION = Duration.ofHours(24);

    public StoreSettings {
        if (counterShards < 1 || counterShards > MAX_COUNTER_SHARDS) {
            throw new IllegalStateException(COUNTER_SHARDS + " must be between 1 and " + MAX_COUNTER_SHARDS);
        }
        if (counterShardLimit < counterShards || counterShardLimit > MAX_COUNTER_SHARDS) {
            throw new IllegalStateException(COUNTER_SHARD_LIMIT + " must be between " + COUNTER_SHARDS + " and " + MAX_COUNTER_SHARDS);
        }
        if (markerRetention.isNegative()) {
            throw new IllegalStateException(MARKER_RETENTION_DAYS + " must not be negative");
        }
        if (markerCacheEntries < 0) {
            throw new IllegalStateException(MARKER_CACHE_ENTRIES + " must not be negative");
        }
        if (eventIdRetention.compareTo(MIN_EVENT_ID_RETENTION) < 0) {
            throw new IllegalStateException(EVENT_ID_RETENTION_HOURS + " must be at least " + MIN_EVENT_ID_RETENTION.toHours());
        }
        pseudonymKeys = List.copyOf(pseudonymKeys);
    }

    /**
     * The settings in the environment. The pseudonym key is {@link Pseudonyms#LOCAL} for a store on this machine
     * (DYNAMODB_ENDPOINT on a loopback address) when no secret is named, else none: only the ingest function's composition
     * root reads the secret ({@link PseudonymKeySecret}), so a process that only reads counts never holds it.
     */

    public static StoreSettings fromEnvironment(Map<String, String> environment) {
        String table = environment.get(TABLE_NAME);
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("environment variable " + TABLE_NAME + " is not set");
        }
        String region = environment.getOrDefault(AWS_REGION, "us-east-1");
        String endpoint = environment.get(DYNAMODB_ENDPOINT);
        Optional<URI> uri = endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint));
        boolean local = environment.getOrDefault(PSEUDONYM_KEY_SECRET, "").isBlank() && uri.filter(StoreSettings::isLoopback).isPresent();
        return new StoreSettings(table, region, uri,
                integer(environment, COUNTER_SHARDS, DEFAULT_COUNTER_SHARDS),
                integer(environment, COUNTER_SHARD_LIMIT, MAX_COUNTER_SHARDS),
                Duration.ofDays(integer(environment, MARKER_RETENTION_DAYS, DEFAULT_MARKER_RETENTION_DAYS)),
                integer(environment, MARKER_CACHE_ENTRIES, DEFAULT_MARKER_CACHE_ENTRIES),
                Duration.ofHours(integer(environment, EVENT_ID_RETENTION_HOURS, DEFAULT_EVENT_ID_RETENTION_HOURS)),
                local ? List.of(Pseudonyms.LOCAL) : List.of());
    }

    /** These settings with other pseudonym keys, the current one first. */
    public StoreSettings withPseudonymKeys(List<Pseudonyms> keys) {
        return new StoreSettings(tableName, region, endpoint, counterShards, counterShardLimit, markerRetention, markerCacheEntries,
                eventIdRetention, keys);
    }

    /** A literal loopback address, or localhost: never a deployed store. */
    private static boolean isLoopback(URI endpoint) {
        String host = endpoint.getHost();
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            // Only literals: a name is not looked up (its address could be anything, and init must not wait on DNS).
            return host.matches("[0-9.]+|\\[[0-9a-fA-F:.]+]") && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static int integer(Map<String, String> environment, String name, int defaultValue) {
        String raw = environment.get(name);
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(raw.strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be a whole number");
        }
    }
}
