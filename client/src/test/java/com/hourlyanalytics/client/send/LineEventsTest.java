package com.hourlyanalytics.client.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hourlyanalytics.client.Event;
import com.hourlyanalytics.client.EventType;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineEventsTest {

    private static List<LineReader.Line> read(byte[] input) throws IOException {
        LineReader reader = new LineReader(new ByteArrayInputStream(input));
        List<LineReader.Line> lines = new ArrayList<>();
        for (LineReader.Line line; (line = reader.next()) != null; ) {
            lines.add(line);
        }
        return lines;
    }

    private static List<Event> events(String input) throws IOException {
        List<Event> events = new ArrayList<>();
        for (LineReader.Line line : read(input.getBytes(StandardCharsets.UTF_8))) {
            events.add(LineEvents.parse(line));
        }
        return events;
    }

    private static Event event(String line) throws IOException {
        return events(line).get(0);
    }

    @Test
    void parse_splitsAsTheApiDoes_userMayHoldCommas_lastFieldAnIdUnlessAnEventType() throws IOException {
        Event withId = event("1700000000000,acme,eu,click,e-17");
        Event commaUser = event("1700000000000,acme,eu,42,impression");

        assertThat(withId.user()).isEqualTo("acme,eu");
        assertThat(withId.type()).isEqualTo(EventType.CLICK);
        assertThat(withId.eventId()).isEqualTo("e-17");
        assertThat(commaUser.user()).isEqualTo("acme,eu,42");
        assertThat(commaUser.type()).isEqualTo(EventType.IMPRESSION);
        assertThat(commaUser.eventId()).startsWith("line1-");
        assertThat(event("007,u,click").timestamp()).isEqualTo(7);
    }

    @Test
    void derivedId_fromLineNumberAndContent_appendingLinesKeepsEarlierIds() throws IOException {
        List<Event> before = events("1,u1,click\n2,u2,click\n");
        List<Event> after = events("1,u1,click\n2,u2,click\n3,u3,click\n1,u1,click\n");

        assertThat(after.subList(0, 2)).isEqualTo(before);
        assertThat(after.get(0).eventId()).matches("line1-[0-9a-f]{32}");
        assertThat(after.get(3).eventId()).as("the same line elsewhere is another event").isNotEqualTo(after.get(0).eventId());
        assertThat(event("1,u1,impression").eventId()).as("other content, same position").isNotEqualTo(before.get(0).eventId());
    }

    @Test
    void reader_crlfAndMissingFinalLineEnd_areLineEnds_idsIgnoreTheCr() throws IOException {
        List<LineReader.Line> lines = read("1,u1,click\r\n2,u2,click".getBytes(StandardCharsets.UTF_8));

        assertThat(lines).extracting(line -> line.text).containsExactly("1,u1,click", "2,u2,click");
        assertThat(read("1,u,click\n\n".getBytes(StandardCharsets.UTF_8))).extracting(line -> line.text)
                .as("an empty line is a line (and an error), the final line end is not").containsExactly("1,u,click", "");
        assertThat(LineEvents.parse(lines.get(0)).eventId()).isEqualTo(event("1,u1,click").eventId());
    }

    @Test
    void parse_refusesLinesTheApiWouldRefuseForTheirShape() throws IOException {
        assertThatThrownBy(() -> event("\n")).hasMessage("expected timestamp,user,event[,event_id]");
        assertThatThrownBy(() -> event("1,click")).hasMessage("expected timestamp,user,event[,event_id]");
        assertThatThrownBy(() -> event("abc,u,click")).hasMessage("timestamp must be a whole number of milliseconds since the epoch");
        assertThatThrownBy(() -> event("-5,u,click")).hasMessage("timestamp must not be negative");
        assertThatThrownBy(() -> event("99999999999999999999,u,click")).hasMessage("timestamp is out of range (0 to 253402300799999)");
        assertThatThrownBy(() -> event("1,u,purchase")).hasMessage("event must be 'click' or 'impression'");
        assertThatThrownBy(() -> event("1,,click")).hasMessage("user is blank");
        assertThatThrownBy(() -> event("1,u,click,bad id")).hasMessage("event_id may hold only letters, digits and - _ . :");
        byte[] latin1 = {'1', ',', 'u', (byte) 0xe9, ',', 'c', 'l', 'i', 'c', 'k'};
        assertThatThrownBy(() -> LineEvents.parse(read(latin1).get(0))).hasMessage("is not valid UTF-8");
    }
}
