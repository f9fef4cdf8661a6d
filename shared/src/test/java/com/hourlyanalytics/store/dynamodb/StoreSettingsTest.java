package com.hourlyanalytics.store.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoreSettingsTest {

    @Test
    void fromEnvironment_unset_usesDefaults() {
        StoreSettings settings = StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t"));

        assertThat(settings.counterShards()).isEqualTo(StoreSettings.DEFAULT_COUNTER_SHARDS);
        assertThat(settings.counterShardLimit()).isEqualTo(StoreSettings.MAX_COUNTER_SHARDS);
        assertThat(settings.markerRetention()).isEqualTo(Duration.ofDays(35));
        assertThat(settings.markerCacheEntries()).isEqualTo(StoreSettings.DEFAULT_MARKER_CACHE_ENTRIES);
    }

    @Test
    void fromEnvironment_shardLimitBelowTheStartOrPastOneRead_isRefusedNamingIt() {
        for (String limit : List.of("4", "101")) {
            assertThatThrownBy(() -> StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t", "COUNTER_SHARDS", "8", "COUNTER_SHARD_LIMIT", limit)))
                    .as(limit).isInstanceOf(IllegalStateException.class)
                    .hasMessage("COUNTER_SHARD_LIMIT must be between COUNTER_SHARDS and 100");
        }
        assertThat(StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t", "COUNTER_SHARDS", "2", "COUNTER_SHARD_LIMIT", "8"))
                .counterShardLimit()).isEqualTo(8);
    }

    @Test
    void fromEnvironment_storeOnThisMachineWithoutASecret_usesTheLocalKey() {
        for (String endpoint : List.of("http://127.0.0.1:8000", "http://localhost:4567", "http://[::1]:8000")) {
            assertThat(StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t", "DYNAMODB_ENDPOINT", endpoint)).pseudonymKeys())
                    .as(endpoint).containsExactly(Pseudonyms.LOCAL);
        }
    }

    @Test
    void fromEnvironment_anyOtherStore_hasNoKey() {
        assertThat(StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t")).pseudonymKeys()).isEmpty();
        assertThat(StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t", "DYNAMODB_ENDPOINT", "https://dynamodb.eu-west-1.amazonaws.com"))
                .pseudonymKeys()).isEmpty();
        assertThat(StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t", "DYNAMODB_ENDPOINT", "http://10.0.0.5:8000")).pseudonymKeys()).isEmpty();
        // A named secret is read by the composition root, never replaced by the local key.
        assertThat(StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t", "DYNAMODB_ENDPOINT", "http://127.0.0.1:8000",
                "PSEUDONYM_KEY_SECRET", "s")).pseudonymKeys()).isEmpty();
    }

    @Test
    void fromEnvironment_set_readsShardsRetentionAndCache() {
        StoreSettings settings = StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t",
                "COUNTER_SHARDS", "1", "MARKER_RETENTION_DAYS", "30", "MARKER_CACHE_ENTRIES", "0"));

        assertThat(settings.counterShards()).isEqualTo(1);
        assertThat(settings.markerRetention()).isEqualTo(Duration.ofDays(30));
        assertThat(settings.markerCacheEntries()).isZero();
    }

    @Test
    void fromEnvironment_invalid_namesTheVariable() {
        assertThatThrownBy(() -> StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t", "COUNTER_SHARDS", "101")))
                .hasMessage("COUNTER_SHARDS must be between 1 and 100");
        assertThatThrownBy(() -> StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t", "COUNTER_SHARDS", "eight")))
                .hasMessage("environment variable COUNTER_SHARDS must be a whole number");
        assertThatThrownBy(() -> StoreSettings.fromEnvironment(Map.of("TABLE_NAME", "t", "MARKER_RETENTION_DAYS", "-1")))
                .hasMessage("MARKER_RETENTION_DAYS must not be negative");
    }
}
