package com.hourlyanalytics.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestValidatorTest {

    private static final Instant NOW = Instant.parse("2024-03-01T10:30:00Z");
    private final RequestValidator validator = new RequestValidator(Clock.fixed(NOW, ZoneOffset.UTC));

    private static QueryParameters query(String... nameValuePairs) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            values.computeIfAbsent(nameValuePairs[i], k -> new ArrayList<>()).add(nameValuePairs[i + 1]);
        }
        return new QueryParameters(values);
    }

    private static QueryParameters post(String timestamp, String user, String event) {
        return query("timestamp", timestamp, "user", user, "event", event);
    }

    @Test
    void event_validPost_returnsEvent() {
        AnalyticsEvent event = validator.event(post("1709287200001", "u1", "click"));
        assertThat(event).isEqualTo(new AnalyticsEvent(1709287200001L, "u1", EventType.CLICK));
    }

    @Test
    void event_unicodeAndReservedCharactersInUser_areKeptVerbatim() {
        String user = "Zoë#1/ü?&=😀 x";
        assertThat(validator.event(post("0", user, "impression")).userId()).isEqualTo(user);
    }

    @Test
    void event_userOfExactly256Utf8Bytes_isAccepted() {
        String user = "é".repeat(128);
        assertThat(validator.event(post("0", user, "click")).userId()).isEqualTo(user);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "abc            | query parameter 'timestamp' must be a whole number of milliseconds since the epoch",
        "1.5            | query parameter 'timestamp' must be a whole number of milliseconds since the epoch",
        "+5             | query parameter 'timestamp' must be a whole number of milliseconds since the epoch",
        "' 5'           | query parameter 'timestamp' must be a whole number of milliseconds since the epoch",
        "1e3            | query parameter 'timestamp' must be a whole number of milliseconds since the epoch",
        "-1             | query parameter 'timestamp' must not be negative",
        "-              | query parameter 'timestamp' must be a whole number of milliseconds since the epoch",
        "253402300800000 | query parameter 'timestamp' is out of range (0 to 253402300799999)",
        "99999999999999999999999 | query parameter 'timestamp' is out of range (0 to 253402300799999)",
    })
    void hour_badTimestamp_isRejectedWithMessage(String timestamp, String message) {
        assertThatThrownBy(() -> validator.hour(query("timestamp", timestamp)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage(message);
    }

    @Test
    void hour_leadingZeros_areTheSameNumber() {
        assertThat(validator.hour(query("timestamp", "0001709287200000")))
                .isEqualTo(Hour.containing(1709287200000L));
    }

    @Test
    void hour_largestTimestamp_isAccepted() {
        assertThat(validator.hour(query("timestamp", "253402300799999")).index()).isEqualTo(70_389_527);
    }

    @Test
    void event_timestampMoreThanOneHourAhead_isRejected() {
        long tooFar = NOW.toEpochMilli() + 3_600_001;
        assertThatThrownBy(() -> validator.event(post(Long.toString(tooFar), "u", "click")))
                .hasMessage("query parameter 'timestamp' is more than 1 hour ahead of the server clock");
    }

    @Test
    void event_timestampWithinClockSkew_isAccepted() {
        long ahead = NOW.toEpochMilli() + 3_600_000;
        assertThat(validator.event(post(Long.toString(ahead), "u", "click")).timestampMillis()).isEqualTo(ahead);
    }

    @Test
    void hour_futureTimestamp_isAcceptedForReads() {
        assertThat(validator.hour(query("timestamp", "253402300799999"))).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"purchase", "Click", "CLICK", "Impression", "click ", "clicks"})
    void event_unknownOrMiscasedEvent_isRejected(String event) {
        assertThatThrownBy(() -> validator.event(post("0", "u", event)))
                .hasMessage("query parameter 'event' must be 'click' or 'impression'");
    }

    static Stream<Arguments> badUsers() {
        String control = "query parameter 'user' contains a control character";
        return Stream.of(
                Arguments.of(" ", "query parameter 'user' is blank"),
                Arguments.of("a\tb", control),
                Arguments.of("a\nb", control),
                Arguments.of("a\u0000b", control),
                Arguments.of("a\u007fb", control),
                Arguments.of("a\u0085b", control),
                Arguments.of("a\ud800b", "query parameter 'user' is not valid Unicode"));
    }

    @ParameterizedTest
    @MethodSource("badUsers")
    void event_badUser_isRejected(String user, String message) {
        assertThatThrownBy(() -> validator.event(post("0", user, "click"))).hasMessage(message);
    }

    @Test
    void event_userOver256Utf8Bytes_isRejectedEvenWhenUnder256Characters() {
        String user = "é".repeat(128) + "x";
        assertThat(user.length()).isLessThan(256);
        assertThatThrownBy(() -> validator.event(post("0", user, "click")))
                .hasMessage("query parameter 'user' is longer than 256 UTF-8 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"timestamp", "user", "event"})
    void event_missingParameter_namesIt(String missing) {
        Map<String, List<String>> values = new LinkedHashMap<>(post("0", "u", "click").values());
        values.remove(missing);
        assertThatThrownBy(() -> validator.event(new QueryParameters(values)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("missing query parameter '" + missing + "'")
                .extracting(e -> ((InvalidRequestException) e).reason()).isEqualTo("missing_parameter");
    }

    @ParameterizedTest
    @ValueSource(strings = {"timestamp", "user", "event"})
    void event_emptyParameter_namesIt(String empty) {
        Map<String, List<String>> values = new LinkedHashMap<>(post("0", "u", "click").values());
        values.put(empty, List.of(""));
        assertThatThrownBy(() -> validator.event(new QueryParameters(values)))
                .hasMessage("query parameter '" + empty + "' is empty");
    }

    @Test
    void event_repeatedParameter_isRejectedEvenWhenValuesAgree() {
        assertThatThrownBy(() -> validator.event(query("timestamp", "0", "user", "u", "user", "u", "event", "click")))
                .hasMessage("query parameter 'user' is repeated; send it once");
    }

    @Test
    void hour_noParametersAtAll_reportsMissingTimestamp() {
        assertThatThrownBy(() -> validator.hour(new QueryParameters(null)))
                .hasMessage("missing query parameter 'timestamp'");
    }

    @Test
    void messages_areOneLine() {
        assertThatThrownBy(() -> validator.event(post("0", "a\nb", "click")))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n", "\r"));
    }
    private static QueryParameters postWithId(String eventId) {
        return query("timestamp", "1709287200001", "user", "u1", "event", "click", "event_id", eventId);
    }

    @Test
    void event_withoutEventId_hasNone() {
        assertThat(validator.event(post("1709287200001", "u1", "click")).eventId()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"e", "0f8fc3a2-55b4-4f37-9a54-2d5d6a1c0b9e", "01HZX3J8Q6:batch_7.line-12", "Click", "clicks"})
    void event_validEventId_isKeptVerbatim(String eventId) {
        assertThat(validator.event(postWithId(eventId)))
                .isEqualTo(new AnalyticsEvent(1709287200001L, "u1", EventType.CLICK, eventId));
    }

    @Test
    void event_eventIdOf128Characters_isAccepted_of129IsRejected() {
        assertThat(validator.event(postWithId("x".repeat(RequestValidator.MAX_EVENT_ID_LENGTH))).eventId()).hasSize(128);
        assertThatThrownBy(() -> validator.event(postWithId("x".repeat(RequestValidator.MAX_EVENT_ID_LENGTH + 1))))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("query parameter 'event_id' must be 1 to 128 characters")
                .extracting(e -> ((InvalidRequestException) e).reason()).isEqualTo("invalid_event_id");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a,b", "a/b", "a#b", "a%b", "é", "a\nb", "😀", "a+b"})
    void event_eventIdWithOtherCharacters_isRejected(String eventId) {
        assertThatThrownBy(() -> validator.event(postWithId(eventId)))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("query parameter 'event_id' may hold only letters, digits and - _ . :");
    }

    @ParameterizedTest
    @ValueSource(strings = {"click", "impression"})
    void event_eventIdNamingAnEventType_isRejected(String eventId) {
        assertThatThrownBy(() -> validator.event(postWithId(eventId)))
                .hasMessage("query parameter 'event_id' must not be an event type's name");
    }

    @Test
    void event_emptyEventId_isRejected() {
        assertThatThrownBy(() -> validator.event(postWithId(""))).hasMessage("query parameter 'event_id' is empty");
    }

    @Test
    void event_repeatedEventId_isRejectedEvenWhenValuesAgree() {
        assertThatThrownBy(() -> validator.event(query("timestamp", "0", "user", "u", "event", "click", "event_id", "e1", "event_id", "e1")))
                .hasMessage("query parameter 'event_id' is repeated; send it once");
    }

    @Test
    void event_badEventId_isAnsweredWith400() {
        assertThatThrownBy(() -> validator.event(postWithId("a b")))
                .satisfies(e -> assertThat(((InvalidRequestException) e).status()).isEqualTo(400));
    }
}
