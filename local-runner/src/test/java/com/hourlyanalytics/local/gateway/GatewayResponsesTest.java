package com.hourlyanalytics.local.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.hourlyanalytics.local.template.CloudFormationYaml;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class GatewayResponsesTest {

    /** The repository's template.yaml: surefire runs in the module's folder. */
    static final Path TEMPLATE = Path.of("").toAbsolutePath().getParent().resolve("template.yaml");

    private static final GatewayResponses DEPLOYED = GatewayResponses.fromTemplate(TEMPLATE);

    /** The template's own entry for {@code type}, or the DEFAULT_4XX / DEFAULT_5XX it falls back to. */
    private static JsonNode templateEntry(GatewayResponses.Type type) {
        JsonNode responses = CloudFormationYaml.read(TEMPLATE).path("Resources").path("PartnerApi").path("Properties")
                .path("GatewayResponses");
        JsonNode own = responses.path(type.name());
        return own.isMissingNode() ? responses.path(type.status() >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX") : own;
    }

    @ParameterizedTest
    @EnumSource(GatewayResponses.Type.class)
    void eachType_answersWhatTheTemplateCustomises(GatewayResponses.Type type) {
        JsonNode entry = templateEntry(type);
        APIGatewayProxyResponseEvent answer = DEPLOYED.answer(type);

        assertThat(entry.isMissingNode()).as("template.yaml customises %s or its fallback", type).isFalse();
        assertThat(answer.getStatusCode()).isEqualTo(entry.has("StatusCode") ? entry.path("StatusCode").asInt() : type.status());
        entry.path("ResponseParameters").path("Headers").fields().forEachRemaining(header ->
                assertThat(answer.getHeaders()).containsEntry(header.getKey(), header.getValue().asText().replace("'", "")));
        assertThat(answer.getBody()).isEqualTo(entry.path("ResponseTemplates").path("application/json").asText()
                .replace("$context.error.message", type.message()));
    }

    @Test
    void deployedTexts_areOnePlainTextLine() {
        for (GatewayResponses.Type type : GatewayResponses.Type.values()) {
            APIGatewayProxyResponseEvent answer = DEPLOYED.answer(type);
            assertThat(answer.getHeaders()).as("%s", type).containsEntry("Content-Type", "text/plain");
            assertThat(answer.getBody()).as("%s", type).endsWith("\n").doesNotContain("$").hasLineCount(1);
        }
        assertThat(DEPLOYED.answer(GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN).getStatusCode()).isEqualTo(404);
        assertThat(DEPLOYED.answer(GatewayResponses.Type.THROTTLED).getHeaders()).containsEntry("Retry-After", "1");
        assertThat(DEPLOYED.answer(GatewayResponses.Type.INTEGRATION_TIMEOUT).getBody()).isEqualTo("Endpoint request timed out\n");
    }

    @Test
    void noCustomisation_answersApiGatewaysDefaultJson() {
        APIGatewayProxyResponseEvent answer = GatewayResponses.DEFAULTS.answer(GatewayResponses.Type.THROTTLED);

        assertThat(answer.getStatusCode()).isEqualTo(429);
        assertThat(answer.getBody()).isEqualTo("{\"message\":\"Too Many Requests\"}");
        assertThat(answer.getHeaders()).containsEntry("Content-Type", "application/json")
                .containsEntry("x-amzn-ErrorType", "TooManyRequestsException");
    }

    @Test
    void uncustomisedType_takesItsDefaultXxx_withThatStatusIfItHasOne() {
        GatewayResponses responses = GatewayResponses.fromTemplate(CloudFormationYaml.parse("""
                Resources:
                  Api:
                    Type: AWS::Serverless::Api
                    Properties:
                      GatewayResponses:
                        DEFAULT_4XX:
                          StatusCode: '400'
                          ResponseTemplates:
                            application/json: '{"error":$context.error.messageString,"type":"$context.error.responseType"}'
                        THROTTLED:
                          ResponseParameters:
                            Headers:
                              Retry-After: "'2'"
                """));

        APIGatewayProxyResponseEvent quota = responses.answer(GatewayResponses.Type.QUOTA_EXCEEDED);
        assertThat(quota.getStatusCode()).isEqualTo(400);
        assertThat(quota.getBody()).isEqualTo("{\"error\":\"Limit Exceeded\",\"type\":\"QUOTA_EXCEEDED\"}");
        APIGatewayProxyResponseEvent throttled = responses.answer(GatewayResponses.Type.THROTTLED);
        assertThat(throttled.getStatusCode()).as("its own entry, without a StatusCode").isEqualTo(429);
        assertThat(throttled.getHeaders()).containsEntry("Retry-After", "2");
        assertThat(throttled.getBody()).as("its own entry, without a template").isEqualTo("{\"message\":\"Too Many Requests\"}");
        assertThat(responses.answer(GatewayResponses.Type.INTEGRATION_TIMEOUT).getBody())
                .as("DEFAULT_4XX is not a 5XX's fallback").isEqualTo("{\"message\": \"Endpoint request timed out\"}");
    }

    @Test
    void whatTheRunnerCannotAnswer_isRefusedAtStart() {
        assertThatThrownBy(() -> GatewayResponses.fromTemplate(CloudFormationYaml.parse("""
                Resources:
                  Api:
                    Type: AWS::Serverless::Api
                    Properties:
                      GatewayResponses:
                        THROTTLED:
                          ResponseParameters:
                            Headers:
                              X-Request: method.request.header.x-request
                """))).hasMessageContaining("THROTTLED").hasMessageContaining("X-Request");
        assertThatThrownBy(() -> GatewayResponses.fromTemplate(CloudFormationYaml.parse("""
                Resources:
                  Api:
                    Type: AWS::Serverless::Api
                    Properties:
                      GatewayResponses:
                        DEFAULT_5XX:
                          ResponseTemplates:
                            application/json: "$context.requestId\\n"
                """))).hasMessageContaining("DEFAULT_5XX");
        assertThatThrownBy(() -> GatewayResponses.fromTemplate(CloudFormationYaml.parse("Resources: {}")))
                .hasMessageContaining("one AWS::Serverless::Api");
    }
}
