package com.hourlyanalytics.local.gateway;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What API Gateway does in front of the functions, for both runner modes: the API key check, each key's usage
 * plan (its token bucket, its bucket for each method the plan throttles, and its quota), the stage throttle of each
 * method across all keys, the payload limits and the integration timeout. With no keys configured the API is open, as before keys existed locally: no key check, no throttle,
 * no quota (the deployed API always requires a key); the payload limits and the timeout still apply.
 */
public final class Gateway {

    /** API Gateway's REST integration timeout (its default and, for most accounts, its maximum). */
    public static final Duration INTEGRATION_TIMEOUT = Duration.ofSeconds(29);
    /** API Gateway's payload limit (10 MB), checked on the body before anything else. */
    public static final int MAX_BODY_BYTES = 10 << 20;
    /** Lambda's synchronous invocation payload limit (6 MB), checked on the whole event. */
    public static final int MAX_EVENT_BYTES = 6 << 20;
    /** Headers, query and request context never come near this, so smaller bodies need no measuring. */
    private static final int ENVELOPE_ALLOWANCE = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * @param apiKeys            none: the open API
     * @param parameterOverrides over template.yaml's parameter defaults (the usage plan's and the stage's limits)
     * @param integrationTimeout {@link #INTEGRATION_TIMEOUT} unless a test wants a shorter one
     */
    public record Options(List<ApiKey> apiKeys, Map<String, String> parameterOverrides, Duration integrationTimeout) {

        public static final Options OPEN = new Options(List.of(), Map.of(), INTEGRATION_TIMEOUT);

        public Options {
            apiKeys = List.copyOf(apiKeys);
            parameterOverrides = Map.copyOf(parameterOverrides);
            if (integrationTimeout.isNegative() || integrationTimeout.isZero()) {
                throw new IllegalArgumentException("the integration timeout must be above 0");
            }
        }
    }

    /** A request passes with its key (empty on the open API), or is refused with API Gateway's answer. */
    public sealed interface Decision permits Pass, Refuse {
    }

    public record Pass(Optional<ApiKey> key) implements Decision {
    }

    public record Refuse(APIGatewayProxyResponseEvent response) implements Decision {
    }

    /** A key's buckets: one for all its requests, one per method the plan throttles apart. */
    private record Plan(ApiKey key, TokenBucket bucket, Map<String, TokenBucket> methodBuckets, Quota quota) {
    }

    private static final Pass OPEN_PASS = new Pass(Optional.empty());

    private final Map<String, Plan> plansByKeyValue;
    /** Per method of the API, across all keys; null on the open API. */
    private final Map<String, TokenBucket> stage;
    private final UsagePlan usagePlan;
    private final Duration integrationTimeout;
    private final GatewayResponses responses;

    private Gateway(Map<String, Plan> plansByKeyValue, Map<String, TokenBucket> stage, UsagePlan usagePlan, Duration integrationTimeout,
                    GatewayResponses responses) {
        this.plansByKeyValue = plansByKeyValue;
        this.stage = stage;
        this.usagePlan = usagePlan;
        this.integrationTimeout = integrationTimeout;
        this.responses = responses;
    }

    /** The open API: every request passes (the limits and the timeout still apply). */
    public static Gateway open(Duration integrationTimeout, GatewayResponses responses) {
        return new Gateway(Map.of(), null, null, integrationTimeout, responses);
    }

    /**
     * The open API if {@code options} has no keys; else every key on {@code plan}, behind the stage throttle.
     * Each refusal is {@code responses}' answer.
     */
    public static Gateway of(Options options, UsagePlan plan, GatewayResponses responses, Clock clock) {
        if (options.apiKeys().isEmpty()) {
            return open(options.integrationTimeout(), responses);
        }
        Map<String, Plan> plans = new HashMap<>();
        Map<String, ApiKey> byId = new HashMap<>();
        for (ApiKey key : options.apiKeys()) {
            if (byId.put(key.id(), key) != null) {
                throw new IllegalArgumentException("--api-key: the id " + key.id() + " is given twice");
            }
            Map<String, TokenBucket> methodBuckets = new HashMap<>();
            plan.keyMethods().forEach((method, throttle) -> methodBuckets.put(method, throttle.bucket(clock)));
            Plan keyPlan = new Plan(key, plan.key().bucket(clock), Map.copyOf(methodBuckets),
                    new Quota(plan.quotaLimit(), plan.quotaPeriod(), clock));
            if (plans.put(key.value(), keyPlan) != null) {
                throw new IllegalArgumentException("--api-key: two ids share one value (API Gateway's key values are unique)");
            }
        }
        Map<String, TokenBucket> stage = new HashMap<>();
        plan.methods().names().forEach(method -> stage.put(method, plan.stageThrottle(method).bucket(clock)));
        return new Gateway(Map.copyOf(plans), Map.copyOf(stage), plan, options.integrationTimeout(), responses);
    }

    /**
     * The checks that need only the headers, in API Gateway's order: the key, its throttles (the key's, then its
     * method's if the plan throttles that method apart) and the method's stage throttle, then its quota. A request
     * refused by one check costs nothing in the others, so a throttled one is never counted.
     *
     * @param resource   the API resource the request is for (a path the API has)
     * @param httpMethod the request's method; the API runs the resource's method for it, or its ANY
     */
    public Decision check(String apiKeyHeader, String resource, String httpMethod) {
        if (stage == null) {
            return OPEN_PASS;
        }
        // API Gateway finds the method before it looks at the key.
        String method = usagePlan.methods().of(resource, httpMethod);
        if (method == null) {
            return refuse(GatewayResponses.Type.MISSING_AUTHENTICATION_TOKEN);
        }
        Plan plan = apiKeyHeader == null ? null : plansByKeyValue.get(apiKeyHeader);
        if (plan == null) {
            return refuse(GatewayResponses.Type.INVALID_API_KEY);
        }
        List<TokenBucket> taken = new ArrayList<>(3);
        for (TokenBucket bucket : new TokenBucket[] {plan.bucket(), plan.methodBuckets().get(method), stage.get(method)}) {
            if (bucket == null) {
                continue;
            }
            if (!bucket.tryTake()) {
                taken.forEach(TokenBucket::giveBack);
                return refuse(GatewayResponses.Type.THROTTLED);
            }
            taken.add(bucket);
        }
        if (!plan.quota().tryTake()) {
            taken.forEach(TokenBucket::giveBack);
            return refuse(GatewayResponses.Type.QUOTA_EXCEEDED);
        }
        return new Pass(Optional.of(plan.key()));
    }

    /** Lambda's payload limit on the whole event; only large bodies are measured. */
    public Optional<APIGatewayProxyResponseEvent> checkEvent(APIGatewayProxyRequestEvent event) {
        String body = event.getBody();
        if (body == null || body.length() < MAX_EVENT_BYTES - ENVELOPE_ALLOWANCE) {
            return Optional.empty();
        }
        try {
            return JSON.writeValueAsBytes(event).length > MAX_EVENT_BYTES ? Optional.of(responses.answer(GatewayResponses.Type.REQUEST_TOO_LARGE)) : Optional.empty();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Refuse refuse(GatewayResponses.Type type) {
        return new Refuse(responses.answer(type));
    }

    /** What API Gateway answers itself, as the deployed API customises it. */
    public GatewayResponses responses() {
        return responses;
    }

    public Duration integrationTimeout() {
        return integrationTimeout;
    }

    /** One line for the start-up banner: key ids and limits, never a key's value. */
    public String describe() {
        String timeout = "integration timeout " + integrationTimeout.toMillis() / 1000.0 + " s";
        if (stage == null) {
            return "open: no --api-key, so no x-api-key check, throttle or quota (the deployed API requires a key); " + timeout;
        }
        List<String> ids = plansByKeyValue.values().stream().map(plan -> plan.key().id()).sorted().toList();
        return "x-api-key required, key ids " + String.join(", ", ids) + "; " + usagePlan.describe() + "; " + timeout;
    }
}
