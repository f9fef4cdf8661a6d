package com.hourlyanalytics.client;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link AnalyticsClient} batches, queues and resends. The defaults fit the service's limits and the usage
 * plan template.yaml gives each API key (100 requests/s, burst 200, of which 1 batch/s, burst 2; 10,000,000 requests
 * a month): one request carries up to 250 events, a trickle of events makes at most one request per {@code linger} (a second), and two
 * senders keep at most two requests in flight. docs/client.md explains each setting.
 */
public final class ClientSettings {

    /** The service's limits on one {@code POST /analytics/batch} (RequestValidator's; ClientLimitsIT checks they agree). */
    public static final int MAX_BATCH_LINES = 250;
    public static final int MAX_BATCH_BYTES = 1_048_576;
    public static final int MAX_BATCH_HOURS = 48;

    // Read by the client's classes; the builder's methods document them.
    final URI endpoint;
    /** The value sent in {@code x-api-key}, or null for an API without keys (the local runner's default). */
    final String apiKey;
    final int maxBatchEvents;
    final int maxBatchBytes;
    final Duration linger;
    final int senders;
    final int queueCapacity;
    final Duration enqueueTimeout;
    final Duration connectTimeout;
    final Duration requestTimeout;
    final Duration initialBackoff;
    final Duration maxBackoff;
    final int maxAttempts;
    final DeliveryListener listener;

    private ClientSettings(Builder b) {
        endpoint = b.endpoint;
        apiKey = b.apiKey;
        maxBatchEvents = b.maxBatchEvents;
        maxBatchBytes = b.maxBatchBytes;
        linger = b.linger;
        senders = b.senders;
        queueCapacity = b.queueCapacity;
        enqueueTimeout = b.enqueueTimeout;
        connectTimeout = b.connectTimeout;
        requestTimeout = b.requestTimeout;
        initialBackoff = b.initialBackoff;
        maxBackoff = b.maxBackoff;
        maxAttempts = b.maxAttempts;
        listener = b.listener;
    }

    /**
     * @param endpoint the API's URL, as the stack's {@code ApiUrl} output gives it
     *                 ({@code https://ID.execute-api.REGION.amazonaws.com/prod/analytics}; locally
     *                 {@code http://127.0.0.1:3000/analytics}); without the {@code /analytics} path it is added
     */
    public static Builder builder(URI endpoint) {
        return new Builder(endpoint);
    }

    public static final class Builder {
        private final URI endpoint;
        private String apiKey;
        private int maxBatchEvents = MAX_BATCH_LINES;
        private int maxBatchBytes = MAX_BATCH_BYTES;
        private Duration linger = Duration.ofSeconds(1);
        private int senders = 2;
        private int queueCapacity = 10_000;
        private Duration enqueueTimeout = Duration.ZERO;
        private Duration connectTimeout = Duration.ofSeconds(10);
        // Past API Gateway's 29 s integration timeout: a slow function's 504 arrives before the client gives up.
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration initialBackoff = Duration.ofMillis(250);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private int maxAttempts = 16;
        private DeliveryListener listener = new DeliveryListener() {
        };

        private Builder(URI endpoint) {
            this.endpoint = withApiPath(Objects.requireNonNull(endpoint, "endpoint"));
        }

        private static URI withApiPath(URI endpoint) {
            if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
                throw new IllegalArgumentException("endpoint must be an http or https URL: " + endpoint);
            }
            String text = endpoint.toString().replaceAll("/+$", "");
            return URI.create(text.endsWith("/analytics") ? text : text + "/analytics");
        }

        public Builder apiKey(String value) {
            this.apiKey = value;
            return this;
        }

        /** Events per request, 1 to 10,000 (the service's limit). */
        public Builder maxBatchEvents(int events) {
            this.maxBatchEvents = within("maxBatchEvents", events, 1, MAX_BATCH_LINES);
            return this;
        }

        /** UTF-8 bytes per request body, up to 1,048,576 (the service's limit). */
        public Builder maxBatchBytes(int bytes) {
            this.maxBatchBytes = within("maxBatchBytes", bytes, 1, MAX_BATCH_BYTES);
            return this;
        }

        /** How long the first queued event of a batch that is not full waits for others. */
        public Builder linger(Duration value) {
            this.linger = notNegative("linger", value);
            return this;
        }

        /** Threads sending batches: the requests in flight at once. */
        public Builder senders(int threads) {
            this.senders = within("senders", threads, 1, 64);
            return this;
        }

        /** Events held at most (queued, not yet in a request). */
        public Builder queueCapacity(int events) {
            this.queueCapacity = within("queueCapacity", events, 1, Integer.MAX_VALUE);
            return this;
        }

        /** How long {@link AnalyticsClient#send} waits for room in a full queue before it refuses the event. */
        public Builder enqueueTimeout(Duration value) {
            this.enqueueTimeout = notNegative("enqueueTimeout", value);
            return this;
        }

        public Builder connectTimeout(Duration value) {
            this.connectTimeout = positive("connectTimeout", value);
            return this;
        }

        /** How long one request may take before it counts as unanswered (and is resent). */
        public Builder requestTimeout(Duration value) {
            this.requestTimeout = positive("requestTimeout", value);
            return this;
        }

        /** The first resend's backoff ceiling; it doubles with each further attempt, up to {@code maxBackoff}. */
        public Builder initialBackoff(Duration value) {
            this.initialBackoff = positive("initialBackoff", value);
            return this;
        }

        /** The longest wait between two attempts, a {@code Retry-After} included. */
        public Builder maxBackoff(Duration value) {
            this.maxBackoff = positive("maxBackoff", value);
            return this;
        }

        /** Requests made for one batch (the first one included) before its events are dropped. */
        public Builder maxAttempts(int attempts) {
            this.maxAttempts = within("maxAttempts", attempts, 1, 1_000);
            return this;
        }

        /** Told of every delivered, rejected and dropped event and every resend; called on the senders' threads. */
        public Builder listener(DeliveryListener value) {
            this.listener = Objects.requireNonNull(value, "listener");
            return this;
        }

        public ClientSettings build() {
            if (maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException("maxBackoff must not be shorter than initialBackoff");
            }
            return new ClientSettings(this);
        }

        private static int within(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be " + min + " to " + max + ", not " + value);
            }
            return value;
        }

        private static Duration notNegative(String name, Duration value) {
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative");
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return value;
        }
    }
}
