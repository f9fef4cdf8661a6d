package com.hourlyanalytics.testing;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.Pseudonyms;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.store.dynamodb.TableLayout;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Stores and settings that only tests build; production reads its settings from the environment. */
public final class TestStores {

    private TestStores() {
    }

    /** The first release's layout: one counter item per hour, markers kept forever, no marker cache; the local pseudonym key. */
    public static StoreSettings firstReleaseSettings(String tableName, String region, Optional<URI> endpoint) {
        return new StoreSettings(tableName, region, endpoint, 1, StoreSettings.MAX_COUNTER_SHARDS, Duration.ZERO, 0,
                Duration.ofHours(StoreSettings.DEFAULT_EVENT_ID_RETENTION_HOURS), List.of(Pseudonyms.LOCAL));
    }

    /** A store with {@link #firstReleaseSettings} on the table. */
    public static DynamoDbCounterStore firstRelease(DynamoDbClient client, String tableName) {
        return new DynamoDbCounterStore(client, firstReleaseSettings(tableName, "", Optional.empty()), Clock.systemUTC());
    }

    /** The key of the user's marker that a store with the local key writes in a table it started (pseudonyms from hour 0). */
    public static String markerKey(Partner partner, Hour hour, String userId) {
        return TableLayout.markerKey(partner, hour, Pseudonyms.LOCAL.of(partner, userId));
    }

    /**
     * Records in a new table what its first writer with the local key records (pseudonyms from hour 0), so that a
     * test's stores then read that record once (one GetItem) and write nothing else for it.
     */
    public static void recordLocalKey(DynamoDbClient client, String table) {
        client.putItem(b -> b.tableName(table).item(Map.of(TableLayout.KEY, AttributeValue.fromS("config#pseudonym-keys"),
                "from_" + Pseudonyms.LOCAL.id(), AttributeValue.fromN("0"))));
    }

    /** {@code base} with what a test changes. */
    public static Settings settings(StoreSettings base) {
        return new Settings(base);
    }

    /** Changes one setting at a time, as tests of scaled layouts need. */
    public static final class Settings {
        private StoreSettings settings;

        private Settings(StoreSettings base) {
            this.settings = base;
        }

        public Settings counterShards(int shards) {
            settings = new StoreSettings(settings.tableName(), settings.region(), settings.endpoint(), shards, settings.counterShardLimit(),
                    settings.markerRetention(), settings.markerCacheEntries(), settings.eventIdRetention(), settings.pseudonymKeys());
            return this;
        }

        public Settings counterShardLimit(int limit) {
            settings = new StoreSettings(settings.tableName(), settings.region(), settings.endpoint(), settings.counterShards(), limit,
                    settings.markerRetention(), settings.markerCacheEntries(), settings.eventIdRetention(), settings.pseudonymKeys());
            return this;
        }

        public Settings markerRetention(Duration retention) {
            settings = new StoreSettings(settings.tableName(), settings.region(), settings.endpoint(),
                    settings.counterShards(), settings.counterShardLimit(), retention, settings.markerCacheEntries(), settings.eventIdRetention(),
                    settings.pseudonymKeys());
            return this;
        }

        public Settings markerCacheEntries(int entries) {
            settings = new StoreSettings(settings.tableName(), settings.region(), settings.endpoint(),
                    settings.counterShards(), settings.counterShardLimit(), settings.markerRetention(), entries, settings.eventIdRetention(),
                    settings.pseudonymKeys());
            return this;
        }

        public Settings pseudonymKeys(Pseudonyms... keys) {
            settings = settings.withPseudonymKeys(List.of(keys));
            return this;
        }

        public StoreSettings build() {
            return settings;
        }
    }
}
