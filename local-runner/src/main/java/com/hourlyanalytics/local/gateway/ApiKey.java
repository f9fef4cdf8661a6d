package com.hourlyanalytics.local.gateway;

/**
 * An API key as API Gateway holds one: its id (which names the partner, and may be logged) and its value (a
 * secret: never printed, so {@link #toString()} leaves it out).
 */
public record ApiKey(String id, String value) {

    public ApiKey {
        if (id == null || id.isBlank() || value == null || value.isBlank()) {
            throw new IllegalArgumentException("an API key needs an id and a value: --api-key ID=VALUE");
        }
    }

    /** {@code ID=VALUE}, as {@code ./run --api-key} takes it. */
    public static ApiKey parse(String idEqualsValue) {
        int equals = idEqualsValue.indexOf('=');
        if (equals < 0) {
            throw new IllegalArgumentException("--api-key takes ID=VALUE");
        }
        return new ApiKey(idEqualsValue.substring(0, equals), idEqualsValue.substring(equals + 1));
    }

    @Override
    public String toString() {
        return "ApiKey[id=" + id + "]";
    }
}
