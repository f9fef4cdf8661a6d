package com.hourlyanalytics.it.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hourlyanalytics.local.lambda.FunctionContainer;
import com.hourlyanalytics.local.lambda.InvocationOutcome;
import com.hourlyanalytics.testing.ApiEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every events/*.json through the function template.yaml routes it to, run as Lambda runs it: the shaded jar at
 * its CodeUri, its Handler, under the real runtime interface client, fed the event as JSON. Guards what the
 * handler tests cannot see: a jar filter or exclusion that drops a class the runtime loads fails here.
 */
class FunctionJarsInLambdaRuntimeIT {

    private static final Path ROOT = ApiEvents.repoRoot();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The events in the order sent (the GET reads what the POSTs wrote) and the exact answer to each. */
    private static final Map<String, Expected> EXPECTED = expectations();

    record Expected(String function, int status, Map<String, String> headers, String body) {
    }

    private static TemplateFunctions functions;

    private static Map<String, Expected> expectations() {
        Map<String, Expected> expected = new LinkedHashMap<>();
        expected.put("post-click.json", new Expected("IngestFunction", 204, Map.of(), null));
        expected.put("post-impression.json", new Expected("IngestFunction", 204, Map.of(), null));
        expected.put("post-bad-event.json", new Expected("IngestFunction", 400, Map.of("Content-Type", "text/plain"),
                "query parameter 'event' must be 'click' or 'impression'\n"));
        expected.put("get-hour.json", new Expected("QueryFunction", 200,
                Map.of("Content-Type", "text/plain", "Cache-Control", "no-store"), "unique_users,2\nclicks,1\nimpressions,1\n"));
        return expected;
    }

    @BeforeAll
    static void start() {
        functions = new TemplateFunctions(ROOT, "runtime-it", Map.of());
    }

    @AfterAll
    static void stop() {
        functions.close();
    }

    @Test
    void everyEvent_throughItsFunctionJarInTheRealRuntime_answersExactly() throws Exception {
        try (Stream<Path> files = Files.list(ROOT.resolve("events"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json") && !f.equals("local-env.json")))
                    .as("every event has an expected answer here").containsExactlyInAnyOrderElementsOf(EXPECTED.keySet());
        }
        for (var entry : EXPECTED.entrySet()) {
            Expected expected = entry.getValue();
            FunctionContainer container = functions.get(expected.function());
            InvocationOutcome outcome = container.invoke(Files.readAllBytes(ROOT.resolve("events").resolve(entry.getKey())));
            String payload = new String(outcome.payload(), StandardCharsets.UTF_8);

            assertThat(outcome).as("%s -> %s\n%s", entry.getKey(), payload, functions.log).isInstanceOf(InvocationOutcome.Response.class);
            JsonNode response = JSON.readTree(payload);
            assertThat(response.path("statusCode").asInt()).as(entry.getKey() + ": " + payload).isEqualTo(expected.status());
            assertThat(JSON.convertValue(response.path("headers"), Map.class)).as(entry.getKey()).isEqualTo(expected.headers());
            assertThat(response.path("body").isNull() || response.path("body").isMissingNode() ? null : response.path("body").asText())
                    .as(entry.getKey()).isEqualTo(expected.body());
        }
        assertThat(functions.containers.values()).allMatch(FunctionContainer::isAlive);
    }
}
