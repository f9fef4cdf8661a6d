package com.hourlyanalytics.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventTest {

    @Test
    void of_withoutId_getsARandomUuid_differentEachTime() {
        Event first = Event.of(1, "u", EventType.CLICK);
        Event second = Event.of(1, "u", EventType.CLICK);

        assertThat(UUID.fromString(first.eventId()).toString()).isEqualTo(first.eventId());
        assertThat(first.eventId()).isNotEqualTo(second.eventId());
    }

    @Test
    void line_isTheBatchFormatWithTheId_userVerbatim() {
        assertThat(Event.of(1700000000000L, "acme,eu,42", EventType.IMPRESSION, "e-1").line())
                .isEqualTo("1700000000000,acme,eu,42,impression,e-1");
    }

    @Test
    void toString_leavesTheUserOut() {
        assertThat(Event.of(5, "secret-visitor", EventType.CLICK, "e-1").toString())
                .isEqualTo("Event[event_id=e-1, timestamp=5, event=click]");
    }

    @Test
    void of_refusesWhatWouldBreakALineOrTheIdRules() {
        assertThatThrownBy(() -> Event.of(-1, "u", EventType.CLICK, "e")).hasMessage("timestamp must not be negative");
        assertThatThrownBy(() -> Event.of(1, "", EventType.CLICK, "e")).hasMessage("user is blank");
        assertThatThrownBy(() -> Event.of(1, "a\nb", EventType.CLICK, "e")).hasMessage("user contains a line break");
        assertThatThrownBy(() -> Event.of(1, "u", EventType.CLICK, "")).hasMessage("event_id must be 1 to 128 characters");
        assertThatThrownBy(() -> Event.of(1, "u", EventType.CLICK, "x".repeat(129))).hasMessage("event_id must be 1 to 128 characters");
        assertThatThrownBy(() -> Event.of(1, "u", EventType.CLICK, "a,b")).hasMessage("event_id may hold only letters, digits and - _ . :");
        assertThatThrownBy(() -> Event.of(1, "u", EventType.CLICK, "click")).hasMessage("event_id must not be an event type's name");
        assertThat(Event.of(1, "u", EventType.CLICK, "A-z_0.9:" + "x".repeat(120)).eventId()).hasSize(128);
    }

    @Test
    void settings_endpointGetsTheApiPathWhenMissing() {
        assertThat(ClientSettings.builder(URI.create("http://127.0.0.1:3000")).build().endpoint)
                .isEqualTo(URI.create("http://127.0.0.1:3000/analytics"));
        assertThat(ClientSettings.builder(URI.create("https://x.example/prod/analytics/")).build().endpoint)
                .isEqualTo(URI.create("https://x.example/prod/analytics"));
        assertThatThrownBy(() -> ClientSettings.builder(URI.create("ftp://x")).build()).hasMessageStartingWith("endpoint must be");
        assertThatThrownBy(() -> ClientSettings.builder(URI.create("http://x")).maxBatchEvents(251))
                .hasMessage("maxBatchEvents must be 1 to 250, not 251");
    }
}
