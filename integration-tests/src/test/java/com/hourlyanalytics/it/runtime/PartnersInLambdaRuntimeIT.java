package com.hourlyanalytics.it.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.KeyedIdentity;
import com.hourlyanalytics.http.ProxyEventJson;
import com.hourlyanalytics.http.ProxyRequests;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Partners apart, as API Gateway calls the functions: the shaded jars under the real Lambda runtime client, fed
 * proxy events whose {@code requestContext.identity.apiKeyId} names the caller's key. The stack's PARTNER_KEYS maps
 * a rotated key ({@value #ROTATED_KEY}) to the partner of the key it replaced ({@code p1}).
 */
class PartnersInLambdaRuntimeIT {

    private static final Path ROOT = ApiEvents.repoRoot();
    private static final String ROTATED_KEY = "p1-rotated";
    private static TemplateFunctions functions;
    /** A fresh hour per test, inside the validator's window (the clock is the real one). */
    private static long nextHour = Hour.containing(Instant.now()).index() - 40;

    @BeforeAll
    static void start() {
        functions = new TemplateFunctions(ROOT, "partners-it", Map.of(PartnerKeys.ENVIRONMENT_VARIABLE, ROTATED_KEY + "=p1"));
    }

    @AfterAll
    static void stop() {
        functions.close();
    }

    @Test
    void twoPartners_oneUserId_countExactlyApart_andAThirdReadsZeros() throws IOException {
        long at = freshHour();
        post("p1", at, "shared-user", "click");
        post("p1", at + 1, "shared-user", "click");
        post("p2", at + 2, "shared-user", "click");
        post("p2", at + 3, "other-user", "impression");

        assertThat(get("p1", at)).isEqualTo("unique_users,1\nclicks,2\nimpressions,0\n");
        assertThat(get("p2", at)).isEqualTo("unique_users,2\nclicks,1\nimpressions,1\n");
        assertThat(get("p3", at)).isEqualTo("unique_users,0\nclicks,0\nimpressions,0\n");
        assertThat(get(null, at)).as("the default partner").isEqualTo("unique_users,0\nclicks,0\nimpressions,0\n");
    }

    @Test
    void hostilePartnerIds_builtToCollideUnderANaiveScheme_countApart() throws IOException {
        long at = freshHour();
        // Under "<partner>#<user>" these would all be the key "a#b#c"; under unescaped scoping, "a#b" would read "a"'s.
        post("a", at, "b#c", "click");
        post("a#b", at, "c", "click");
        post("a%23b", at, "c", "impression");

        assertThat(get("a", at)).isEqualTo("unique_users,1\nclicks,1\nimpressions,0\n");
        assertThat(get("a#b", at)).isEqualTo("unique_users,1\nclicks,1\nimpressions,0\n");
        assertThat(get("a%23b", at)).isEqualTo("unique_users,1\nclicks,0\nimpressions,1\n");
    }

    @Test
    void rotatedKey_reachesTheSamePartnersData_andItsUsersCountOnce() throws IOException {
        long at = freshHour();
        post("p1", at, "u1", "click");

        post(ROTATED_KEY, at + 1, "u1", "impression");
        post(ROTATED_KEY, at + 2, "u2", "click");

        assertThat(get("p1", at)).isEqualTo("unique_users,2\nclicks,2\nimpressions,1\n");
        assertThat(get(ROTATED_KEY, at)).isEqualTo(get("p1", at));
    }

    @Test
    void dataInTheLayoutBeforePartners_readsAsTheDefaultPartners_andItsMarkersStillCountUsersOnce() throws IOException {
        long at = freshHour();
        Hour hour = Hour.containing(at);
        // What the release before partners wrote: unscoped counter shard 0 and user-hour marker.
        put("hour#" + hour.index(), Map.of("unique_users", n(1), "clicks", n(3)));
        put("user#" + hour.index() + "#old-user", Map.of());

        post(null, at, "old-user", "click");
        post(null, at, "new-user", "impression");

        assertThat(get(null, at)).isEqualTo("unique_users,2\nclicks,4\nimpressions,1\n");
        assertThat(get("p1", at)).as("a named partner never reads it").isEqualTo("unique_users,0\nclicks,0\nimpressions,0\n");
    }

    private static long freshHour() {
        return Hour.containing(0).plus(nextHour++).startMillis() + 1_000;
    }

    private static void post(String apiKeyId, long at, String user, String event) throws IOException {
        var response = invoke("IngestFunction", apiKeyId, "POST", "timestamp", Long.toString(at), "user", user, "event", event);
        assertThat(response.getStatusCode()).as("%s %s\n%s", apiKeyId, response.getBody(), functions.log).isEqualTo(204);
    }

    private static String get(String apiKeyId, long at) throws IOException {
        var response = invoke("QueryFunction", apiKeyId, "GET", "timestamp", Long.toString(at));
        assertThat(response.getStatusCode()).as("%s %s\n%s", apiKeyId, response.getBody(), functions.log).isEqualTo(200);
        return response.getBody();
    }

    private static APIGatewayProxyResponseEvent invoke(String function, String apiKeyId, String method, String... query)
            throws IOException {
        APIGatewayProxyRequestEvent request = ApiEvents.request(method, query)
                .withRequestContext(new ProxyRequestContext().withRequestId("partners-it")
                        .withResourcePath(ProxyRequests.ANALYTICS)
                        .withIdentity(new KeyedIdentity().withApiKeyId(apiKeyId).withApiKey(apiKeyId == null ? null : "value-of-" + apiKeyId)));
        var event = new ByteArrayOutputStream();
        ProxyEventJson.writeRequest(request, event);
        InvocationOutcome outcome = functions.get(function).invoke(event.toByteArray());
        assertThat(outcome).as("%s\n%s", new String(outcome.payload(), StandardCharsets.UTF_8), functions.log)
                .isInstanceOf(InvocationOutcome.Response.class);
        return ProxyEventJson.readResponse(new ByteArrayInputStream(outcome.payload()));
    }

    private static void put(String key, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(attributes);
        item.put("pk", AttributeValue.fromS(key));
        functions.store.client().putItem(b -> b.tableName(functions.store.settings().tableName()).item(item));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
