package com.hourlyanalytics.model;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Whose visitors these are: every count, every user and every read belongs to one partner, so two partners never
 * see or change each other's numbers, and user {@code 1} of one partner is not user {@code 1} of another.
 * {@link #DEFAULT} owns requests that carry no API key id (a local run without keys) and the data written before
 * items were scoped by partner.
 */
public record Partner(String id) {

    /** The partner of requests without an API key id; its id is empty, which no named partner's can be. */
    public static final Partner DEFAULT = new Partner("");
    /** API Gateway's key ids are 10 characters; room for operator-chosen partner ids, far inside the key limit. */
    public static final int MAX_ID_BYTES = 128;

    /** @throws IllegalArgumentException when the id is too long or holds a control character or a lone surrogate */
    public Partner {
        Objects.requireNonNull(id, "id");
        if (id.getBytes(StandardCharsets.UTF_8).length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("partner id is longer than " + MAX_ID_BYTES + " UTF-8 bytes");
        }
        if (id.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.SURROGATE)) {
            throw new IllegalArgumentException("partner id holds a control character or invalid Unicode");
        }
    }

    public boolean isDefault() {
        return id.isEmpty();
    }

    @Override
    public String toString() {
        return isDefault() ? "(default partner)" : id;
    }
}
