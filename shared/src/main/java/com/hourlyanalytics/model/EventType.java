package com.hourlyanalytics.model;

import java.util.Optional;

/** What a partner reports; {@code wireName} is the exact, lower-case query value. */
public enum EventType {
    CLICK("click"),
    IMPRESSION("impression");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String value) {
        for (EventType type : values()) {
            if (type.wireName.equals(value)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
