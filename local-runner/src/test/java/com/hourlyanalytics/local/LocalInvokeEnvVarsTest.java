package com.hourlyanalytics.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hourlyanalytics.local.template.ServerlessFunction;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code ./invoke --env-vars FILE}: the file shipped for ./invoke is taken whole, with no note; sam's file
 * (events/local-env.json) gets one line saying its store is not used, and which is.
 */
class LocalInvokeEnvVarsTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Map<String, ServerlessFunction> FUNCTIONS = ServerlessFunction.readAll(ROOT.resolve("template.yaml"));

    @Test
    void shippedExample_everyVariableTaken_noNote() throws Exception {
        Path file = ROOT.resolve(LocalInvoke.ENV_VARS_EXAMPLE);
        JsonNode root = new ObjectMapper().readTree(file.toFile());

        for (ServerlessFunction function : FUNCTIONS.values()) {
            Map<String, String> taken = LocalInvoke.envVars(file, function);
            Map<String, String> written = new HashMap<>();
            for (JsonNode block : new JsonNode[] {root.path("Parameters"), root.path(function.logicalId())}) {
                block.properties().forEach(entry -> written.put(entry.getKey(), entry.getValue().asText()));
            }
            assertThat(written).as(function.logicalId()).isNotEmpty();
            assertThat(taken).as("%s: nothing in the file is dropped", function.logicalId()).isEqualTo(written);
            assertThat(LocalInvoke.storeNote(Optional.of(file), taken, Map.of())).as(function.logicalId()).isEmpty();
        }
    }

    @Test
    void samsFile_oneNoteNamingTheStoreUsed() {
        Path file = ROOT.resolve("events/local-env.json");
        Map<String, String> taken = LocalInvoke.envVars(file, FUNCTIONS.get("IngestFunction"));

        assertThat(taken).containsKey("DYNAMODB_ENDPOINT");
        assertThat(LocalInvoke.storeNote(Optional.of(file), taken, Map.of())).contains("note: " + file
                + " sets DYNAMODB_ENDPOINT for sam local invoke's container; ./invoke uses its own dynalite"
                + " (an --env-vars file for ./invoke alone: local-runner/invoke-env.json)");
        assertThat(LocalInvoke.storeNote(Optional.of(file), taken, Map.of("DYNAMODB_ENDPOINT", "http://127.0.0.1:4567")).orElseThrow())
                .contains("./invoke uses DYNAMODB_ENDPOINT from the environment");
    }
}
