package com.hourlyanalytics.http;

import static com.hourlyanalytics.http.RequestValidator.MAX_EVENT_ID_LENGTH;
import static com.hourlyanalytics.http.RequestValidator.MAX_TIMESTAMP_MILLIS;
import static com.hourlyanalytics.http.RequestValidator.MAX_USER_ID_BYTES;

import com.hourlyanalytics.model.EventType;
import java.nio.charset.StandardCharsets;

/**
 * The rules of each event field, alike for query parameters and batch lines: each method returns the field's value or
 * throws with a one-line message that starts with {@code subject} (the parameter, or the batch line and field).
 */
final class EventFields {

    private EventFields() {
    }

    /** Letters, digits and {@code - _ . :}, at most {@link #MAX_EVENT_ID_LENGTH}; never an event type's name. */
    static String eventId(String raw, String subject) {
        if (raw.isEmpty() || raw.length() > MAX_EVENT_ID_LENGTH) {
            throw new InvalidRequestException("invalid_event_id", subject + " must be 1 to " + MAX_EVENT_ID_LENGTH + " characters");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':')) {
                throw new InvalidRequestException("invalid_event_id", subject + " may hold only letters, digits and - _ . :");
            }
        }
        if (EventType.fromWireName(raw).isPresent()) {
            // A batch line's last field is read as its event type when it names one.
            throw new InvalidRequestException("invalid_event_id", subject + " must not be an event type's name");
        }
        return raw;
    }

    static long timestamp(String raw, String subject) {
        if (raw.length() > 1 && raw.charAt(0) == '-' && allDigits(raw, 1)) {
            throw new InvalidRequestException("timestamp_out_of_range", subject + " must not be negative");
        }
        if (!allDigits(raw, 0)) {
            throw new InvalidRequestException("invalid_timestamp", subject + " must be a whole number of milliseconds since the epoch");
        }
        String significant = raw.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 15 || Long.parseLong(significant) > MAX_TIMESTAMP_MILLIS) {
            throw new InvalidRequestException("timestamp_out_of_range",
                    subject + " is out of range (0 to " + MAX_TIMESTAMP_MILLIS + ")");
        }
        return Long.parseLong(significant);
    }

    static String userId(String raw, String subject) {
        if (raw.isBlank()) {
            throw new InvalidRequestException("invalid_user", subject + " is blank");
        }
        for (int i = 0; i < raw.length(); ) {
            int codePoint = raw.codePointAt(i);
            int type = Character.getType(codePoint);
            if (type == Character.SURROGATE) {
                throw new InvalidRequestException("invalid_user", subject + " is not valid Unicode");
            }
            if (type == Character.CONTROL) {
                throw new InvalidRequestException("invalid_user", subject + " contains a control character");
            }
            i += Character.charCount(codePoint);
        }
        if (raw.getBytes(StandardCharsets.UTF_8).length > MAX_USER_ID_BYTES) {
            throw new InvalidRequestException("invalid_user", subject + " is longer than " + MAX_USER_ID_BYTES + " UTF-8 bytes");
        }
        return raw;
    }

    static EventType eventType(String raw, String subject) {
        return EventType.fromWireName(raw).orElseThrow(() -> new InvalidRequestException("invalid_event",
                subject + " must be 'click' or 'impression'"));
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
