package com.hourlyanalytics.client;

import java.util.Optional;

/** What a visitor did, with the name the API uses for it. */
public enum EventType {
    CLICK("click"),
    IMPRESSION("impression");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** {@code click} or {@code impression}, as in the API's {@code event} parameter and batch lines. */
    public String wireName() {
        return wireName;
    }

    public static Optional<EventType> fromWireName(String name) {
        for (EventType type : values()) {
            if (type.wireName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
