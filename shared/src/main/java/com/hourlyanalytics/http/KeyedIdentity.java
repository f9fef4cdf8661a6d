package com.hourlyanalytics.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.RequestIdentity;
import java.util.Objects;

/**
 * The proxy event's {@code requestContext.identity} with the field the events library lacks: {@code apiKeyId}, the
 * id of the caller's API key (the value, {@code apiKey}, is a secret and never leaves the request).
 */
public final class KeyedIdentity extends RequestIdentity {

    private String apiKeyId;

    public String getApiKeyId() {
        return apiKeyId;
    }

    public void setApiKeyId(String apiKeyId) {
        this.apiKeyId = apiKeyId;
    }

    public KeyedIdentity withApiKeyId(String apiKeyId) {
        this.apiKeyId = apiKeyId;
        return this;
    }

    /** The key id of an event's identity, or null when it carries none. */
    public static String apiKeyId(RequestIdentity identity) {
        return identity instanceof KeyedIdentity keyed ? keyed.apiKeyId : null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof KeyedIdentity keyed && super.equals(other) && Objects.equals(apiKeyId, keyed.apiKeyId);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Objects.hashCode(apiKeyId);
    }
}
