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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTest {

    private static final ApiKey P1 = new ApiKey("p1", "secret-value-one");
    private static final ApiKey P2 = new ApiKey("p2", "secret-value-two");

    /** template.yaml's answers: each refusal must be the deployed API's, not API Gateway's default. */
    private static final GatewayResponses RESPONSES = GatewayResponses.fromTemplate(GatewayResponsesTest.TEMPLATE);

    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-05T10:00:00Z"));

    private Gateway gateway(UsagePlan plan) {
        return Gateway.of(new Gateway.Options(List.of(P1, P2), Map.of(), Gateway.INTEGRATION_TIMEOUT), plan, RESPONSES, clock);
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
        Gateway gateway = gateway(new UsagePlan(100, 100, 1000, Quota.Period.DAY, 1000, 1000));

        assertThat(body(gateway.check(null))).isEqualTo(body(GatewayResponses.Type.INVALID_API_KEY));
        assertThat(status(gateway.check("p1"))).as("the id is not the key").isEqualTo(403);
        assertThat(status(gateway.check("secret-value-three"))).isEqualTo(403);
    }

    @Test
    void validKey_passesWithItsIdAndValue() {
        Gateway gateway = gateway(new UsagePlan(100, 100, 1000, Quota.Period.DAY, 1000, 1000));

        assertThat(gateway.check("secret-value-two")).isEqualTo(new Gateway.Pass(Optional.of(P2)));
    }

    @Test
    void eachKeyHasItsOwnBucket() {
        Gateway gateway = gateway(new UsagePlan(1, 2, 1000, Quota.Period.DAY, 1000, 1000));

        assertThat(status(gateway.check(P1.value()))).isEqualTo(200);
        assertThat(status(gateway.check(P1.value()))).isEqualTo(200);
        assertThat(body(gateway.check(P1.value()))).isEqualTo(body(GatewayResponses.Type.THROTTLED));
        assertThat(status(gateway.check(P2.value()))).isEqualTo(200);
    }

    @Test
    void stageThrottle_limitsAllKeysTogether() {
        Gateway gateway = gateway(new UsagePlan(100, 100, 1000, Quota.Period.DAY, 1, 3));

        assertThat(status(gateway.check(P1.value()))).isEqualTo(200);
        assertThat(status(gateway.check(P2.value()))).isEqualTo(200);
        assertThat(status(gateway.check(P1.value()))).isEqualTo(200);
        assertThat(body(gateway.check(P2.value()))).isEqualTo(body(GatewayResponses.Type.THROTTLED));
    }

    @Test
    void quota_refusesWithLimitExceeded_andThrottledRequestsAreNotCounted() {
        Gateway gateway = gateway(new UsagePlan(1, 1, 2, Quota.Period.DAY, 1000, 1000));

        assertThat(status(gateway.check(P1.value()))).isEqualTo(200);
        assertThat(status(gateway.check(P1.value()))).as("throttled, so not counted").isEqualTo(429);
        assertThat(status(gateway.check(P1.value()))).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(status(gateway.check(P1.value()))).as("the quota's second request").isEqualTo(200);
        clock.advance(Duration.ofSeconds(1));
        assertThat(body(gateway.check(P1.value()))).isEqualTo(body(GatewayResponses.Type.QUOTA_EXCEEDED));
        assertThat(status(gateway.check(P2.value()))).as("another key's quota").isEqualTo(200);
    }

    @Test
    void quotaRefusal_costsNoThrottleToken() {
        Gateway gateway = gateway(new UsagePlan(1, 1, 1, Quota.Period.DAY, 1, 1));
        gateway.check(P1.value());
        clock.advance(Duration.ofSeconds(1));

        assertThat(body(gateway.check(P1.value()))).isEqualTo(body(GatewayResponses.Type.QUOTA_EXCEEDED));
        assertThat(status(gateway.check(P2.value()))).as("the stage token came back").isEqualTo(200);
    }

    @Test
    void noKeys_isOpen_withoutThrottle() {
        Gateway gateway = Gateway.of(Gateway.Options.OPEN, new UsagePlan(1, 1, 1, Quota.Period.DAY, 1, 1), RESPONSES, clock);

        for (int i = 0; i < 100; i++) {
            assertThat(gateway.check(null)).isEqualTo(new Gateway.Pass(Optional.empty()));
        }
        assertThat(gateway.describe()).startsWith("open");
    }

    @Test
    void description_namesKeyIds_neverValues() {
        Gateway gateway = gateway(new UsagePlan(100, 200, 1000, Quota.Period.MONTH, 1000, 2000));

        assertThat(gateway.describe()).contains("p1, p2", "quota 1000 per MONTH").doesNotContain(P1.value(), P2.value());
        assertThat(P1.toString()).doesNotContain(P1.value());
    }

    @Test
    void sameValueForTwoIds_isRefused() {
        assertThatThrownBy(() -> Gateway.of(new Gateway.Options(List.of(P1, new ApiKey("p3", P1.value())), Map.of(),
                Gateway.INTEGRATION_TIMEOUT), new UsagePlan(1, 1, 1, Quota.Period.DAY, 1, 1), RESPONSES, clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining(P1.value());
    }

    @Test
    void usagePlan_readsTemplateDefaults_underOverrides(@TempDir Path folder) throws Exception {
        Path template = folder.resolve("template.yaml");
        Files.writeString(template, """
                Parameters:
                  ThrottleRateLimit: {Type: Number, Default: 100}
                  ThrottleBurstLimit: {Type: Number, Default: 200}
                  QuotaLimit: {Type: Number, Default: 10000000}
                  QuotaPeriod: {Type: String, Default: MONTH}
                  StageThrottleRateLimit: {Type: Number, Default: 1000}
                  StageThrottleBurstLimit: {Type: Number, Default: 2000}
                """);

        assertThat(UsagePlan.fromTemplate(template, Map.of()))
                .isEqualTo(new UsagePlan(100, 200, 10_000_000, Quota.Period.MONTH, 1000, 2000));
        assertThat(UsagePlan.fromTemplate(template, UsagePlan.parseOverrides(" QuotaLimit=5  QuotaPeriod=DAY ")))
                .isEqualTo(new UsagePlan(100, 200, 5, Quota.Period.DAY, 1000, 2000));
        assertThatThrownBy(() -> UsagePlan.fromTemplate(template, Map.of("QuotaLimt", "5")))
                .hasMessageContaining("no parameter QuotaLimt");
        assertThatThrownBy(() -> UsagePlan.fromTemplate(template, Map.of("QuotaPeriod", "YEAR")))
                .hasMessageContaining("DAY, WEEK or MONTH");
    }
}
