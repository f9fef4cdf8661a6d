package com.hourlyanalytics.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hourlyanalytics.model.PartnerKeys;
import com.hourlyanalytics.observability.CapturedLines;
import com.hourlyanalytics.observability.MetricNames;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.testing.ApiEvents;
import com.hourlyanalytics.testing.TestStores;
import com.hourlyanalytics.testing.InvocationContext;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Lambda entry point with the real store and SDK client, pointed at a tiny HTTP server that answers every
 * DynamoDB call with one error, as DynamoDB answers it (JSON protocol, {@code __type}): the 503's log line and
 * StoreErrors metric say which error, and carry nothing the partner sent but the API key's id.
 */
class IngestHandlerStoreErrorsTest {

    private static final String USER = "user-6d1f0a-secret";
    private static final String KEY_VALUE = "key-value-9b7e2c";
    private static final String KEY_ID = "k1a2b3c4d5";

    private final CapturedLines out = new CapturedLines();
    private final AtomicInteger calls = new AtomicInteger();
    private HttpServer dynamoDb;

    @AfterEach
    void stop() {
        dynamoDb.stop(0);
    }

    @Test
    void post_storeDeniesAccess_logsAFaultWithItsCodeAfterOneCall() throws IOException {
        answerEveryCall(400, "com.amazon.coral.service#AccessDeniedException",
                "User: arn:aws:sts::123456789012:assumed-role/ingest is not authorized to perform: dynamodb:PutItem");

        JsonNode response = post("lambda-denied");

        assertThat(response.get("statusCode").asInt()).isEqualTo(503);
        assertThat(calls).as("a refused call is not retried").hasValue(1);
        assertThat(out.requestLog().get("errorCode").asText()).isEqualTo("AccessDeniedException");
        assertThat(out.requestLog().get("errorClass").asText()).isEqualTo("fault");
        assertThat(storeErrorDimensions()).isEqualTo(CapturedLines.parse(
                "{\"Operation\":\"record\",\"ErrorCode\":\"AccessDeniedException\",\"ErrorClass\":\"fault\"}"));
        assertCarriesNoRequestData("lambda-denied");
    }

    @Test
    void post_storeThrottlesPastRetries_logsAvailabilityWithItsCodeAfterEveryAttempt() throws IOException {
        answerEveryCall(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
                "The level of configured provisioned throughput for the table was exceeded.");

        JsonNode response = post("lambda-throttled");

        assertThat(response.get("statusCode").asInt()).isEqualTo(503);
        assertThat(calls).as("throttling is retried up to the client's attempts").hasValue(3);
        assertThat(out.requestLog().get("errorCode").asText()).isEqualTo("ProvisionedThroughputExceededException");
        assertThat(out.requestLog().get("errorClass").asText()).isEqualTo("availability");
        assertThat(storeErrorDimensions()).isEqualTo(CapturedLines.parse(
                "{\"Operation\":\"record\",\"ErrorCode\":\"ProvisionedThroughputExceededException\",\"ErrorClass\":\"availability\"}"));
        assertCarriesNoRequestData("lambda-throttled");
    }

    private void answerEveryCall(int status, String type, String message) throws IOException {
        dynamoDb = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] body = ("{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
        dynamoDb.createContext("/", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        dynamoDb.start();
    }

    /** POST /analytics through handleRequest, as Lambda calls it, with a user id and key value that must not leak. */
    private JsonNode post(String lambdaRequestId) throws IOException {
        var settings = TestStores.firstReleaseSettings("analytics", "us-east-1",
                Optional.of(URI.create("http://127.0.0.1:" + dynamoDb.getAddress().getPort())));
        var store = new DynamoDbCounterStore(DynamoDbClients.create(settings, List.of()), settings, Clock.systemUTC());
        var handler = new IngestHandler(store, PartnerKeys.OPEN, Clock.fixed(CapturedLines.NOW, ZoneOffset.UTC), out.observer(1_000_000));

        ObjectNode event = (ObjectNode) CapturedLines.parse(Files.readString(ApiEvents.repoRoot().resolve("events/post-click.json")));
        ((ObjectNode) event.get("queryStringParameters")).put("user", USER);
        ((ObjectNode) event.at("/multiValueQueryStringParameters")).putArray("user").add(USER);
        ((ObjectNode) event.get("headers")).put("x-api-key", KEY_VALUE);
        ((ObjectNode) event.at("/requestContext/identity")).put("apiKey", KEY_VALUE);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.toString().getBytes(StandardCharsets.UTF_8)), response,
                new InvocationContext(lambdaRequestId, 28_000));
        return CapturedLines.parse(response.toString(StandardCharsets.UTF_8));
    }

    /** The dimensions of the one StoreErrors line: every member but the EMF metadata and the value. */
    private JsonNode storeErrorDimensions() {
        List<JsonNode> lines = out.metrics().stream().filter(line -> line.has(MetricNames.STORE_ERRORS)).toList();
        assertThat(lines).hasSize(1);
        ObjectNode dimensions = lines.get(0).deepCopy();
        dimensions.remove(List.of("_aws", MetricNames.STORE_ERRORS));
        return dimensions;
    }

    private void assertCarriesNoRequestData(String lambdaRequestId) {
        assertThat(out.requestLog().get("lambdaRequestId").asText()).isEqualTo(lambdaRequestId);
        assertThat(out.requestLog().get("apiKeyId").asText()).isEqualTo(KEY_ID);
        assertThat(out.requestLog().get("outcome").asText()).isEqualTo("store_unavailable");
        assertThat(String.join("\n", out.lines()))
                .doesNotContain(USER, KEY_VALUE, "1709287200001", "203.0.113.10", "curl/", "not authorized", "arn:aws");
    }
}
