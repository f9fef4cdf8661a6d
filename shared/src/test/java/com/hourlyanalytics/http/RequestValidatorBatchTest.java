package com.hourlyanalytics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.store.CounterStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestValidatorBatchTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:30:00Z");
    private static final long NOW_MILLIS = NOW.toEpochMilli();
    private final RequestValidator validator = new RequestValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void batch_linesWithCommasInUser_userIsBetweenFirstAndLastComma() {
        List<AnalyticsEvent> events = validator.batch(NOW_MILLIS + ",a,b,,c,click\r\n" + NOW_MILLIS + ",plain,impression\n");

        assertThat(events).containsExactly(
                new AnalyticsEvent(NOW_MILLIS, "a,b,,c", EventType.CLICK),
                new AnalyticsEvent(NOW_MILLIS, "plain", EventType.IMPRESSION));
    }

    @Test
    void batch_fourthField_isTheEventIdUnlessItIsAnEventType() {
        String t = Long.toString(NOW_MILLIS);
        List<AnalyticsEvent> events = validator.batch(String.join("\n", t + ",u,click,id1", t + ",a,b,click", t + ",a,b,click,id2",
                t + ",x,click,impression", t + ",x,click,click,id3", t + ",a,,b,impression,01HZX:7.c_d-e"));

        assertThat(events).containsExactly(
                new AnalyticsEvent(NOW_MILLIS, "u", EventType.CLICK, "id1"),
                new AnalyticsEvent(NOW_MILLIS, "a,b", EventType.CLICK),
                new AnalyticsEvent(NOW_MILLIS, "a,b", EventType.CLICK, "id2"),
                new AnalyticsEvent(NOW_MILLIS, "x,click", EventType.IMPRESSION),
                new AnalyticsEvent(NOW_MILLIS, "x,click", EventType.CLICK, "id3"),
                new AnalyticsEvent(NOW_MILLIS, "a,,b", EventType.IMPRESSION, "01HZX:7.c_d-e"));
    }

    @Test
    void batch_badEventId_namesTheLineAndField() {
        assertThatThrownBy(() -> validator.batch("1,u,click\n2,u,click,a b\n")).isInstanceOf(InvalidRequestException.class)
                .hasMessage("line 2: event_id may hold only letters, digits and - _ . :");
        assertThatThrownBy(() -> validator.batch("1,u,click," + "x".repeat(RequestValidator.MAX_EVENT_ID_LENGTH + 1)))
                .hasMessage("line 1: event_id must be 1 to 128 characters");
        assertThatThrownBy(() -> validator.batch("1,u,click,")).hasMessage("line 1: event_id must be 1 to 128 characters");
    }

    @Test
    void batch_lineWithAnEventIdButNoEventType_namesTheEventField() {
        assertThatThrownBy(() -> validator.batch("1,u,clik,id1")).hasMessage("line 1: event must be 'click' or 'impression'");
    }

    @Test
    void batch_sameEventIdTwiceForTheSameEvent_isOneEvent() {
        List<AnalyticsEvent> events = validator.batch("1,u,click,e1\n2,v,click\n1,u,click,e1\n2,v,click\n");

        assertThat(events).containsExactly(new AnalyticsEvent(1, "u", EventType.CLICK, "e1"),
                new AnalyticsEvent(2, "v", EventType.CLICK), new AnalyticsEvent(2, "v", EventType.CLICK));
    }

    @Test
    void batch_sameEventIdForADifferentEvent_is422NamingBothLines() {
        for (String other : List.of("2,u,click,e1", "1,w,click,e1", "1,u,impression,e1")) {
            assertThatThrownBy(() -> validator.batch("1,u,click,e1\n3,v,click,e2\n" + other + "\n"))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessage("line 3: event_id 'e1' is also on line 1 for a different event; send a new event_id for a new event")
                    .satisfies(e -> {
                        assertThat(((InvalidRequestException) e).status()).isEqualTo(422);
                        assertThat(((InvalidRequestException) e).reason()).isEqualTo("event_id_conflict");
                    });
        }
    }

    @Test
    void batch_badLineAfterAnEventIdConflict_isNotReached() {
        assertThatThrownBy(() -> validator.batch("1,u,click,e1\n2,u,click,e1\n3,u,like\n"))
                .hasMessageStartingWith("line 2: event_id 'e1' is also on line 1");
    }

    @Test
    void batch_withoutFinalNewline_readsLastLine() {
        assertThat(validator.batch("1,u,click\n2,v,click")).extracting(AnalyticsEvent::timestampMillis).containsExactly(1L, 2L);
    }

    @Test
    void batch_badLine_namesFirstBadLineAndField() {
        String body = "1,u,click\n2,v,impression\n3,w,like\n4,x,\n";

        assertThatThrownBy(() -> validator.batch(body))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("line 3: event must be 'click' or 'impression'");
    }

    @Test
    void batch_lineWithOneComma_isRejectedWithExpectedFormat() {
        assertThatThrownBy(() -> validator.batch("1,u,click\n2,click\n"))
                .hasMessage("line 2: expected timestamp,user,event[,event_id]");
    }

    @Test
    void batch_blankLineInside_isRejected() {
        assertThatThrownBy(() -> validator.batch("1,u,click\n\n2,v,click\n")).hasMessage("line 2: expected timestamp,user,event[,event_id]");
    }

    @Test
    void batch_badFields_useLineSubjects() {
        assertThatThrownBy(() -> validator.batch("12x,u,click")).hasMessage(
                "line 1: timestamp must be a whole number of milliseconds since the epoch");
        assertThatThrownBy(() -> validator.batch("1, ,click")).hasMessage("line 1: user is blank");
        assertThatThrownBy(() -> validator.batch((NOW_MILLIS + Duration.ofHours(2).toMillis()) + ",u,click"))
                .hasMessage("line 1: timestamp is more than 1 hour ahead of the server clock");
    }

    @Test
    void batch_empty_isRejected() {
        assertThatThrownBy(() -> validator.batch("")).hasMessage("request body is empty; send one timestamp,user,event per line");
        assertThatThrownBy(() -> validator.batch(null)).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void batch_moreThanMaxLines_isRejected() {
        String body = "1,u,click\n".repeat(RequestValidator.MAX_BATCH_LINES);
        assertThat(validator.batch(body)).hasSize(RequestValidator.MAX_BATCH_LINES);

        assertThatThrownBy(() -> validator.batch(body + "1,u,click\n"))
                .hasMessage("request body has more than " + RequestValidator.MAX_BATCH_LINES + " lines");
    }

    /** One line per hour, counting back from hour 0's first millisecond: {@code hours} distinct hours. */
    private static String linesInDistinctHours(int hours) {
        StringBuilder body = new StringBuilder();
        for (int h = 0; h < hours; h++) {
            body.append(h * 3_600_000L).append(",u,click\n");
        }
        return body.toString();
    }

    @Test
    void batch_maxDistinctHours_isAcceptedManyLinesPerHourIncluded() {
        int perHour = RequestValidator.MAX_BATCH_LINES / CounterStore.MAX_BATCH_HOURS;
        String body = linesInDistinctHours(CounterStore.MAX_BATCH_HOURS).repeat(perHour);

        assertThat(perHour).isGreaterThan(1);
        assertThat(validator.batch(body)).hasSize(perHour * CounterStore.MAX_BATCH_HOURS);
    }

    @Test
    void batch_maxLinesInDistinctHours_isRejectedNamingTheHourLimit() {
        String message = "request body spans more than 48 hours; send at most 48 distinct hours per batch";

        assertThatThrownBy(() -> validator.batch(linesInDistinctHours(RequestValidator.MAX_BATCH_LINES)))
                .isInstanceOf(InvalidRequestException.class).hasMessage(message);
        assertThatThrownBy(() -> validator.batch(linesInDistinctHours(CounterStore.MAX_BATCH_HOURS + 1))).hasMessage(message);
    }

    @Test
    void batch_moreThanMaxBytes_isRejected() {
        String user = "é".repeat(100);
        String body = ("1," + user + ",click\n").repeat(6_000); // 654,000 characters, 1,254,000 bytes

        assertThat(body.length()).isLessThan(RequestValidator.MAX_BATCH_BYTES);
        assertThatThrownBy(() -> validator.batch(body))
                .hasMessage("request body is larger than " + RequestValidator.MAX_BATCH_BYTES + " bytes");
    }

    @Test
    void event_hourEndedMoreThanRetentionAgo_isRejected() {
        var retaining = new RequestValidator(Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofDays(7));
        long endOfOldestAcceptedHour = NOW_MILLIS - Duration.ofDays(7).toMillis();
        long tooOld = Hour.containing(endOfOldestAcceptedHour).startMillis() - 1;

        assertThat(retaining.event(query(Hour.containing(endOfOldestAcceptedHour).startMillis())).timestampMillis())
                .isEqualTo(Hour.containing(endOfOldestAcceptedHour).startMillis());
        assertThatThrownBy(() -> retaining.event(query(tooOld)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("query parameter 'timestamp' is in an hour that ended more than 7 days ago;"
                        + " events that old can no longer be counted exactly");
        assertThatThrownBy(() -> retaining.batch(NOW_MILLIS + ",u,click\n" + tooOld + ",u,click"))
                .hasMessageStartingWith("line 2: timestamp is in an hour that ended more than 7 days ago");
    }

    @Test
    void event_withoutRetention_acceptsAnyPastHour() {
        assertThat(validator.event(query(0)).timestampMillis()).isZero();
    }

    private static QueryParameters query(long timestamp) {
        return new QueryParameters(Map.of("timestamp", List.of(Long.toString(timestamp)),
                "user", List.of("u"), "event", List.of("click")));
    }
}
