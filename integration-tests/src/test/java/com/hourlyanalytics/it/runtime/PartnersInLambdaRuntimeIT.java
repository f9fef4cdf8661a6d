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
        // Open, as ./run without keys: the default partner's data is reachable only there (IdentityInLambdaRuntimeIT: closed).
        functions = new TemplateFunctions(ROOT, "partners-it", Map.of(PartnerKeys.ENVIRONMENT_VARIABLE, ROTATED_KEY + "=p1",
                PartnerKeys.KEYLESS_VARIABLE, "true"));
    }

    @AfterAll
    static void stop() {
        functions.close();
    }

    @Test
    void twoPartners_oneUserId_countExactlyApart_andAThirdReadsZeros() throws IOException {
        long at = freshHour();
        post(functions, "p1", at, "shared-user", "click");
        post(functions, "p1", at + 1, "shared-user", "click");
        post(functions, "p2", at + 2, "shared-user", "click");
        post(functions, "p2", at + 3, "other-user", "impression");

        assertThat(get(functions, "p1", at)).isEqualTo("unique_users,1\nclicks,2\nimpressions,0\n");
        assertThat(get(functions, "p2", at)).isEqualTo("unique_users,2\nclicks,1\nimpressions,1\n");
        assertThat(get(functions, "p3", at)).isEqualTo("unique_users,0\nclicks,0\nimpressions,0\n");
        assertThat(get(functions, null, at)).as("the default partner").isEqualTo("unique_users,0\nclicks,0\nimpressions,0\n");
    }

    @Test
    void hostilePartnerIds_builtToCollideUnderANaiveScheme_countApart() throws IOException {
        long at = freshHour();
        // Under "<partner>#<user>" these would all be the key "a#b#c"; under unescaped scoping, "a#b" would read "a"'s.
        post(functions, "a", at, "b#c", "click");
        post(functions, "a#b", at, "c", "click");
        post(functions, "a%23b", at, "c", "impression");

        assertThat(get(functions, "a", at)).isEqualTo("unique_users,1\nclicks,1\nimpressions,0\n");
        assertThat(get(functions, "a#b", at)).isEqualTo("unique_users,1\nclicks,1\nimpressions,0\n");
        assertThat(get(functions, "a%23b", at)).isEqualTo("unique_users,1\nclicks,0\nimpressions,1\n");
    }

    @Test
    void rotatedKey_reachesTheSamePartnersData_andItsUsersCountOnce() throws IOException {
        long at = freshHour();
        post(functions, "p1", at, "u1", "click");

        post(functions, ROTATED_KEY, at + 1, "u1", "impression");
        post(functions, ROTATED_KEY, at + 2, "u2", "click");

        assertThat(get(functions, "p1", at)).isEqualTo("unique_users,2\nclicks,2\nimpressions,1\n");
        assertThat(get(functions, ROTATED_KEY, at)).isEqualTo(get(functions, "p1", at));
    }

    @Test
    void dataInTheLayoutBeforePartners_readsAsTheDefaultPartners_andItsMarkersStillCountUsersOnce() throws IOException {
        // An upgraded stack's table: what the release before partners (and pseudonyms) wrote is there before today's
        // functions write: unscoped counter shard 0 and user-hour marker, the user id in clear.
        // Open, as ./run without keys: only there does a request without a key id reach the default partner.
        try (TemplateFunctions upgraded = new TemplateFunctions(ROOT, "partners-it-upgraded", Map.of(PartnerKeys.KEYLESS_VARIABLE, "true"))) {
            long at = freshHour();
            Hour hour = Hour.containing(at);
            put(upgraded, "hour#" + hour.index(), Map.of("unique_users", n(1), "clicks", n(3)));
            put(upgraded, "user#" + hour.index() + "#old-user", Map.of());

            post(upgraded, null, at, "old-user", "click");
            post(upgraded, null, at, "new-user", "impression");

            assertThat(get(upgraded, null, at)).isEqualTo("unique_users,2\nclicks,4\nimpressions,1\n");
            assertThat(get(upgraded, "p1", at)).as("a named partner never reads it").isEqualTo("unique_users,0\nclicks,0\nimpressions,0\n");
        }
    }

    private static long freshHour() {
        return Hour.containing(0).plus(nextHour++).startMillis() + 1_000;
    }

    private static void post(TemplateFunctions on, String apiKeyId, long at, String user, String event) throws IOException {
        var response = invoke(on, "IngestFunction", apiKeyId, "POST", "timestamp", Long.toString(at), "user", user, "event", event);
        assertThat(response.getStatusCode()).as("%s %s\n%s", apiKeyId, response.getBody(), on.log).isEqualTo(204);
    }

    private static String get(TemplateFunctions on, String apiKeyId, long at) throws IOException {
        var response = invoke(on, "QueryFunction", apiKeyId, "GET", "timestamp", Long.toString(at));
        assertThat(response.getStatusCode()).as("%s %s\n%s", apiKeyId, response.getBody(), on.log).isEqualTo(200);
        return response.getBody();
    }

    private static APIGatewayProxyResponseEvent invoke(TemplateFunctions on, String function, String apiKeyId, String method, String... query)
            throws IOException {
        APIGatewayProxyRequestEvent request = ApiEvents.request(method, query)
                .withRequestContext(new ProxyRequestContext().withRequestId("partners-it")
                        .withResourcePath(ProxyRequests.ANALYTICS)
                        .withIdentity(new KeyedIdentity().withApiKeyId(apiKeyId).withApiKey(apiKeyId == null ? null : "value-of-" + apiKeyId)));
        var event = new ByteArrayOutputStream();
        ProxyEventJson.writeRequest(request, event);
        InvocationOutcome outcome = on.get(function).invoke(event.toByteArray());
        assertThat(outcome).as("%s\n%s", new String(outcome.payload(), StandardCharsets.UTF_8), on.log)
                .isInstanceOf(InvocationOutcome.Response.class);
        return ProxyEventJson.readResponse(new ByteArrayInputStream(outcome.payload()));
    }

    private static void put(TemplateFunctions on, String key, Map<String, AttributeValue> attributes) {
        Map<String, AttributeValue> item = new LinkedHashMap<>(attributes);
        item.put("pk", AttributeValue.fromS(key));
        on.store.client().putItem(b -> b.tableName(on.store.settings().tableName()).item(item));
    }

    private static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }
}
