package com.hourlyanalytics.client.send;

import com.hourlyanalytics.client.Event;
import com.hourlyanalytics.client.EventType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A batch line as the event the client sends. The fields are split as the API splits them (docs/api.md, "Batches"):
 * the user is everything between the first comma and the comma before the event, and a line of three commas or more
 * whose last field is not an event type ends with its event id. A line without an id gets one made of its number and
 * a hash of its bytes, so that the same file sent again (after a crash or a kill) resends the same ids and counts
 * nothing twice, and lines appended later leave earlier ids as they were.
 */
final class LineEvents {

    private LineEvents() {
    }

    /** @throws IllegalArgumentException with a message naming the problem (the line number is the caller's) */
    static Event parse(LineReader.Line line) {
        if (line.text == null) {
            throw new IllegalArgumentException("is not valid UTF-8");
        }
        String text = line.text;
        int first = text.indexOf(',');
        int last = text.lastIndexOf(',');
        if (first < 0 || first == last) {
            throw new IllegalArgumentException("expected timestamp,user,event[,event_id]");
        }
        String eventId = null;
        int eventEnd = text.length();
        if (text.lastIndexOf(',', last - 1) > first && EventType.fromWireName(text.substring(last + 1)).isEmpty()) {
            eventId = text.substring(last + 1);
            eventEnd = last;
            last = text.lastIndexOf(',', last - 1);
        }
        String event = text.substring(last + 1, eventEnd);
        EventType type = EventType.fromWireName(event)
                .orElseThrow(() -> new IllegalArgumentException("event must be 'click' or 'impression'"));
        return Event.of(timestamp(text.substring(0, first)), text.substring(first + 1, last), type,
                eventId == null ? derivedId(line.number, line.bytes) : eventId);
    }

    private static long timestamp(String raw) {
        boolean negative = raw.startsWith("-");
        String digits = negative ? raw.substring(1) : raw;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("timestamp must be a whole number of milliseconds since the epoch");
        }
        if (negative) {
            throw new IllegalArgumentException("timestamp must not be negative");
        }
        String significant = digits.replaceFirst("^0+(?=.)", "");
        if (significant.length() > 15) {
            throw new IllegalArgumentException("timestamp is out of range (0 to 253402300799999)");
        }
        return Long.parseLong(significant);
    }

    /** {@code line<N>-<the first 32 hex digits of the SHA-256 of the line's bytes>}. */
    static String derivedId(long number, byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder id = new StringBuilder("line").append(number).append('-');
            for (int i = 0; i < 16; i++) {
                id.append(Character.forDigit((digest[i] >> 4) & 0xf, 16)).append(Character.forDigit(digest[i] & 0xf, 16));
            }
            return id.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
