package com.hourlyanalytics.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.testing.SettableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTest {

    private static final ApiKey P1 = new ApiKey("p1", "secret-value-one");
    private static final ApiKey P2 = new ApiKey("p2", "secret-value-two");
    private static final String ANALYTICS = "/analytics";
    private static final String BATCH = "/analytics/batch";
    private static final String BATCH_POST = "/analytics/batch/POST";
    /** The methods template.yaml's events declare. */
    private static final ApiMethods METHODS = new ApiMethods(Set.of("/analytics/GET", "/analytics/ANY", BATCH_POST, "/analytics/batch/ANY"));
    private static final Throttle ROOMY = new Throttle(1000, 1000);

    /** template.yaml's answers: each refusal must be the deployed API's, not API Gateway's default. */
    private static final GatewayResponses RESPONSES = GatewayResponses.fromTemplate(GatewayResponsesTest.TEMPLATE);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-05T10:00:00Z"));

    private Gateway gateway(UsagePlan plan) {
        return Gateway.of(new Gateway.Options(List.of(P1, P2), Map.of(), Gateway.INTEGRATION_TIMEOUT), plan, RESPONSES, clock);
    }

    /** Keys' and stage's throttles for every method alike, and a quota. */
    private static UsagePlan plan(Throttle key, long quota, Throttle stage) {
        return new UsagePlan(key, Map.of(), quota, Quota.Period.DAY, stage, Map.of(), METHODS);
    }

    private static UsagePlan withBatchLimits(Throttle keyBatch, Throttle stageBatch) {
        return new UsagePlan(ROOMY, Map.of(BATCH_POST, keyBatch), 1000, Quota.Period.DAY, ROOMY, Map.of(BATCH_POST, stageBatch), METHODS);
    }

    private static Gateway.Decision post(Gateway gateway, ApiKey key) {
        return gateway.check(key.value(), ANALYTICS, "POST");
    }

    private static Gateway.Decision batch(Gateway gateway, ApiKey key) {
        return gateway.check(key.value(), BATCH, "POST");
    }

    private static int status(Gateway.Decision decision) {
        return decision instanceof Gateway.Refuse refuse ? refuse.response().getStatusCode() : 200;
    }

    private static String body(Gateway.Decision decision) {
        return ((Gateway.Refuse) decision).response().getBody();
    }

    private static String body(GatewayResponses.Type type) {
        return RESPONSES.answer(type).getBody();
    }

    @Test
    void missingOrUnknownKey_isForbidden() {
        Gateway gateway = gateway(plan(ROOMY, 1000, ROOMY));

        assertThat(body(gateway.check(null, ANALYTICS, "GET"))).isEqualTo(body(GatewayResponses.Type.INVALID_API_KEY));
        assertThat(status(gateway.check("p1", ANALYTICS, "GET"))).as("the id is not the key").isEqualTo(403);
        assertThat(status(gateway.check("secret-value-three", ANALYTICS, "GET"))).isEqualTo(403);
    }

    @Test
    void pathWithoutAMethod_isMissingAuthenticationToken_beforeTheKeyCheck() {
        Gateway gateway = gateway(plan(ROOMY, 1000, ROOMY));

        assertThat(body(gateway.check(null, "/nowhere", "GET"))).isEqualTo(body(GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN));
    }

    @Test
    void validKey_passesWithItsIdAndValue() {
        Gateway gateway = gateway(plan(ROOMY, 1000, ROOMY));

        assertThat(gateway.check("secret-value-two", ANALYTICS, "GET")).isEqualTo(new Gateway.Pass(Optional.of(P2)));
    }

    @Test
    void eachKeyHasItsOwnBucket_sharedByAllItsMethods() {
        Gateway gateway = gateway(plan(new Throttle(1, 2), 1000, ROOMY));

        assertThat(status(post(gateway, P1))).isEqualTo(200);
        assertThat(status(gateway.check(P1.value(), ANALYTICS, "GET"))).isEqualTo(200);
        assertThat(body(batch(gateway, P1))).isEqualTo(body(GatewayResponses.Type.THROTTLED));
        assertThat(status(post(gateway, P2))).isEqualTo(200);
    }

    @Test
    void stageThrottle_limitsAllKeysTogether_eachMethodApart() {
        Gateway gateway = gateway(plan(ROOMY, 1000, new Throttle(1, 3)));

        assertThat(status(post(gateway, P1))).isEqualTo(200);
        assertThat(status(post(gateway, P2))).isEqualTo(200);
        assertThat(status(post(gateway, P1))).isEqualTo(200);
        assertThat(body(post(gateway, P2))).isEqualTo(body(GatewayResponses.Type.THROTTLED));
        assertThat(status(gateway.check(P2.value(), ANALYTICS, "DELETE"))).as("POST and DELETE are both /analytics's ANY").isEqualTo(429);
        assertThat(status(gateway.check(P2.value(), ANALYTICS, "GET"))).as("GET is a method of its own").isEqualTo(200);
        assertThat(status(batch(gateway, P2))).isEqualTo(200);
    }

    /** A partner's batch flood takes its batch tokens only: its own POSTs and GETs, and other partners', go on. */
    @Test
    void batchPost_hasAKeyBucketOfItsOwn_onTopOfTheKeys() {
        Gateway gateway = gateway(withBatchLimits(new Throttle(1, 2), ROOMY));

        assertThat(status(batch(gateway, P1))).isEqualTo(200);
        assertThat(status(batch(gateway, P1))).isEqualTo(200);
        assertThat(body(batch(gateway, P1))).isEqualTo(body(GatewayResponses.Type.THROTTLED));
        assertThat(status(post(gateway, P1))).isEqualTo(200);
        assertThat(status(gateway.check(P1.value(), BATCH, "GET"))).as("the batch resource's ANY is not throttled apart").isEqualTo(200);
        assertThat(status(batch(gateway, P2))).isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(status(batch(gateway, P1))).as("refilled at 1 a second").isEqualTo(200);
        assertThat(status(batch(gateway, P1))).isEqualTo(429);
    }

    @Test
    void batchPost_refusedByItsBucket_givesTheKeysTokenBack() {
        Gateway gateway = gateway(new UsagePlan(new Throttle(1, 2), Map.of(BATCH_POST, new Throttle(1, 1)), 1000, Quota.Period.DAY,
                ROOMY, Map.of(), METHODS));

        assertThat(status(batch(gateway, P1))).isEqualTo(200);
        assertThat(status(batch(gateway, P1))).isEqualTo(429);
        assertThat(status(post(gateway, P1))).as("the key's second token came back").isEqualTo(200);
        assertThat(status(post(gateway, P1))).isEqualTo(429);
    }

    @Test
    void batchPost_hasAStageBucketOfItsOwn_acrossKeys() {
        Gateway gateway = gateway(withBatchLimits(ROOMY, new Throttle(1, 2)));

        assertThat(status(batch(gateway, P1))).isEqualTo(200);
        assertThat(status(batch(gateway, P2))).isEqualTo(200);
        assertThat(body(batch(gateway, P1))).isEqualTo(body(GatewayResponses.Type.THROTTLED));
        assertThat(status(post(gateway, P1))).as("other methods keep the stage's default").isEqualTo(200);
    }

    @Test
    void quota_refusesWithLimitExceeded_andThrottledRequestsAreNotCounted() {
        Gateway gateway = gateway(plan(new Throttle(1, 1), 2, ROOMY));

        assertThat(status(post(gateway, P1))).isEqualTo(200);
        assertThat(status(post(gateway, P1))).as("throttled, so not counted").isEqualTo(429);
        assertThat(status(post(gateway, P1))).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(status(post(gateway, P1))).as("the quota's second request").isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(body(post(gateway, P1))).isEqualTo(body(GatewayResponses.Type.QUOTA_EXCEEDED));
        assertThat(status(post(gateway, P2))).as("another key's quota").isEqualTo(200);
    }

    @Test
    void quotaRefusal_costsNoThrottleToken() {
        Gateway gateway = gateway(new UsagePlan(new Throttle(1, 1), Map.of(BATCH_POST, new Throttle(1, 1)), 1, Quota.Period.DAY,
                new Throttle(1, 1), Map.of(BATCH_POST, new Throttle(1, 1)), METHODS));
        batch(gateway, P1);
        clock.advance(Duration.ofSeconds(1));

        assertThat(body(batch(gateway, P1))).isEqualTo(body(GatewayResponses.Type.QUOTA_EXCEEDED));
        assertThat(status(batch(gateway, P2))).as("the stage's batch token came back").isEqualTo(200);
    }

    @Test
    void noKeys_isOpen_withoutThrottle() {
        Gateway gateway = Gateway.of(Gateway.Options.OPEN, plan(new Throttle(1, 1), 1, new Throttle(1, 1)), RESPONSES, clock);

        for (int i = 0; i < 100; i++) {
            assertThat(gateway.check(null, BATCH, "POST")).isEqualTo(new Gateway.Pass(Optional.empty()));
        }
        assertThat(gateway.describe()).startsWith("open");
    }

    @Test
    void description_namesKeyIdsAndEachLimit_neverValues() {
        Gateway gateway = gateway(new UsagePlan(new Throttle(100, 200), Map.of(BATCH_POST, new Throttle(1, 2)), 1000,
                Quota.Period.MONTH, new Throttle(1000, 2000), Map.of(BATCH_POST, new Throttle(10, 20)), METHODS));

        assertThat(gateway.describe()).contains("p1, p2", "per key 100 req/s, burst 200 (/analytics/batch/POST 1 req/s, burst 2)",
                "quota 1000 per MONTH", "stage 1000 req/s, burst 2000 per method (/analytics/batch/POST 10 req/s, burst 20)")
                .doesNotContain(P1.value(), P2.value());
        assertThat(P1.toString()).doesNotContain(P1.value());
    }

    @Test
    void sameValueForTwoIds_isRefused() {
        assertThatThrownBy(() -> Gateway.of(new Gateway.Options(List.of(P1, new ApiKey("p3", P1.value())), Map.of(),
                Gateway.INTEGRATION_TIMEOUT), plan(ROOMY, 1, ROOMY), RESPONSES, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(P1.value());
    }

    @Test
    void usagePlan_readsTheTemplatesPlanAndStage_underOverrides() {
        UsagePlan deployed = UsagePlan.fromTemplate(GatewayResponsesTest.TEMPLATE, Map.of());

        assertThat(deployed).isEqualTo(new UsagePlan(new Throttle(100, 200),
                Map.of(BATCH_POST, new Throttle(1, 2), "/analytics/GET", new Throttle(10, 20)), 10_000_000, Quota.Period.MONTH,
                new Throttle(1000, 2000), Map.of(BATCH_POST, new Throttle(10, 20), "/analytics/GET", new Throttle(100, 200)),
                deployed.methods()));
        assertThat(deployed.methods().names()).isEqualTo(Set.of("/analytics/GET", "/analytics/ANY", BATCH_POST, "/analytics/batch/ANY"));
        UsagePlan overridden = UsagePlan.fromTemplate(GatewayResponsesTest.TEMPLATE,
                UsagePlan.parseOverrides(" QuotaLimit=5  QuotaPeriod=DAY BatchThrottleRateLimit=3 StageBatchThrottleBurstLimit=7"));
        assertThat(overridden.quotaLimit()).isEqualTo(5);
        assertThat(overridden.quotaPeriod()).isEqualTo(Quota.Period.DAY);
        assertThat(overridden.keyMethods()).containsEntry(BATCH_POST, new Throttle(3, 2));
        assertThat(overridden.stageMethods()).containsEntry(BATCH_POST, new Throttle(10, 7));
        assertThatThrownBy(() -> UsagePlan.fromTemplate(GatewayResponsesTest.TEMPLATE, Map.of("QuotaLimt", "5")))
                .hasMessageContaining("no parameter QuotaLimt");
        assertThatThrownBy(() -> UsagePlan.fromTemplate(GatewayResponsesTest.TEMPLATE, Map.of("QuotaPeriod", "YEAR")))
                .hasMessage("--parameter-overrides QuotaPeriod expects one of DAY, WEEK, MONTH, not YEAR");
    }

    @Test
    void usagePlan_throttlingAMethodTheApiLacks_isRefused(@TempDir Path folder) throws Exception {
        Path template = folder.resolve("template.yaml");
        Files.writeString(template, """
                Parameters:
                  Rate: {Type: Number, Default: 5}
                Resources:
                  Fn:
                    Type: AWS::Serverless::Function
                    Properties:
                      Events:
                        Post: {Type: Api, Properties: {Path: /analytics, Method: POST}}
                  Api:
                    Type: AWS::Serverless::Api
                    Properties:
                      MethodSettings:
                        - {ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 10, ThrottlingBurstLimit: 10}
                  Plan:
                    Type: AWS::ApiGateway::UsagePlan
                    Properties:
                      ApiStages:
                        - Throttle:
                            /analytics/batch/POST: {RateLimit: !Ref Rate, BurstLimit: 1}
                      Throttle: {RateLimit: 1, BurstLimit: 1}
                      Quota: {Limit: 1, Period: DAY}
                """);

        assertThatThrownBy(() -> UsagePlan.fromTemplate(template, Map.of()))
                .hasMessage("the usage plan throttles /analytics/batch/POST, which is no method of the API [/analytics/POST]");
    }
}
