package com.hourlyanalytics.client.send;

import com.hourlyanalytics.client.AnalyticsClient;
import com.hourlyanalytics.client.ClientSettings;
import com.hourlyanalytics.client.Event;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code ./send}: a file of batch lines through the client, each event counted once, with progress on stderr and a
 * summary on stdout. Usage: {@link SendOptions#USAGE}. The API key is never printed.
 */
public final class SendCommand {

    /** Reading waits for room in the queue rather than dropping lines; each batch still ends within maxAttempts. */
    private static final Duration WAIT = Duration.ofDays(1);

    /** Each line not delivered is printed with its number; the library's own warnings would repeat them. */
    private static final java.util.logging.Logger CLIENT_LOG = java.util.logging.Logger.getLogger(AnalyticsClient.class.getName());

    private SendCommand() {
    }

    public static void main(String[] args) throws InterruptedException {
        CLIENT_LOG.setLevel(java.util.logging.Level.OFF);
        System.exit(run(args, System.in, System.out, System.err));
    }

    static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) throws InterruptedException {
        Optional<SendOptions> parsed;
        try {
            parsed = SendOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("send: " + e.getMessage());
            err.println(SendOptions.USAGE);
            return 2;
        }
        if (parsed.isEmpty()) {
            out.println(SendOptions.USAGE);
            return 0;
        }
        SendOptions options = parsed.get();
        boolean stdinInput = options.input.equals("-");
        try (InputStream in = stdinInput ? stdin : Files.newInputStream(Path.of(options.input))) {
            OptionalLong size = stdinInput ? OptionalLong.empty() : OptionalLong.of(Files.size(Path.of(options.input)));
            return send(options, new LineReader(new BufferedInputStream(in, 1 << 16)), size, out, err);
        } catch (NoSuchFileException e) {
            err.println("send: no such file: " + options.input);
            return 2;
        } catch (IOException e) {
            err.println("send: cannot read " + options.input + ": " + e.getMessage());
            return 2;
        }
    }

    private static int send(SendOptions options, LineReader reader, OptionalLong size, PrintStream out, PrintStream err)
            throws InterruptedException {
        LineTracker lines = new LineTracker(err);
        AnalyticsClient client = AnalyticsClient.start(ClientSettings.builder(options.endpoint).apiKey(options.apiKey)
                .maxBatchEvents(options.batchSize).enqueueTimeout(WAIT).listener(lines).build());
        Progress progress = Progress.start(lines, reader, size, client, err);
        String readError = null;
        try {
            for (LineReader.Line line; (line = reader.next()) != null; ) {
                Event event;
                try {
                    event = LineEvents.parse(line);
                } catch (IllegalArgumentException e) {
                    lines.unreadable(line.number, e.getMessage());
                    continue;
                }
                lines.sending(line.number, event);
                client.send(event);
            }
        } catch (IOException e) {
            readError = e.getMessage();
        }
        client.close(WAIT);
        progress.stop();
        out.printf("send: %d lines: %d delivered, %d rejected%s, %d not delivered%s; %d requests resent%n", lines.read(),
                lines.delivered(), lines.rejected(), lines.rejected() > 0 ? " (" + lines.lines(true) + ")" : "",
                lines.dropped(), lines.dropped() > 0 ? " (" + lines.lines(false) + "; run the same command again)" : "",
                client.stats().retries());
        if (readError != null) {
            err.println("send: stopped reading after line " + lines.read() + ": " + readError);
            return 1;
        }
        return lines.allDelivered() ? 0 : 1;
    }
}
