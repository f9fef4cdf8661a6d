package com.hourlyanalytics.deployment;

import com.hourlyanalytics.local.template.CloudFormationYaml;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.hourlyanalytics.testing.ApiEvents;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** template.yaml, read with its intrinsics in long form, and the lookups the checks share. */
record Template(JsonNode root) {

    static Template load() {
        return new Template(CloudFormationYaml.read(ApiEvents.repoRoot().resolve("template.yaml")));
    }

    JsonNode resource(String logicalId) {
        JsonNode resource = root.path("Resources").path(logicalId);
        if (resource.isMissingNode()) {
            throw new AssertionError("template.yaml has no resource " + logicalId);
        }
        return resource;
    }

    /** Logical id to resource, in template order. */
    Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        root.path("Resources").properties().forEach(entry -> {
            if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue());
            }
        });
        return found;
    }

    JsonNode globalFunction() {
        return root.path("Globals").path("Function");
    }

    /** The one AWS::Serverless::Api: every route must belong to it, so that every route needs a key. */
    Map.Entry<String, JsonNode> api() {
        Map<String, JsonNode> apis = resources("AWS::Serverless::Api");
        if (apis.size() != 1) {
            throw new AssertionError("expected exactly one AWS::Serverless::Api, found " + apis.keySet());
        }
        return apis.entrySet().iterator().next();
    }

    /**
     * The one dashboard's body, parsed: parameters are replaced by their defaults (so that a number stays a number),
     * other references by placeholders ({@link TemplateIT#render}).
     */
    JsonNode dashboard() {
        Map<String, JsonNode> dashboards = resources("AWS::CloudWatch::Dashboard");
        if (dashboards.size() != 1) {
            throw new AssertionError("expected one dashboard, found " + dashboards.keySet());
        }
        String body = dashboards.values().iterator().next().at("/Properties/DashboardBody/Fn::Sub").asText();
        for (var parameter : root.path("Parameters").properties()) {
            if (parameter.getValue().has("Default")) {
                body = body.replace("${" + parameter.getKey() + "}", parameter.getValue().path("Default").asText());
            }
        }
        try {
            return new ObjectMapper().readTree(TemplateIT.render(JsonNodeFactory.instance.objectNode().put("Fn::Sub", body)));
        } catch (IOException e) {
            throw new AssertionError("the dashboard body is not JSON", e);
        }
    }

    static JsonNode ref(String name) {
        return CloudFormationYaml.parse("Ref: " + name);
    }

    static JsonNode getAtt(String resource, String attribute) {
        return CloudFormationYaml.parse("Fn::GetAtt: [" + resource + ", " + attribute + "]");
    }
}
