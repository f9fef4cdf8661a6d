package com.hourlyanalytics.local;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;

/** Reads a request's body within the server's limit. */
final class RequestBodies {

    /** How much of an oversized body is read before the 413 (above API Gateway's 10 MB). */
    static final long MAX_DRAIN_BYTES = 16L << 20;

    private RequestBodies() {
    }

    /**
     * The body, or null when it is larger than {@code maxBytes}. An oversized body is still read and discarded, up
     * to {@link #MAX_DRAIN_BYTES}, before the 413 and the close: closing a socket with unread data sends a reset,
     * and a client still sending would see that reset instead of the 413.
     */
    static byte[] read(HttpExchange exchange, int maxBytes) throws IOException {
        InputStream in = exchange.getRequestBody();
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long declaredLength = declared == null ? -1 : Long.parseLong(declared.strip());
        byte[] body = declaredLength > maxBytes ? null : in.readNBytes(maxBytes + 1);
        if (body != null && body.length <= maxBytes) {
            return body;
        }
        exchange.getResponseHeaders().set("Connection", "close");
        if (declaredLength <= MAX_DRAIN_BYTES) {
            drain(in);
        }
        return null;
    }

    /** Reads and drops the body of a request answered without it (a 403 or 429), for the same reason as above. */
    static void discard(HttpExchange exchange) throws IOException {
        if (!drain(exchange.getRequestBody())) {
            exchange.getResponseHeaders().set("Connection", "close");
        }
    }

    /** Reads to the end of the body or to the drain bound, whichever comes first; true if it reached the end. */
    private static boolean drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; total < MAX_DRAIN_BYTES; total += n) {
            if ((n = in.read(buffer)) < 0) {
                return true;
            }
        }
        return false;
    }
}
