package com.hourlyanalytics.observability;

/**
 * Writes one JSON value on one line, without a JSON library (the function jars stay small and their
 * init fast). Commas are placed by the writer; callers only open, name, write and close.
 */
final class JsonLine {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out = new StringBuilder(256);
    /** Whether the next member or element follows a sibling and so needs a comma first. */
    private boolean afterValue;

    JsonLine beginObject() {
        separate();
        out.append('{');
        afterValue = false;
        return this;
    }

    JsonLine endObject() {
        out.append('}');
        afterValue = true;
        return this;
    }

    JsonLine beginArray() {
        separate();
        out.append('[');
        afterValue = false;
        return this;
    }

    JsonLine endArray() {
        out.append(']');
        afterValue = true;
        return this;
    }

    JsonLine name(String name) {
        separate();
        string(name);
        out.append(':');
        afterValue = false;
        return this;
    }

    JsonLine value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        afterValue = true;
        return this;
    }

    JsonLine value(long value) {
        separate();
        out.append(value);
        afterValue = true;
        return this;
    }

    /** Nanoseconds as milliseconds with three decimals: exact, locale-free and never in exponent form. */
    JsonLine millis(long nanos) {
        separate();
        long micros = Math.max(0, nanos) / 1_000;
        long fraction = micros % 1_000;
        out.append(micros / 1_000).append('.');
        if (fraction < 100) {
            out.append(fraction < 10 ? "00" : "0");
        }
        out.append(fraction);
        afterValue = true;
        return this;
    }

    JsonLine field(String name, String value) {
        return name(name).value(value);
    }

    JsonLine field(String name, long value) {
        return name(name).value(value);
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (afterValue) {
            out.append(',');
        }
    }

    /** RFC 8259 escaping; lone surrogates are escaped too, so the line stays valid UTF-8 when printed. */
    private void string(String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || isLoneSurrogate(text, i)) {
                        out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF])
                                .append(HEX[c >> 4 & 0xF]).append(HEX[c & 0xF]);
                    } else {
                        out.append(c);
                        if (Character.isHighSurrogate(c)) {
                            out.append(text.charAt(++i));
                        }
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean isLoneSurrogate(String text, int i) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        return Character.isLowSurrogate(c);
    }
}
