package com.hourlyanalytics.model;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;

/**
 * Turns raw query parameters into domain values, or rejects them with a one-line message.
 * Everything here runs before any store call, so a rejected request changes nothing.
 */
public final class RequestValidator {

    /** 9999-12-31T23:59:59.999Z: catches microsecond and nanosecond timestamps sent by mistake. */
    public static final long MAX_TIMESTAMP_MILLIS = 253_402_300_799_999L;
    /** Far inside DynamoDB's 2048-byte partition key limit, whatever the rest of the key holds. */
    public static final int MAX_USER_ID_BYTES = 256;
    /** A partner's clock may run ahead of ours; an event further ahead than this has not happened yet. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);

    static final String TIMESTAMP = "timestamp";
    static final String USER = "user";
    static final String EVENT = "event";

    private final Clock clock;

    public RequestValidator(Clock clock) {
        this.clock = clock;
    }

    /** A POST's event: timestamp, user and event, each present exactly once and valid. */
    public AnalyticsEvent event(QueryParameters parameters) {
        long timestamp = timestamp(parameters.required(TIMESTAMP));
        if (timestamp > clock.millis() + MAX_CLOCK_SKEW.toMillis()) {
            throw new InvalidRequestException("timestamp_in_future",
                    "query parameter 'timestamp' is more than " + MAX_CLOCK_SKEW.toHours() + " hour ahead of the server clock");
        }
        String user = userId(parameters.required(USER));
        EventType type = eventType(parameters.required(EVENT));
        return new AnalyticsEvent(timestamp, user, type);
    }

    /** A GET's hour: any instant of it. */
    public Hour hour(QueryParameters parameters) {
        return Hour.containing(timestamp(parameters.required(TIMESTAMP)));
    }

    public static long timestamp(String raw) {
        if (raw.length() > 1 && raw.charAt(0) == '-' && allDigits(raw, 1)) {
            throw new InvalidRequestException("timestamp_out_of_range", "query parameter 'timestamp' must not be negative");
        }
        if (!allDigits(raw, 0)) {
            throw new InvalidRequestException("invalid_timestamp",
                    "query parameter 'timestamp' must be a whole number of milliseconds since the epoch");
        }
        String significant = raw.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 15 || Long.parseLong(significant) > MAX_TIMESTAMP_MILLIS) {
            throw new InvalidRequestException("timestamp_out_of_range",
                    "query parameter 'timestamp' is out of range (0 to " + MAX_TIMESTAMP_MILLIS + ")");
        }
        return Long.parseLong(significant);
    }

    public static String userId(String raw) {
        if (raw.isBlank()) {
            throw new InvalidRequestException("invalid_user", "query parameter 'user' is blank");
        }
        for (int i = 0; i < raw.length(); ) {
            int codePoint = raw.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.SURROGATE) {
                throw new InvalidRequestException("invalid_user", "query parameter 'user' is not valid Unicode");
            }
            if (type == Character.CONTROL) {
                throw new InvalidRequestException("invalid_user", "query parameter 'user' contains a control character");
            }
            i += Character.charCount(codePoint);
        }
        if (raw.getBytes(StandardCharsets.UTF_8).length > MAX_USER_ID_BYTES) {
            throw new InvalidRequestException("invalid_user",
                    "query parameter 'user' is longer than " + MAX_USER_ID_BYTES + " UTF-8 bytes");
        }
        return raw;
    }

    public static EventType eventType(String raw) {
        return EventType.fromWireName(raw).orElseThrow(() -> new InvalidRequestException("invalid_event",
                "query parameter 'event' must be 'click' or 'impression'"));
    }

    private static boolean allDigits(String text, int from) {
        if (text.length() <= from) {
            return false;
        }
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
