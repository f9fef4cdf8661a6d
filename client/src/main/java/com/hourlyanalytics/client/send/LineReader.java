package com.hourlyanalytics.client.send;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Lines of a batch file as the API reads a body: ended by {@code \n} or {@code \r\n}, the last line end optional,
 * UTF-8. Keeps each line's bytes (ids are made from them) and counts the bytes read, for progress.
 */
final class LineReader {

    /** One line: its number from 1, its bytes without the line end, and its text (null if not valid UTF-8). */
    static final class Line {
        final long number;
        final byte[] bytes;
        final String text;

        Line(long number, byte[] bytes, String text) {
            this.number = number;
            this.bytes = bytes;
            this.text = text;
        }
    }

    private final InputStream in;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private long number;
    private volatile long bytesRead;

    /** @param in read through a buffer of its own: pass a BufferedInputStream */
    LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line, or null at the end of the input. */
    Line next() throws IOException {
        current.reset();
        int b;
        while ((b = in.read()) >= 0) {
            bytesRead++;
            if (b == '\n') {
                return line();
            }
            current.write(b);
        }
        return current.size() > 0 ? line() : null;
    }

    private Line line() {
        byte[] bytes = current.toByteArray();
        if (bytes.length > 0 && bytes[bytes.length - 1] == '\r') {
            bytes = Arrays.copyOf(bytes, bytes.length - 1);
        }
        return new Line(++number, bytes, decode(bytes));
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    long bytesRead() {
        return bytesRead;
    }
}
