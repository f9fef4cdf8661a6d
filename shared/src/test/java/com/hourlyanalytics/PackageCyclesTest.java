package com.hourlyanalytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.testing.PackageDependencies;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** No package of shared uses one that uses it back, directly or through others. */
class PackageCyclesTest {

    @Test
    void sharedPackages_formNoCycle() {
        PackageDependencies shared = PackageDependencies.of(Hour.class);

        assertThat(shared.uses()).as("jdeps found shared's packages").containsKeys(
                "com.hourlyanalytics.http", "com.hourlyanalytics.model", "com.hourlyanalytics.observability",
                "com.hourlyanalytics.store", "com.hourlyanalytics.store.dynamodb");
        assertThat(shared.uses().get("com.hourlyanalytics.http")).contains("com.hourlyanalytics.model", "com.hourlyanalytics.store");
        assertThat(shared.cycles()).as("package cycles in\n%s", shared).isEmpty();
    }

    @Test
    void domain_usesNoOtherPackage() {
        assertThat(PackageDependencies.of(Hour.class).uses().get("com.hourlyanalytics.model")).isEmpty();
    }

    @Test
    void cycles_findsTwoPackagesThatUseEachOther() {
        // The shape before issue 9: api used observability, which used api's responses.
        var graph = PackageDependencies.ofUses(Map.of(
                "api", Set.of("observability", "model"),
                "observability", Set.of("api", "model"),
                "model", Set.of(),
                "ingest", Set.of("api")));

        assertThat(graph.cycles()).containsExactly(Set.of("api", "observability"));
    }
}
