package com.hourlyanalytics.it.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.hourlyanalytics.it.fixture.Emulator;
import com.hourlyanalytics.local.DynaliteProcess;
import com.hourlyanalytics.store.dynamodb.CounterTable;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shaded function jars alone (what Lambda runs) can build their handler from the environment, prime for
 * SnapStart and serve a request against dynalite: guards the lean-jar filters in the parent pom.
 */
class ShadedJarsIT {

    private static final Path ROOT = ApiEvents.repoRoot();
    private static final String TABLE = "shaded-jars-it";
    private static final String USER = "shaded-user-5b0c";

    private static DynaliteProcess dynalite;

    @BeforeAll
    static void startDynalite() {
        dynalite = Emulator.start();
        try (var client = DynamoDbClients.create(StoreSettings.fromEnvironment(environment()), List.of())) {
            CounterTable.createIfMissing(client, TABLE);
        }
    }

    @AfterAll
    static void stopDynalite() {
        dynalite.close();
    }

    @Test
    void functionJars_primeThenServeTheirRoute_fromTheirOwnClassesOnly() throws Exception {
        String ingest = probe("ingest-function", "com.hourlyanalytics.ingest.IngestHandler", "POST",
                "timestamp=1709287200001", "user=" + USER, "event=impression");
        String query = probe("query-function", "com.hourlyanalytics.query.QueryHandler", "GET", "timestamp=1709287200000");

        assertThat(ingest).contains("status=204").contains("\"outcome\":\"accepted\"").doesNotContain(USER);
        assertThat(query).contains("status=200").contains("body=unique_users,1|clicks,0|impressions,1|");
    }

    private static String probe(String module, String handler, String... request) throws Exception {
        Path jar = ROOT.resolve(module + "/target/" + module + ".jar");
        assertThat(jar).as("run 'mvn package' first").exists();
        String probeClasses = new File(ShadedJarProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", jar + File.pathSeparator + probeClasses, ShadedJarProbe.class.getName(), handler));
        command.addAll(List.of(request));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment());
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static Map<String, String> environment() {
        return Map.of(StoreSettings.TABLE_NAME, TABLE, StoreSettings.DYNAMODB_ENDPOINT, dynalite.endpoint().toString(),
                StoreSettings.AWS_REGION, "us-east-1", StoreSettings.MARKER_RETENTION_DAYS, "0");
    }
}
