package com.hourlyanalytics.store.dynamodb;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where the table is. Read from the environment that template.yaml's Globals set, so Lambda,
 * {@code sam local invoke} and the local runner configure the store the same way.
 */
public record StoreSettings(String tableName, String region, Optional<URI> endpoint) {

    public static final String TABLE_NAME = "TABLE_NAME";
    public static final String DYNAMODB_ENDPOINT = "DYNAMODB_ENDPOINT";
    public static final String AWS_REGION = "AWS_REGION";
    /** How many items the hour's counter is split across (write sharding). */
    public static final String COUNTER_SHARDS = "COUNTER_SHARDS";
    /** Days a user-hour marker is kept after its hour ends; 0 or unset keeps markers forever. */
    public static final String MARKER_RETENTION_DAYS = "MARKER_RETENTION_DAYS";

    public static StoreSettings fromEnvironment(Map<String, String> environment) {
        String table = environment.get(TABLE_NAME);
        if (table == null || table.isBlank()) {
            throw new IllegalStateException("environment variable " + TABLE_NAME + " is not set");
        }
        String region = environment.getOrDefault(AWS_REGION, "us-east-1");
        String endpoint = environment.get(DYNAMODB_ENDPOINT);
        return new StoreSettings(table, region,
                endpoint == null || endpoint.isBlank() ? Optional.empty() : Optional.of(URI.create(endpoint)));
    }
}
