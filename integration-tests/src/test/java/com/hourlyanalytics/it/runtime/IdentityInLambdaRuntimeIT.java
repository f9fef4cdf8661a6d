package com.hourlyanalytics.it.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hourlyanalytics.http.KeyedIdentity;
import com.hourlyanalytics.http.ProxyEventJson;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.local.lambda.FunctionContainer;
import com.hourlyanalytics.local.lambda.InvocationOutcome;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.PartnerKeys;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Identity fails closed as Lambda runs the functions: the shaded jars under the real runtime client with
 * template.yaml's environment, which never allows keyless requests. A request without an API key id is refused; a
 * PARTNER_KEYS mapping that could hand one partner's data to another stops both functions at init.
 */
class IdentityInLambdaRuntimeIT {

    private static final Path ROOT = ApiEvents.repoRoot();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY_VALUE = "identity-it-secret-value-Hq3";
    private static final String REFUSAL = "request has no API key id (requestContext.identity.apiKeyId); call the API with an x-api-key header\n";

    @Test
    void deployedEnvironment_refusesRequestsWithoutAKeyId_with403_logsAndCountsThem_andServesKeyedOnes() throws IOException {
        try (TemplateFunctions functions = new TemplateFunctions(ROOT, "identity-it", Map.of())) {
            long at = Hour.containing(Instant.now()).plus(-3).startMillis() + 1;
            String[] post = {"timestamp", Long.toString(at), "user", "u1", "event", "click"};

            APIGatewayProxyResponseEvent keylessPost = response(functions, "IngestFunction", invoke(functions, "IngestFunction", null, "POST", post));
            APIGatewayProxyResponseEvent keylessGet = response(functions, "QueryFunction",
                    invoke(functions, "QueryFunction", null, "GET", "timestamp", Long.toString(at)));
            APIGatewayProxyResponseEvent keyedPost = response(functions, "IngestFunction", invoke(functions, "IngestFunction", "k1", "POST", post));
            APIGatewayProxyResponseEvent keyedGet = response(functions, "QueryFunction",
                    invoke(functions, "QueryFunction", "k1", "GET", "timestamp", Long.toString(at)));

            for (APIGatewayProxyResponseEvent refused : new APIGatewayProxyResponseEvent[] {keylessPost, keylessGet}) {
                assertThat(refused.getStatusCode()).isEqualTo(403);
                assertThat(refused.getBody()).isEqualTo(REFUSAL);
            }
            assertThat(keyedPost.getStatusCode()).isEqualTo(204);
            assertThat(keyedGet.getBody()).as("the refused POST counted nothing").isEqualTo("unique_users,1\nclicks,1\nimpressions,0\n");
            String log = functions.log.toString(StandardCharsets.UTF_8);
            assertThat(log.lines().filter(line -> line.contains("\"outcome\":\"rejected:missing_api_key_id\""))).hasSize(2);
            assertThat(log.lines().filter(line -> line.contains("\"Reason\":\"missing_api_key_id\",\"RequestsRejected\":1"))).hasSize(2);
            assertThat(log).doesNotContain(KEY_VALUE);
        }
    }

    /** A chain: k3 would reach k2's own (empty) data instead of partner k1's, and k2 would no longer reach its own. */
    @Test
    void partnerKeysWithAChain_stopsBothFunctionsAtInit_namingTheEntry() throws IOException {
        try (TemplateFunctions functions = new TemplateFunctions(ROOT, "identity-init-it",
                Map.of(PartnerKeys.ENVIRONMENT_VARIABLE, "k2=k1,k3=k2"))) {
            for (String function : new String[] {"IngestFunction", "QueryFunction"}) {
                InvocationOutcome outcome = invoke(functions, function, "k3", "GET", "timestamp", "1");

                String payload = new String(outcome.payload(), StandardCharsets.UTF_8);
                assertThat(outcome).as("%s: %s\n%s", function, payload, functions.log).isInstanceOf(InvocationOutcome.Error.class);
                JsonNode error = JSON.readTree(payload);
                assertThat(error.path("errorMessage").asText()).as(payload).contains(
                        "environment variable PARTNER_KEYS: 'k3=k2' maps onto key id 'k2', which is itself mapped ('k2=k1')");
                assertThat(functions.get(function).isAlive()).as("%s stopped", function).isFalse();
            }
        }
    }

    private static APIGatewayProxyResponseEvent response(TemplateFunctions functions, String function, InvocationOutcome outcome)
            throws IOException {
        assertThat(outcome).as("%s: %s\n%s", function, new String(outcome.payload(), StandardCharsets.UTF_8), functions.log)
                .isInstanceOf(InvocationOutcome.Response.class);
        return ProxyEventJson.readResponse(new ByteArrayInputStream(outcome.payload()));
    }

    /** A proxy event as API Gateway sends it, with the key's id and value; without an id, as a direct invoke might. */
    private static InvocationOutcome invoke(TemplateFunctions functions, String function, String apiKeyId, String method,
                                            String... query) throws IOException {
        APIGatewayProxyRequestEvent request = ApiEvents.request(method, query)
                .withRequestContext(new ProxyRequestContext().withRequestId("identity-it").withResourcePath(ProxyRequests.ANALYTICS)
                        .withIdentity(new KeyedIdentity().withApiKeyId(apiKeyId).withApiKey(KEY_VALUE)));
        var event = new ByteArrayOutputStream();
        ProxyEventJson.writeRequest(request, event);
        FunctionContainer container = functions.get(function);
        return container.invoke(event.toByteArray());
    }
}
