package com.hourlyanalytics.local.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.hourlyanalytics.local.template.CloudFormationYaml;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The limits template.yaml gives the deployed API: per key (the usage plan's throttle and quota) and across all
 * keys (the stage's throttle). Each is a template parameter, read with its Default unless overridden.
 */
public record UsagePlan(double rateLimit, int burstLimit, long quotaLimit, Quota.Period quotaPeriod,
                        double stageRateLimit, int stageBurstLimit) {

    static final String RATE = "ThrottleRateLimit";
    static final String BURST = "ThrottleBurstLimit";
    static final String QUOTA = "QuotaLimit";
    static final String PERIOD = "QuotaPeriod";
    static final String STAGE_RATE = "StageThrottleRateLimit";
    static final String STAGE_BURST = "StageThrottleBurstLimit";

    /**
     * The template's parameters, with {@code overrides} (SAM CLI's {@code --parameter-overrides}) over their
     * defaults; an override must name a parameter the template declares.
     */
    public static UsagePlan fromTemplate(Path template, Map<String, String> overrides) {
        JsonNode parameters = CloudFormationYaml.read(template).path("Parameters");
        Map<String, String> values = new LinkedHashMap<>();
        parameters.fields().forEachRemaining(p -> values.put(p.getKey(), p.getValue().path("Default").asText()));
        overrides.forEach((name, value) -> {
            if (!values.containsKey(name)) {
                throw new IllegalArgumentException("--parameter-overrides: template.yaml has no parameter " + name);
            }
            values.put(name, value);
        });
        try {
            return new UsagePlan(Double.parseDouble(values.get(RATE)), Integer.parseInt(values.get(BURST)),
                    Long.parseLong(values.get(QUOTA)), Quota.Period.valueOf(values.get(PERIOD).toUpperCase(Locale.ROOT)),
                    Double.parseDouble(values.get(STAGE_RATE)), Integer.parseInt(values.get(STAGE_BURST)));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("template.yaml's usage-plan parameters (" + RATE + ", " + BURST + ", " + QUOTA
                    + ", " + STAGE_RATE + ", " + STAGE_BURST + ") must be numbers: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(PERIOD + " must be DAY, WEEK or MONTH, not " + values.get(PERIOD));
        }
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
        return String.format(Locale.ROOT, "per key %s req/s, burst %d, quota %d per %s; stage %s req/s, burst %d",
                number(rateLimit), burstLimit, quotaLimit, quotaPeriod, number(stageRateLimit), stageBurstLimit);
    }

    private static String number(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
