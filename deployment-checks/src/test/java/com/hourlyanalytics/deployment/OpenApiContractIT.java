package com.hourlyanalytics.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.local.LocalApiServer;
import com.hourlyanalytics.local.LocalRunner;
import com.hourlyanalytics.local.gateway.GatewayResponses;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.http.InvalidRequestException;
import com.hourlyanalytics.http.QueryParameters;
import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml against the real handlers, served by the local runner on a fresh dynalite for each test.
 * The spec's description says what its {@code x-request}, {@code x-gateway-response} and {@code x-draft}
 * extensions mean to this test.
 */
class OpenApiContractIT {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch");
    private static final JsonNode SPEC = readSpec();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private LocalRunner runner;

    /** One documented example of one response of one operation. */
    record Case(String method, String path, int status, String name, JsonNode response, JsonNode example) {
        @Override
        public String toString() {
            return method.toUpperCase() + " " + path + " " + status + " example '" + name + "'";
        }
    }

    /** A fresh runner and store for each test that sends requests; started on first use. */
    private LocalRunner runner() throws IOException {
        if (runner == null) {
            runner = new LocalRunner(new LocalRunner.Options(0, Optional.empty(), ApiEvents.repoRoot(), Map.of(),
                    LocalApiServer.Limits.DEFAULT));
        }
        return runner;
    }

    @AfterEach
    void stopRunner() {
        if (runner != null) {
            runner.close();
        }
    }

    @Test
    void everyDocumentedStatus_hasAnExampleThisTestChecks() {
        SoftAssertions softly = new SoftAssertions();
        operations(false).forEach(operation -> operation.path("responses").properties().forEach(response -> {
            List<Case> cases = cases(operation).stream().filter(c -> c.status() == Integer.parseInt(response.getKey())).toList();
            softly.assertThat(cases).as("%s %s: examples", operation.path("x-path").asText(), response.getKey()).isNotEmpty();
            cases.forEach(c -> softly.assertThat(c.example().has("x-request") || c.example().has("x-gateway-response"))
                    .as("%s has x-request or x-gateway-response", c).isTrue());
        }));
        softly.assertAll();
    }

    @Test
    void examplesWithARequest_getTheDocumentedStatusBodyAndHeadersFromTheHandlers() throws Exception {
        List<Case> cases = operations(false).stream().flatMap(o -> cases(o).stream())
                .filter(c -> c.example().has("x-request")).toList();
        assertThat(cases).isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        // In document order on one store, so the 200 example sees the 204 examples; the store goes last.
        for (Case c : cases) {
            if (!c.example().at("/x-request/storeDown").asBoolean()) {
                check(softly, c);
            }
        }
        runner().dynalite().orElseThrow().kill();
        for (Case c : cases) {
            if (c.example().at("/x-request/storeDown").asBoolean()) {
                check(softly, c);
            }
        }
        softly.assertAll();
    }

    @Test
    void examplesFromApiGateway_matchTheTemplatesGatewayResponses() {
        JsonNode gatewayResponses = Template.load().api().getValue().at("/Properties/GatewayResponses");
        GatewayResponses runnerResponses = GatewayResponses.fromTemplate(ApiEvents.repoRoot().resolve("template.yaml"));
        List<Case> cases = operations(false).stream().flatMap(o -> cases(o).stream())
                .filter(c -> c.example().has("x-gateway-response")).toList();
        assertThat(cases).isNotEmpty();
        SoftAssertions softly = new SoftAssertions();
        for (Case c : cases) {
            String type = c.example().path("x-gateway-response").asText();
            JsonNode configured = gatewayResponses.path(type);
            softly.assertThat(configured.isMissingNode()).as("%s: template has gateway response %s", c, type).isFalse();
            softly.assertThat(configured.path("StatusCode").asText()).as("%s status", c).isEqualTo(Integer.toString(c.status()));
            softly.assertThat(configured.at("/ResponseTemplates/application~1json").asText()).as("%s body", c)
                    .isEqualTo(c.example().path("value").asText());
            JsonNode headers = configured.at("/ResponseParameters/Headers");
            softly.assertThat(headers.path("Content-Type").asText()).as("%s Content-Type", c).isEqualTo("'text/plain'");
            requiredHeaders(c.response()).forEach(header ->
                    softly.assertThat(headers.has(header)).as("%s sets required header %s", c, header).isTrue());
            // The local runner answers this type as the deployed API does.
            APIGatewayProxyResponseEvent local = runnerResponses.answer(GatewayResponses.Type.valueOf(type));
            softly.assertThat(local.getStatusCode()).as("%s: the runner's status", c).isEqualTo(c.status());
            softly.assertThat(local.getBody()).as("%s: the runner's body", c).isEqualTo(c.example().path("value").asText());
            requiredHeaders(c.response()).forEach(header ->
                    softly.assertThat(local.getHeaders()).as("%s: the runner's headers", c).containsKey(header));
        }
        softly.assertAll();
    }

    @Test
    void draftOperations_areNotServedYet() throws Exception {
        List<JsonNode> drafts = operations(true);
        for (JsonNode draft : drafts) {
            HttpResponse<String> response = send(draft.path("x-method").asText(), draft.path("x-path").asText(), "", new byte[0]);
            assertThat(response.statusCode())
                    .as("%s %s is served now: document it in docs/openapi.yaml (examples with x-request for every status)"
                            + " and remove its x-draft", draft.path("x-method").asText().toUpperCase(), draft.path("x-path").asText())
                    .isEqualTo(404);
            assertThat(response.body()).isEqualTo(HttpResponses.notFound().getBody());
        }
    }

    @Test
    void parameterLimits_areTheValidatorsAndHoldAtTheirEdges() throws Exception {
        JsonNode post = SPEC.at("/paths/~1analytics/post");
        JsonNode get = SPEC.at("/paths/~1analytics/get");
        JsonNode postTimestamp = parameter(post, "timestamp");
        JsonNode getTimestamp = parameter(get, "timestamp");
        JsonNode user = parameter(post, "user");
        JsonNode event = parameter(post, "event");

        for (JsonNode timestamp : List.of(postTimestamp, getTimestamp)) {
            assertThat(timestamp.at("/schema/minimum").asLong(-1)).isZero();
            assertThat(timestamp.at("/schema/maximum").asLong()).isEqualTo(RequestValidator.MAX_TIMESTAMP_MILLIS);
        }
        long maxAhead = postTimestamp.path("x-max-ahead-of-server-ms").asLong();
        assertThat(maxAhead).isEqualTo(RequestValidator.MAX_CLOCK_SKEW.toMillis());
        int maxUserBytes = user.path("x-max-utf8-bytes").asInt();
        assertThat(maxUserBytes).isEqualTo(RequestValidator.MAX_USER_ID_BYTES);
        assertThat(user.at("/schema/maxLength").asInt()).as("no id of more characters fits the bytes").isEqualTo(maxUserBytes);
        List<String> events = StreamSupport.stream(event.at("/schema/enum").spliterator(), false).map(JsonNode::asText).toList();
        assertThat(events).containsExactlyElementsOf(Arrays.stream(EventType.values()).map(EventType::wireName).toList());

        long max = RequestValidator.MAX_TIMESTAMP_MILLIS;
        assertThat(get("timestamp=" + max).statusCode()).isEqualTo(200);
        assertThat(get("timestamp=" + (max + 1)).statusCode()).isEqualTo(400);
        long now = System.currentTimeMillis();
        // A minute's margin either side of the limit: far more than this test's run time.
        assertThat(post(now + maxAhead - 60_000, "edge", events.get(0)).statusCode()).isEqualTo(204);
        assertThat(post(now + maxAhead + 60_000, "edge", events.get(0)).statusCode()).isEqualTo(400);
        String longest = "é".repeat(maxUserBytes / 2);
        assertThat(post(now, longest, events.get(0)).statusCode()).isEqualTo(204);
        assertThat(post(now, longest + "u", events.get(0)).statusCode()).isEqualTo(400);
        for (String type : events) {
            assertThat(post(now, "u1", type).statusCode()).as("event=%s", type).isEqualTo(204);
        }
        assertThat(post(now, "u1", events.get(0).toUpperCase()).statusCode()).isEqualTo(400);

        JsonNode eventId = parameter(post, "event_id");
        assertThat(eventId.path("required").asBoolean()).isFalse();
        int maxEventId = eventId.at("/schema/maxLength").asInt();
        assertThat(maxEventId).isEqualTo(RequestValidator.MAX_EVENT_ID_LENGTH);
        assertThat(eventId.at("/schema/minLength").asInt()).isEqualTo(1);
        assertThat(StreamSupport.stream(eventId.at("/schema/not/enum").spliterator(), false).map(JsonNode::asText).toList())
                .as("event types are never event ids").containsExactlyElementsOf(events);
        String query = "timestamp=" + now + "&user=u1&event=" + events.get(0) + "&event_id=";
        assertThat(send("POST", "/analytics", query + "x".repeat(maxEventId), new byte[0]).statusCode()).isEqualTo(204);
        assertThat(send("POST", "/analytics", query + "x".repeat(maxEventId + 1), new byte[0]).statusCode()).isEqualTo(400);
        assertThat(send("POST", "/analytics", query + events.get(1), new byte[0]).statusCode()).isEqualTo(400);
    }

    @Test
    void eventIdPattern_acceptsExactlyTheCharactersTheValidatorAccepts() {
        Pattern pattern = Pattern.compile(parameter(SPEC.at("/paths/~1analytics/post"), "event_id").at("/schema/pattern").asText());
        RequestValidator validator = new RequestValidator(Clock.systemUTC());
        List<String> disagreements = new ArrayList<>();
        // Every BMP character but surrogates, and two beyond it, between two characters every id may hold.
        int[] codePoints = IntStream.concat(IntStream.range(0, 0x10000), IntStream.of(0x1F600, 0x10FFFD))
                .filter(c -> Character.getType(c) != Character.SURROGATE).toArray();
        for (int c : codePoints) {
            String eventId = "a" + Character.toString(c) + "a";
            boolean codeAccepts;
            try {
                validator.event(new QueryParameters(Map.of("timestamp", List.of("0"), "user", List.of("u"), "event", List.of("click"),
                        "event_id", List.of(eventId))));
                codeAccepts = true;
            } catch (InvalidRequestException e) {
                codeAccepts = false;
            }
            if (pattern.matcher(eventId).matches() != codeAccepts) {
                disagreements.add(String.format("U+%04X", c));
            }
        }
        assertThat(disagreements).as("characters the spec and the validator disagree on").isEmpty();
    }

    @Test
    void userPattern_acceptsExactlyTheCharactersTheValidatorAccepts() {
        Pattern pattern = Pattern.compile(parameter(SPEC.at("/paths/~1analytics/post"), "user").at("/schema/pattern").asText());
        List<String> disagreements = new ArrayList<>();
        // Every BMP character but surrogates (not text on their own), and two beyond it.
        int[] codePoints = IntStream.concat(IntStream.range(0, 0x10000), IntStream.of(0x1F600, 0x10FFFD))
                .filter(c -> Character.getType(c) != Character.SURROGATE).toArray();
        for (int c : codePoints) {
            String user = "a" + Character.toString(c) + "a";
            boolean codeAccepts;
            try {
                RequestValidator.userId(user);
                codeAccepts = true;
            } catch (InvalidRequestException e) {
                codeAccepts = false;
            }
            if (pattern.matcher(user).matches() != codeAccepts) {
                disagreements.add(String.format("U+%04X", c));
            }
        }
        assertThat(disagreements).as("characters the spec and the validator disagree on").isEmpty();
    }

    @Test
    void spec_documentsTheTemplatesRoutesBehindItsApiKey() {
        JsonNode scheme = SPEC.at("/components/securitySchemes/apiKey");
        assertThat(List.of(scheme.path("type").asText(), scheme.path("in").asText(), scheme.path("name").asText()))
                .containsExactly("apiKey", "header", "x-api-key");
        assertThat(SPEC.at("/security/0").has("apiKey")).as("every operation needs the key").isTrue();

        Template template = Template.load();
        Set<String> templatePaths = new TreeSet<>();
        template.resources("AWS::Serverless::Function").values().forEach(function ->
                function.at("/Properties/Events").forEach(e -> templatePaths.add(e.at("/Properties/Path").asText())));
        Set<String> specPaths = new TreeSet<>();
        SPEC.path("paths").fieldNames().forEachRemaining(specPaths::add);
        assertThat(specPaths).isEqualTo(templatePaths);
    }

    private void check(SoftAssertions softly, Case c) throws Exception {
        JsonNode request = c.example().path("x-request");
        byte[] body = request.has("bodyBytes") ? "x".repeat(request.path("bodyBytes").asInt()).getBytes(StandardCharsets.UTF_8)
                : request.path("body").asText("").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = send(request.path("method").asText(c.method()), request.path("path").asText(c.path()),
                request.path("query").asText(""), body);

        softly.assertThat(response.statusCode()).as("%s: status", c).isEqualTo(c.status());
        softly.assertThat(response.body()).as("%s: body", c).isEqualTo(c.example().path("value").asText(""));
        JsonNode content = c.response().path("content");
        if (content.has("text/plain")) {
            softly.assertThat(response.headers().firstValue("Content-Type")).as("%s: Content-Type", c).hasValue("text/plain");
            String pattern = content.at("/text~1plain/schema/pattern").asText(null);
            if (pattern != null) {
                softly.assertThat(response.body()).as("%s: body matches the schema pattern", c).matches(Pattern.compile(pattern));
            }
        }
        c.response().path("headers").properties().forEach(header -> {
            JsonNode definition = resolve(header.getValue());
            if (definition.path("required").asBoolean()) {
                Optional<String> value = response.headers().firstValue(header.getKey());
                softly.assertThat(value).as("%s: header %s", c, header.getKey()).isPresent();
                JsonNode allowed = definition.at("/schema/enum");
                if (allowed.isArray() && value.isPresent()) {
                    softly.assertThat(StreamSupport.stream(allowed.spliterator(), false).map(JsonNode::asText).toList())
                            .as("%s: header %s", c, header.getKey()).contains(value.get());
                }
                if ("integer".equals(definition.at("/schema/type").asText()) && value.isPresent()) {
                    softly.assertThat(value.get()).as("%s: header %s is an integer", c, header.getKey()).matches("[0-9]+");
                }
            }
        });
    }

    private HttpResponse<String> get(String query) throws Exception {
        return send("GET", "/analytics", query, new byte[0]);
    }

    private HttpResponse<String> post(long timestamp, String user, String event) throws Exception {
        return send("POST", "/analytics", "timestamp=" + timestamp + "&user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&event=" + event, new byte[0]);
    }

    private HttpResponse<String> send(String method, String path, String query, byte[] body) throws Exception {
        URI uri = URI.create(runner().baseUri() + path + (query.isEmpty() ? "" : "?" + query));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .method(method.toUpperCase(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** The spec's operations, each with x-method and x-path added; drafts or the others. */
    private static List<JsonNode> operations(boolean drafts) {
        List<JsonNode> operations = new ArrayList<>();
        SPEC.path("paths").properties().forEach(path -> path.getValue().properties().forEach(operation -> {
            if (METHODS.contains(operation.getKey()) && operation.getValue().has("x-draft") == drafts) {
                ObjectNode copy = operation.getValue().deepCopy();
                operations.add(copy.put("x-method", operation.getKey()).put("x-path", path.getKey()));
            }
        }));
        return operations;
    }

    private static List<Case> cases(JsonNode operation) {
        List<Case> cases = new ArrayList<>();
        operation.path("responses").properties().forEach(entry -> {
            JsonNode response = resolve(entry.getValue());
            int status = Integer.parseInt(entry.getKey());
            List<Map.Entry<String, JsonNode>> examples = new ArrayList<>();
            response.path("content").forEach(media -> examples.addAll(media.path("examples").properties()));
            examples.addAll(response.path("x-examples").properties());
            examples.forEach(example -> cases.add(new Case(operation.path("x-method").asText(), operation.path("x-path").asText(),
                    status, example.getKey(), response, resolve(example.getValue()))));
        });
        return cases;
    }

    private static JsonNode parameter(JsonNode operation, String name) {
        for (JsonNode parameter : operation.path("parameters")) {
            JsonNode resolved = resolve(parameter);
            if (name.equals(resolved.path("name").asText())) {
                return resolved;
            }
        }
        throw new AssertionError("no parameter " + name + " in " + operation.path("operationId").asText());
    }

    private static List<String> requiredHeaders(JsonNode response) {
        List<String> required = new ArrayList<>();
        response.path("headers").properties().forEach(header -> {
            if (resolve(header.getValue()).path("required").asBoolean()) {
                required.add(header.getKey());
            }
        });
        return required;
    }

    /** Follows a local $ref ("#/components/..."). */
    private static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            String ref = current.path("$ref").asText();
            assertThat(ref).as("only local references").startsWith("#/");
            current = SPEC.at(ref.substring(1));
            assertThat(current.isMissingNode()).as("%s resolves", ref).isFalse();
        }
        return current;
    }

    private static JsonNode readSpec() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(ApiEvents.repoRoot().resolve("docs/openapi.yaml").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read docs/openapi.yaml", e);
        }
    }
}
