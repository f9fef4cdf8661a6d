package com.hourlyanalytics.client.send;

import com.hourlyanalytics.client.ClientSettings;
import java.net.URI;
import java.util.Map;
import java.util.Optional;

/** The sender's command line: {@code [--endpoint URL] [--api-key VALUE] [--batch-size N] FILE|-}. */
final class SendOptions {

    static final String USAGE = String.join("\n",
            "usage: ./send [--endpoint URL] [--api-key VALUE] [--batch-size N] FILE|-",
            "Sends a file of batch lines (timestamp,user,event[,event_id]; '-' reads stdin) to the API, each event counted once.",
            "  --endpoint URL    the API, as the stack's ApiUrl output gives it (default " + SendOptions.DEFAULT_ENDPOINT + ")",
            "  --api-key VALUE   sent as x-api-key (default: $ANALYTICS_API_KEY; none for ./run without --api-key)",
            "  --batch-size N    lines per request, 1 to " + ClientSettings.MAX_BATCH_LINES + " (the default)",
            "A line without an event_id gets one made of its line number and content: run the same file again after a",
            "crash or a kill and nothing counts twice; append lines, never insert or edit them.",
            "Exit status: 0 when every line was delivered, 1 when some were not, 2 for a usage error.");

    static final String DEFAULT_ENDPOINT = "http://127.0.0.1:3000/analytics";

    final URI endpoint;
    final String apiKey;
    final int batchSize;
    /** A file's path, or {@code -} for stdin. */
    final String input;

    private SendOptions(URI endpoint, String apiKey, int batchSize, String input) {
        this.endpoint = endpoint;
        this.apiKey = apiKey;
        this.batchSize = batchSize;
        this.input = input;
    }

    /** The options, or empty for {@code --help}; a problem throws IllegalArgumentException with a one-line message. */
    static Optional<SendOptions> parse(String[] args, Map<String, String> environment) {
        URI endpoint = URI.create(DEFAULT_ENDPOINT);
        String apiKey = environment.get("ANALYTICS_API_KEY");
        int batchSize = ClientSettings.MAX_BATCH_LINES;
        String input = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                return Optional.empty();
            } else if (arg.equals("--endpoint")) {
                endpoint = endpoint(value(args, ++i, arg));
            } else if (arg.equals("--api-key")) {
                apiKey = value(args, ++i, arg);
            } else if (arg.equals("--batch-size")) {
                batchSize = batchSize(value(args, ++i, arg));
            } else if (arg.startsWith("--")) {
                throw new IllegalArgumentException("unknown option " + arg);
            } else if (input != null) {
                throw new IllegalArgumentException("one input only: " + input + " and " + arg);
            } else {
                input = arg;
            }
        }
        if (input == null) {
            throw new IllegalArgumentException("name a file of batch lines, or - for stdin");
        }
        return Optional.of(new SendOptions(endpoint, apiKey == null || apiKey.isEmpty() ? null : apiKey, batchSize, input));
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static URI endpoint(String value) {
        try {
            URI uri = URI.create(value);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return uri;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new IllegalArgumentException("--endpoint must be an http or https URL, not " + value);
    }

    private static int batchSize(String value) {
        try {
            int size = Integer.parseInt(value);
            if (size >= 1 && size <= ClientSettings.MAX_BATCH_LINES) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--batch-size must be 1 to " + ClientSettings.MAX_BATCH_LINES + ", not " + value);
    }
}
