package com.hourlyanalytics.observability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonLineTest {

    @ParameterizedTest
    @ValueSource(strings = {"plain", "", "quote\"inside", "back\\slash", "new\nline", "cr\rtab\t", "nul\u0000end",
            "unit\u001fsep", "bell\u0007", "back\bform\f", "del\u007f", "caf\u00e9", "line\u2028sep", "emoji\uD83D\uDE00",
            "lone high\uD800", "\uDC00lone low", "reversed\uDC00\uD800", "</script>"})
    void value_anyString_parsesBackToTheSameString(String text) {
        String line = new JsonLine().beginObject().field("s", text).endObject().toString();

        assertThat(line).doesNotContain("\n", "\r");
        assertThat(CapturedLines.parse(line).get("s").textValue()).isEqualTo(text);
    }

    @Test
    void value_controlCharacter_isEscapedAsUnicode() {
        assertThat(new JsonLine().value("a\u0001b\u001f").toString()).isEqualTo("\"a\\u0001b\\u001f\"");
    }

    @ParameterizedTest
    @CsvSource({"0, 0.000", "999, 0.000", "1000, 0.001", "12345678, 12.345", "1000000000, 1000.000", "-5, 0.000"})
    void millis_nanos_writesMillisecondsWithThreeDecimals(long nanos, String expected) {
        assertThat(new JsonLine().millis(nanos).toString()).isEqualTo(expected);
    }

    @Test
    void nesting_objectsAndArrays_separatesMembersWithCommas() {
        String line = new JsonLine().beginObject()
                .field("a", 1)
                .name("b").beginArray().beginObject().field("c", "x").endObject().beginArray().endArray().value(2).endArray()
                .name("d").beginObject().endObject()
                .field("e", (String) null)
                .endObject().toString();

        assertThat(line).isEqualTo("{\"a\":1,\"b\":[{\"c\":\"x\"},[],2],\"d\":{},\"e\":null}");
        JsonNode parsed = CapturedLines.parse(line);
        assertThat(parsed.get("b").get(2).asLong()).isEqualTo(2);
    }
}
