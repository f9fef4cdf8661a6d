package com.hourlyanalytics.http;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.store.CounterStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Turns raw query parameters or a batch body into domain values, or rejects them with a one-line message.
 * Everything here runs before any store call, so a rejected request changes nothing.
 */
public final class RequestValidator {

    /** 9999-12-31T23:59:59.999Z: catches microsecond and nanosecond timestamps sent by mistake. */
    public static final long MAX_TIMESTAMP_MILLIS = 253_402_300_799_999L;
    /** Far inside DynamoDB's 2048-byte partition key limit, whatever the rest of the key holds. */
    public static final int MAX_USER_ID_BYTES = 256;
    /** A partner's clock may run ahead of ours; an event further ahead than this has not happened yet. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofHours(1);
    /**
     * Lines in one batch body: with the batch route's rate limits (template.yaml), the planned partners' batches at
     * their worst write cost fit the table's capacity (docs/capacity.md, "Partners fenced"; CapacityPlanIT checks it).
     */
    public static final int MAX_BATCH_LINES = 250;
    /** UTF-8 bytes in one batch body; the local runner's request limit too. */
    public static final int MAX_BATCH_BYTES = 1 << 20;

    /** Room for a UUID, ULID or any partner's own id scheme, kept short so an id item stays one write unit. */
    public static final int MAX_EVENT_ID_LENGTH = 128;

    static final String TIMESTAMP = "timestamp";
    static final String USER = "user";
    static final String EVENT = "event";
    static final String EVENT_ID = "event_id";

    private static final UnaryOperator<String> QUERY = name -> "query parameter '" + name + "'";

    private final Clock clock;
    private final Duration markerRetention;

    /** Accepts past events of any age: the store remembers who was counted forever. */
    public RequestValidator(Clock clock) {
        this(clock, Duration.ZERO);
    }

    /**
     * @param markerRetention how long the store remembers who was counted in an hour after it ends (zero: forever).
     *                        Older events are rejected: once the marker is gone, a repeat user would count twice.
     */
    public RequestValidator(Clock clock, Duration markerRetention) {
        this.clock = clock;
        this.markerRetention = markerRetention;
    }

    /** A POST's event: timestamp, user and event, each present exactly once and valid, and an optional event_id. */
    public AnalyticsEvent event(QueryParameters parameters) {
        return event(parameters.required(TIMESTAMP), parameters.required(USER), parameters.required(EVENT),
                parameters.optional(EVENT_ID), QUERY, clock.millis());
    }

    /**
     * A batch body: one {@code timestamp,user,event[,event_id]} per line, '\n' or "\r\n" line ends, the last one
     * optional. A line with three commas or more has an event_id unless its last field is an event type; the user is
     * everything between the first comma and the event type's, so user ids may hold commas unescaped. A line
     * repeating an earlier line's event_id for the same event is that event resent (counted once); for another
     * event it rejects the body with 422. All or nothing: the first bad line rejects the whole body, named by its
     * number.
     */
    public List<AnalyticsEvent> batch(String body) {
        if (body == null || body.isEmpty()) {
            throw new InvalidRequestException("empty_batch", "request body is empty; send one timestamp,user,event per line");
        }
        if (body.length() > MAX_BATCH_BYTES || body.getBytes(StandardCharsets.UTF_8).length > MAX_BATCH_BYTES) {
            throw new InvalidRequestException("batch_too_large", "request body is larger than " + MAX_BATCH_BYTES + " bytes");
        }
        long now = clock.millis();
        List<AnalyticsEvent> events = new ArrayList<>();
        Set<Hour> hours = new HashSet<>();
        Map<String, Seen> seenEventIds = new HashMap<>();
        for (int start = 0, number = 1; start < body.length(); number++) {
            if (number > MAX_BATCH_LINES) {
                throw new InvalidRequestException("batch_too_large", "request body has more than " + MAX_BATCH_LINES + " lines");
            }
            int end = body.indexOf('\n', start);
            end = end < 0 ? body.length() : end;
            String line = body.substring(start, end > start && body.charAt(end - 1) == '\r' ? end - 1 : end);
            AnalyticsEvent event = line(line, "line " + number + ": ", now);
            if (hours.add(event.hour()) && hours.size() > CounterStore.MAX_BATCH_HOURS) {
                throw new InvalidRequestException("batch_too_many_hours", "request body spans more than " + CounterStore.MAX_BATCH_HOURS
                        + " hours; send at most " + CounterStore.MAX_BATCH_HOURS + " distinct hours per batch");
            }
            Seen earlier = event.eventId() == null ? null : seenEventIds.putIfAbsent(event.eventId(), new Seen(number, event));
            if (earlier == null) {
                events.add(event);
            } else if (!earlier.event.sameEventAs(event)) {
                throw InvalidRequestException.unprocessable("event_id_conflict", "line " + number + ": event_id '" + event.eventId()
                        + "' is also on line " + earlier.line + " for a different event; send a new event_id for a new event");
            }
            start = end + 1;
        }
        return events;
    }

    /** A GET's hour: any instant of it. */
    public Hour hour(QueryParameters parameters) {
        return Hour.containing(EventFields.timestamp(parameters.required(TIMESTAMP), QUERY.apply(TIMESTAMP)));
    }

    /** The user query parameter's rules, for callers that check an id before sending it. */
    public static String userId(String raw) {
        return EventFields.userId(raw, QUERY.apply(USER));
    }

    private AnalyticsEvent line(String line, String at, long now) {
        int first = line.indexOf(',');
        int last = line.lastIndexOf(',');
        if (first < 0 || first == last) {
            throw new InvalidRequestException("invalid_line", at + "expected timestamp,user,event[,event_id]");
        }
        String rawEventId = null;
        int eventStart = last + 1;
        if (line.lastIndexOf(',', last - 1) > first && EventType.fromWireName(line.substring(last + 1)).isEmpty()) {
            rawEventId = line.substring(last + 1);
            last = line.lastIndexOf(',', last - 1);
            eventStart = last + 1;
        }
        return event(line.substring(0, first), line.substring(first + 1, last),
                line.substring(eventStart, rawEventId == null ? line.length() : line.lastIndexOf(',')), rawEventId,
                name -> at + name, now);
    }

    /** The first line that carried an event id, and its event. */
    private record Seen(int line, AnalyticsEvent event) {
    }

    /** @param subject names a field in messages: the query parameter, or the batch line and field */
    private AnalyticsEvent event(String rawTimestamp, String rawUser, String rawEvent, String rawEventId,
                                 UnaryOperator<String> subject, long now) {
        long timestamp = EventFields.timestamp(rawTimestamp, subject.apply(TIMESTAMP));
        if (timestamp > now + MAX_CLOCK_SKEW.toMillis()) {
            throw new InvalidRequestException("timestamp_in_future",
                    subject.apply(TIMESTAMP) + " is more than " + MAX_CLOCK_SKEW.toHours() + " hour ahead of the server clock");
        }
        if (!markerRetention.isZero() && now - Hour.containing(timestamp).plus(1).startMillis() > markerRetention.toMillis()) {
            long days = markerRetention.toDays();
            throw new InvalidRequestException("timestamp_too_old", subject.apply(TIMESTAMP) + " is in an hour that ended more than "
                    + days + (days == 1 ? " day" : " days") + " ago; events that old can no longer be counted exactly");
        }
        return new AnalyticsEvent(timestamp, EventFields.userId(rawUser, subject.apply(USER)),
                EventFields.eventType(rawEvent, subject.apply(EVENT)),
                rawEventId == null ? null : EventFields.eventId(rawEventId, subject.apply(EVENT_ID)));
    }
}
