package com.hourlyanalytics.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./run --parameter-overrides}: a value template.yaml's parameter does not allow stops the runner in one line naming
 * the parameter and what it expects, as CloudFormation would refuse it (before: Java's parse error, or a negative quota taken).
 */
class UsagePlanOverridesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ThrottleRateLimit|abc|--parameter-overrides ThrottleRateLimit expects a number from 1, not abc",
            "QuotaLimit|-5|--parameter-overrides QuotaLimit expects a number from 1, not -5",
            "StageGetThrottleBurstLimit|0|--parameter-overrides StageGetThrottleBurstLimit expects a number from 1, not 0",
            "QuotaPeriod|day|--parameter-overrides QuotaPeriod expects one of DAY, WEEK, MONTH, not day",
    })
    void overrideTheParameterDoesNotAllow_refusedNamingIt(String name, String value, String message) {
        assertThatThrownBy(() -> UsagePlan.fromTemplate(GatewayResponsesTest.TEMPLATE, Map.of(name, value)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void fractionalBurst_refusedNamingTheParameter() {
        assertThatThrownBy(() -> UsagePlan.fromTemplate(GatewayResponsesTest.TEMPLATE, Map.of("ThrottleBurstLimit", "1.5")))
                .hasMessage("parameter ThrottleBurstLimit (BurstLimit) must be a whole number up to 2147483647, not 1.5");
    }

    @Test
    void fractionalRate_taken() {
        assertThat(UsagePlan.fromTemplate(GatewayResponsesTest.TEMPLATE, Map.of("ThrottleRateLimit", "1.5")).key())
                .isEqualTo(new Throttle(1.5, 200));
    }

    @Test
    void numberOutsideMaxValue_refused(@TempDir Path folder) throws Exception {
        Path template = folder.resolve("template.yaml");
        Files.writeString(template, """
                Parameters:
                  Limit: {Type: Number, Default: 5, MinValue: 1, MaxValue: 10}
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
                      Throttle: {RateLimit: 1, BurstLimit: 1}
                      Quota: {Limit: !Ref Limit, Period: DAY}
                """);

        assertThatThrownBy(() -> UsagePlan.fromTemplate(template, Map.of("Limit", "11")))
                .hasMessage("--parameter-overrides Limit expects a number from 1 up to 10, not 11");
        assertThat(UsagePlan.fromTemplate(template, Map.of("Limit", "10")).quotaLimit()).isEqualTo(10);
    }
}
