package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.ingest.IngestHandler;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.query.QueryHandler;
import com.hourlyanalytics.testing.PackageDependencies;
import org.junit.jupiter.api.Test;

/** No package of the shipped modules and the runner uses one that uses it back, across module lines too. */
class PackageCyclesTest {

    @Test
    void everyModulesPackages_formNoCycle() {
        PackageDependencies all = PackageDependencies.of(Hour.class, IngestHandler.class, QueryHandler.class, LocalRunner.class);

        assertThat(all.uses()).containsKeys("com.hourlyanalytics.http", "com.hourlyanalytics.ingest",
                "com.hourlyanalytics.query", "com.hourlyanalytics.local", "com.hourlyanalytics.local.lambda");
        assertThat(all.cycles()).as("package cycles in\n%s", all).isEmpty();
    }
}
