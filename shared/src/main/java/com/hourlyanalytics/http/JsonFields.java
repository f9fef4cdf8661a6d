package com.hourlyanalytics.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.thirdparty.jackson.core.JsonFactory;
import software.amazon.awssdk.thirdparty.jackson.core.JsonGenerator;
import software.amazon.awssdk.thirdparty.jackson.core.JsonParser;
import software.amazon.awssdk.thirdparty.jackson.core.JsonProcessingException;
import software.amazon.awssdk.thirdparty.jackson.core.JsonToken;

/**
 * Typed fields of proxy-event JSON on the SDK's streaming parser: text, numbers, booleans, and the two map shapes
 * (name to text, name to list of text), each null when absent. A value of the wrong type is a malformed event.
 */
final class JsonFields {

    static final JsonFactory JSON = new JsonFactory();

    private JsonFields() {
    }

    /** One field of an object, the parser on its value. */
    @FunctionalInterface
    interface FieldReader {
        void read(JsonParser parser, String field) throws IOException;
    }

    static void readObject(InputStream in, String what, FieldReader fields) throws IOException {
        try (JsonParser parser = JSON.createParser(in)) {
            expect(parser.nextToken(), JsonToken.START_OBJECT, what);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                fields.read(parser, field);
            }
            if (parser.nextToken() != null) {
                throw new ProxyEventJson.MalformedEventException("trailing content after the " + what);
            }
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the input, which may carry user ids.
            throw new ProxyEventJson.MalformedEventException(what + " is not valid JSON");
        }
    }

    static void writeText(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    static void writeTextMap(JsonGenerator json, String field, Map<String, String> map) throws IOException {
        if (map != null) {
            json.writeObjectFieldStart(field);
            for (var entry : map.entrySet()) {
                json.writeFieldName(entry.getKey());
                json.writeString(entry.getValue());
            }
            json.writeEndObject();
        }
    }

    static void writeListMap(JsonGenerator json, String field, Map<String, List<String>> map) throws IOException {
        if (map != null) {
            json.writeObjectFieldStart(field);
            for (var entry : map.entrySet()) {
                json.writeFieldName(entry.getKey());
                if (entry.getValue() == null) {
                    json.writeNull();
                    continue;
                }
                json.writeStartArray();
                for (String value : entry.getValue()) {
                    json.writeString(value);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
    }

    static String text(JsonParser parser, String field) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_STRING -> parser.getText();
            default -> throw wrongType(field, "text");
        };
    }

    static Boolean bool(JsonParser parser, String field) {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> throw wrongType(field, "true or false");
        };
    }

    static Long number(JsonParser parser, String field) throws IOException {
        return switch (parser.currentToken()) {
            case VALUE_NULL -> null;
            case VALUE_NUMBER_INT -> parser.getLongValue();
            default -> throw wrongType(field, "an integer");
        };
    }

    static Integer integer(JsonParser parser, String field) throws IOException {
        Long value = number(parser, field);
        if (value != null && value.intValue() != value) {
            throw wrongType(field, "an int");
        }
        return value == null ? null : value.intValue();
    }

    static Map<String, String> textMap(JsonParser parser, String field) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser.currentToken(), JsonToken.START_OBJECT, field);
        Map<String, String> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            map.put(name, text(parser, field));
        }
        return map;
    }

    static Map<String, List<String>> listMap(JsonParser parser, String field) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(parser.currentToken(), JsonToken.START_OBJECT, field);
        Map<String, List<String>> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            if (parser.nextToken() == JsonToken.VALUE_NULL) {
                map.put(name, null);
                continue;
            }
            expect(parser.currentToken(), JsonToken.START_ARRAY, field);
            List<String> values = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                values.add(text(parser, field));
            }
            map.put(name, values);
        }
        return map;
    }

    static void expect(JsonToken actual, JsonToken expected, String field) {
        if (actual != expected) {
            throw wrongType(field, expected == JsonToken.START_ARRAY ? "an array" : "an object");
        }
    }

    static ProxyEventJson.MalformedEventException wrongType(String field, String expected) {
        return new ProxyEventJson.MalformedEventException("'" + field + "' is not " + expected);
    }
}
