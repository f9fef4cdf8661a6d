package com.hourlyanalytics.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.hourlyanalytics.local.template.CloudFormationYaml;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Arrays;

/**
 * The limits template.yaml gives the deployed API, read from its resources with each {@code !Ref} of a parameter
 * resolved to the parameter's Default, or to its override: per key (the usage plan's throttle, quota and
 * per-method throttles, {@code ApiStages[].Throttle}) and across keys (the stage's {@code MethodSettings}: the
 * {@code /*} {@code *} entry for every method, each other entry for its own method).
 *
 * @param keyMethods   per-method throttles of each key, by method ({@link ApiMethods}' names), on top of {@code key}
 * @param stageMethods stage throttles of the methods that have their own, instead of {@code stage}
 */
public record UsagePlan(Throttle key, Map<String, Throttle> keyMethods, long quotaLimit, Quota.Period quotaPeriod,
                        Throttle stage, Map<String, Throttle> stageMethods, ApiMethods methods) {

    public UsagePlan {
        keyMethods = Map.copyOf(keyMethods);
        stageMethods = Map.copyOf(stageMethods);
        keyMethods.keySet().forEach(method -> requireMethod(methods, method, "the usage plan"));
        stageMethods.keySet().forEach(method -> requireMethod(methods, method, "the stage's MethodSettings"));
    }

    /**
     * The template's usage plan and API stage, with {@code overrides} (SAM CLI's {@code --parameter-overrides}) over
     * its parameters' defaults; an override must name a parameter the template declares.
     */
    public static UsagePlan fromTemplate(Path template, Map<String, String> overrides) {
        JsonNode root = CloudFormationYaml.read(template);
        Map<String, String> parameters = new LinkedHashMap<>();
        root.path("Parameters").properties().forEach(p -> parameters.put(p.getKey(), p.getValue().path("Default").asText()));
        overrides.forEach((name, value) -> {
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("--parameter-overrides: template.yaml has no parameter " + name);
            }
            requireAllowed(name, value, root.path("Parameters").path(name));
            parameters.put(name, value);
        });
        JsonNode plan = CloudFormationYaml.onlyResource(root, "AWS::ApiGateway::UsagePlan").getValue().path("Properties");
        JsonNode api = CloudFormationYaml.onlyResource(root, "AWS::Serverless::Api").getValue().path("Properties");
        Values values = new Values(parameters);
        Map<String, Throttle> keyMethods = new LinkedHashMap<>();
        plan.path("ApiStages").forEach(stage -> stage.path("Throttle").properties().forEach(method ->
                keyMethods.put(method.getKey(), values.throttle(method.getValue(), "RateLimit", "BurstLimit"))));
        Throttle stage = null;
        Map<String, Throttle> stageMethods = new LinkedHashMap<>();
        for (JsonNode setting : api.path("MethodSettings")) {
            String path = setting.path("ResourcePath").asText();
            Throttle throttle = values.throttle(setting, "ThrottlingRateLimit", "ThrottlingBurstLimit");
            if (path.equals("/*") && setting.path("HttpMethod").asText().equals("*")) {
                stage = throttle;
            } else {
                // Stage settings write the path's slashes as ~1 after a leading /: /~1analytics~1batch is /analytics/batch.
                stageMethods.put(path.substring(1).replace("~1", "/") + "/" + setting.path("HttpMethod").asText().toUpperCase(Locale.ROOT),
                        throttle);
            }
        }
        if (stage == null) {
            throw new IllegalArgumentException("template.yaml's API has no MethodSettings entry for /* and *: no stage throttle");
        }
        String period = values.text(plan.at("/Quota/Period"));
        Quota.Period quotaPeriod = Arrays.stream(Quota.Period.values()).filter(p -> p.name().equalsIgnoreCase(period)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("QuotaPeriod must be DAY, WEEK or MONTH, not " + period));
        return new UsagePlan(values.throttle(plan.path("Throttle"), "RateLimit", "BurstLimit"), keyMethods,
                values.whole(plan.at("/Quota/Limit"), "Quota Limit"), quotaPeriod, stage, stageMethods, ApiMethods.fromTemplate(root));
    }

    /**
     * What CloudFormation checks of a parameter's value before it deploys (its AllowedValues, or a Number within
     * MinValue and MaxValue), so that a bad override stops the runner naming it, as it would stop a deploy.
     */
    private static void requireAllowed(String name, String value, JsonNode declared) {
        String expected = null;
        if (declared.path("AllowedValues").isArray()) {
            List<String> allowed = new ArrayList<>();
            declared.path("AllowedValues").forEach(v -> allowed.add(v.asText()));
            expected = allowed.contains(value) ? null : "one of " + String.join(", ", allowed);
        } else if (declared.path("Type").asText().equals("Number")) {
            JsonNode min = declared.path("MinValue");
            JsonNode max = declared.path("MaxValue");
            String range = (min.isMissingNode() ? "" : " from " + min.asText()) + (max.isMissingNode() ? "" : " up to " + max.asText());
            try {
                BigDecimal number = new BigDecimal(value);
                boolean inRange = (min.isMissingNode() || number.compareTo(new BigDecimal(min.asText())) >= 0)
                        && (max.isMissingNode() || number.compareTo(new BigDecimal(max.asText())) <= 0);
                expected = inRange ? null : "a number" + range;
            } catch (NumberFormatException e) {
                expected = "a number" + range;
            }
        }
        if (expected != null) {
            throw new IllegalArgumentException("--parameter-overrides " + name + " expects " + expected + ", not " + value);
        }
    }

    /** The throttle a key's request to {@code method} also takes a token from, if the plan has one. */
    Throttle keyThrottle(String method) {
        return keyMethods.get(method);
    }

    /** The stage throttle of {@code method}: its own, else the stage's default. */
    Throttle stageThrottle(String method) {
        return stageMethods.getOrDefault(method, stage);
    }

    /** {@code "Name=Value Name=Value"}, SAM CLI's form of {@code --parameter-overrides}. */
    public static Map<String, String> parseOverrides(String text) {
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String pair : text.strip().split("\\s+")) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("--parameter-overrides takes \"Name=Value Name=Value\", not " + pair);
            }
            overrides.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return overrides;
    }

    /** One line for the start-up banner. */
    public String describe() {
        return String.format(Locale.ROOT, "per key %s%s, quota %d per %s; stage %s per method%s", key.describe(), perMethod(keyMethods),
                quotaLimit, quotaPeriod, stage.describe(), perMethod(stageMethods));
    }

    private static String perMethod(Map<String, Throttle> throttles) {
        List<String> each = throttles.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> entry.getKey() + " " + entry.getValue().describe()).toList();
        return each.isEmpty() ? "" : " (" + String.join("; ", each) + ")";
    }

    private static void requireMethod(ApiMethods methods, String method, String where) {
        if (!methods.contains(method)) {
            throw new IllegalArgumentException(where + " throttles " + method + ", which is no method of the API " + methods.names());
        }
    }

    /** Template values: literals, or a {@code !Ref} to a parameter. */
    private record Values(Map<String, String> parameters) {

        String text(JsonNode value) {
            if (value.isValueNode()) {
                return value.asText();
            }
            String name = value.path("Ref").asText();
            if (!parameters.containsKey(name)) {
                throw new IllegalArgumentException("template.yaml: the local gateway reads literals and !Ref of a parameter, not " + value);
            }
            return parameters.get(name);
        }

        Throttle throttle(JsonNode node, String rate, String burst) {
            String rateText = text(node.path(rate));
            try {
                return new Throttle(Double.parseDouble(rateText), (int) whole(node.path(burst), burst));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source(node.path(rate), rate) + " must be a number, not " + rateText);
            }
        }

        /** A whole number, as API Gateway takes bursts and quota limits. */
        long whole(JsonNode value, String property) {
            String text = text(value);
            try {
                return Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source(value, property) + " must be a whole number up to " + Integer.MAX_VALUE
                        + ", not " + text);
            }
        }

        /** Where a value comes from, for a message: its parameter (the one to override), else the template. */
        private static String source(JsonNode value, String property) {
            return value.has("Ref") ? "parameter " + value.path("Ref").asText() + " (" + property + ")" : "template.yaml's " + property;
        }
    }
}
