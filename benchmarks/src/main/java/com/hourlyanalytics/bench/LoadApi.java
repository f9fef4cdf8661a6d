package com.hourlyanalytics.bench;

import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.HourCounts;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One partner connection to the service: HTTP/1.1 with keep-alive over a plain socket, blocking on the calling
 * thread. A load generator that hops threads per request (as java.net.http does) costs a 2-core machine more
 * than the service it measures. Not thread-safe: one per client thread.
 */
public final class LoadApi implements AutoCloseable {

    /** Far past the 29 s a batch may take: a read that times out is a hang, not a slow answer. */
    private static final Duration TIMEOUT = Duration.ofSeconds(300);
    private static final Pattern BODY = Pattern.compile("unique_users,(\\d+)\nclicks,(\\d+)\nimpressions,(\\d+)\n");

    public record Response(int status, String body) {
    }

    private final URI base;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public LoadApi(URI base) {
        this.base = base;
    }

    public int post(long timestamp, String user, EventType type) throws IOException {
        return send("POST", "/analytics?timestamp=" + timestamp + "&user=" + URLEncoder.encode(user, StandardCharsets.UTF_8)
                + "&event=" + type.wireName(), "").status();
    }

    public int postBatch(String body) throws IOException {
        return send("POST", "/analytics/batch", body).status();
    }

    public Response get(long timestamp) throws IOException {
        return send("GET", "/analytics?timestamp=" + timestamp, null);
    }

    /** The counts of a 200 answer in the exact contract format, else an error naming what came back. */
    public static HourCounts counts(Response response) {
        Matcher body = BODY.matcher(response.body());
        if (response.status() != 200 || !body.matches()) {
            throw new IllegalStateException("GET answered " + response.status() + ": " + response.body().strip());
        }
        return new HourCounts(Long.parseLong(body.group(1)), Long.parseLong(body.group(2)), Long.parseLong(body.group(3)));
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
    }

    private Response send(String method, String target, String body) throws IOException {
        if (socket == null || socket.isClosed()) {
            socket = new Socket(base.getHost(), base.getPort());
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + target + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + (body == null ? "" : "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + content.length + "\r\n") + "\r\n";
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(content);
        out.flush();
        return read();
    }

    private Response read() throws IOException {
        String statusLine = line();
        int status = Integer.parseInt(statusLine.substring(9, 12));
        int length = 0;
        boolean close = false;
        for (String header; !(header = line()).isEmpty(); ) {
            String lower = header.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).strip());
            } else if (lower.startsWith("transfer-encoding:")) {
                throw new IOException("unexpected " + header);
            } else if (lower.equals("connection: close")) {
                close = true;
            }
        }
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        if (close) {
            socket.close();
        }
        return new Response(status, body);
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("connection closed by the service");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
