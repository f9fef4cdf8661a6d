package com.hourlyanalytics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hourlyanalytics.http.QueryParameters;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyEventJsonTest {

    private static final ObjectMapper DATABIND = new ObjectMapper();

    /** Every proxy event of events/ (local-env.json holds `sam local invoke --env-vars`, not an event). */
    static Stream<String> eventFiles() throws IOException {
        try (Stream<Path> files = Files.list(ApiEvents.repoRoot().resolve("events"))) {
            List<String> names = files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".json") && !name.equals("local-env.json")).sorted().toList();
            assertThat(names).hasSizeGreaterThanOrEqualTo(4);
            return names.stream();
        }
    }

    @ParameterizedTest
    @MethodSource("eventFiles")
    void readRequest_eventFile_readsWhatJacksonDatabindReads(String name) throws IOException {
        File file = ApiEvents.repoRoot().resolve("events").resolve(name).toFile();
        APIGatewayProxyRequestEvent expected = DATABIND.copy()
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                .readValue(file, APIGatewayProxyRequestEvent.class);
        // databind drops apiKeyId, which the events library does not model (KeyedIdentity does).
        expected.getRequestContext().setIdentity(new KeyedIdentity()
                .withApiKeyId(DATABIND.readTree(file).at("/requestContext/identity/apiKeyId").asText())
                .withSourceIp(expected.getRequestContext().getIdentity().getSourceIp()));

        APIGatewayProxyRequestEvent read = ProxyEventJson.readRequest(
                Files.newInputStream(ApiEvents.repoRoot().resolve("events").resolve(name)));

        assertThat(read).isEqualTo(expected);
        assertThat(read.getMultiValueQueryStringParameters()).isNotEmpty();
        assertThat(read.getRequestContext().getRequestId()).isNotBlank();
    }

    @ParameterizedTest
    @MethodSource("eventFiles")
    void writeRequest_eventFile_readsBackEqual(String name) throws IOException {
        APIGatewayProxyRequestEvent event = ProxyEventJson.readRequest(
                Files.newInputStream(ApiEvents.repoRoot().resolve("events").resolve(name)));

        assertThat(readRequest(writeRequest(event))).isEqualTo(event);
    }

    @Test
    void readRequest_escapesAndUnicode_decodesThem() throws IOException {
        var event = readRequest("""
                {"httpMethod":"POST","body":"line\\nquote\\"back\\\\slash\\u00e9\\ud83d\\ude00 tab\\t/\\/",
                 "queryStringParameters":{"us\\u0065r":"\u00fc\u4e16"},
                 "headers":{"X-Note":"caf\u00e9"}}""");

        assertThat(event.getBody()).isEqualTo("line\nquote\"back\\slash\u00e9\ud83d\ude00 tab\t//");
        assertThat(event.getQueryStringParameters()).containsExactly(Map.entry("user", "\u00fc\u4e16"));
        assertThat(event.getHeaders()).containsExactly(Map.entry("X-Note", "caf\u00e9"));
    }

    @Test
    void readRequest_nulls_leaveFieldsNullAndKeepNullValues() throws IOException {
        var event = readRequest("""
                {"resource":null,"headers":null,"multiValueHeaders":null,"queryStringParameters":{"a":null},
                 "multiValueQueryStringParameters":{"a":null,"b":["x",null]},"requestContext":null,
                 "body":null,"isBase64Encoded":null,"pathParameters":null,"stageVariables":null}""");

        assertThat(event).isEqualTo(new APIGatewayProxyRequestEvent()
                .withQueryStringParameters(mapOf("a", null))
                .withMultiValueQueryStringParameters(mapOf("a", null, "b", Arrays.asList("x", null))));
    }

    @Test
    void readRequest_unknownFieldsAnywhere_areSkippedWithWhatTheyHold() throws IOException {
        var event = readRequest("""
                {"unknown":{"body":"not this","httpMethod":["GET"],"deep":[{"a":[1,2,{"b":null}]}]},
                 "httpMethod":"GET","multiValueHeaders":{"A":["1","2"]},"numbers":[1.5e300,-0,true],
                 "requestContext":{"requestId":"r-1","identity":{"sourceIp":"203.0.113.10","apiKeyId":"k","caller":{"x":1}},
                                   "authorizer":{"claims":{"sub":"u1"},"list":[1]},"requestTimeEpoch":1709287200000,
                                   "newField":{"requestId":"not this"}},
                 "resource":"/analytics"}""");

        assertThat(event.getHttpMethod()).isEqualTo("GET");
        assertThat(event.getResource()).isEqualTo("/analytics");
        assertThat(event.getBody()).isNull();
        assertThat(event.getMultiValueHeaders()).containsExactly(Map.entry("A", List.of("1", "2")));
        assertThat(event.getRequestContext().getRequestId()).isEqualTo("r-1");
        assertThat(event.getRequestContext().getRequestTimeEpoch()).isEqualTo(1709287200000L);
        assertThat(event.getRequestContext().getIdentity()).isEqualTo(
                new KeyedIdentity().withApiKeyId("k").withSourceIp("203.0.113.10"));
        assertThat(event.getRequestContext().getAuthorizer()).isNull();
    }

    @Test
    void readRequest_multiValueQuery_keepsRepeatsInOrderForValidation() throws IOException {
        var event = readRequest("""
                {"queryStringParameters":{"timestamp":"2"},
                 "multiValueQueryStringParameters":{"timestamp":["1","2"],"user":["u1"]}}""");

        assertThat(event.getMultiValueQueryStringParameters())
                .containsExactly(Map.entry("timestamp", List.of("1", "2")), Map.entry("user", List.of("u1")));
        assertThat(ProxyRequests.queryParameters(event)).isEqualTo(
                new QueryParameters(event.getMultiValueQueryStringParameters()));
    }

    @Test
    void readRequest_base64Body_isDecodedByProxyRequests() throws IOException {
        var event = readRequest("""
                {"body":"MTcwOTI4NzIwMDAwMSx1MSxjbGljawo=","isBase64Encoded":true}""");

        assertThat(event.getIsBase64Encoded()).isTrue();
        assertThat(ProxyRequests.body(event)).isEqualTo("1709287200001,u1,click\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "[]", "\"event\"", "null", "{\"body\":\"secret-user\"", "{\"body\":\"a\"} {}", "{\"body\":\"a\"}}",
        "{\"body\":5}", "{\"body\":{\"secret-user\":1}}", "{\"httpMethod\":[\"GET\"]}", "{\"isBase64Encoded\":\"true\"}",
        "{\"headers\":[\"secret-user\"]}", "{\"headers\":{\"a\":1}}", "{\"multiValueHeaders\":{\"a\":\"secret-user\"}}",
        "{\"multiValueQueryStringParameters\":{\"a\":[[\"x\"]]}}", "{\"requestContext\":\"secret-user\"}",
        "{\"requestContext\":{\"requestTimeEpoch\":\"1\"}}", "{secret-user:1}", "{\"body\":\"\\x\"}"
    })
    void readRequest_notAProxyEvent_failsWithoutQuotingInput(String json) {
        assertThatThrownBy(() -> readRequest(json))
                .isInstanceOf(ProxyEventJson.MalformedEventException.class)
                .hasMessageStartingWith("malformed API Gateway proxy event: ")
                .message().doesNotContain("secret-user");
    }

    @Test
    void writeResponse_everyField_isWhatLambdaHandsApiGateway() throws IOException {
        var headers = new LinkedHashMap<String, String>();
        headers.put("Content-Type", "text/plain");
        headers.put("Retry-After", "1");
        var response = new APIGatewayProxyResponseEvent().withStatusCode(503).withHeaders(headers)
                .withMultiValueHeaders(Map.of("Set-Cookie", List.of("a=1", "b=\"2\"")))
                .withBody("store unavailable \u00e9\ud83d\ude00\n\"quoted\"\\\u0001").withIsBase64Encoded(false);

        byte[] json = writeResponse(response);

        assertThat(DATABIND.readValue(json, APIGatewayProxyResponseEvent.class)).isEqualTo(response);
        assertThat(ProxyEventJson.readResponse(new ByteArrayInputStream(json))).isEqualTo(response);
    }

    @Test
    void writeResponse_unsetFields_areLeftOut() throws IOException {
        byte[] json = writeResponse(HttpResponses.noContent());

        assertThat(new String(json, StandardCharsets.UTF_8)).isEqualTo("{\"statusCode\":204,\"headers\":{}}");
    }

    @Test
    void readResponse_statusBeyondAnInt_isMalformed() {
        assertThatThrownBy(() -> ProxyEventJson.readResponse(bytes("{\"statusCode\":4294967496}")))
                .isInstanceOf(ProxyEventJson.MalformedEventException.class);
    }

    private static APIGatewayProxyRequestEvent readRequest(String json) throws IOException {
        return ProxyEventJson.readRequest(bytes(json));
    }

    private static APIGatewayProxyRequestEvent readRequest(byte[] json) throws IOException {
        return ProxyEventJson.readRequest(new ByteArrayInputStream(json));
    }

    private static byte[] writeRequest(APIGatewayProxyRequestEvent event) {
        var out = new ByteArrayOutputStream();
        try {
            ProxyEventJson.writeRequest(event, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] writeResponse(APIGatewayProxyResponseEvent response) throws IOException {
        var out = new ByteArrayOutputStream();
        ProxyEventJson.writeResponse(response, out);
        return out.toByteArray();
    }

    private static ByteArrayInputStream bytes(String json) {
        return new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> mapOf(Object... keyValues) {
        var map = new LinkedHashMap<String, V>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], (V) keyValues[i + 1]);
        }
        return map;
    }
}
