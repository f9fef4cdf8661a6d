package com.hourlyanalytics.client;

import java.time.Duration;
import java.util.Optional;

/** What one request got: the service's answer, or none ({@link RetryPolicy#NO_ANSWER}) and why. */
final class Answer {

    final int status;
    final String body;
    final Optional<Duration> retryAfter;
    private final String failure;

    private Answer(int status, String body, Optional<Duration> retryAfter, String failure) {
        this.status = status;
        this.body = body;
        this.retryAfter = retryAfter;
        this.failure = failure;
    }

    static Answer of(int status, String body, Optional<Duration> retryAfter) {
        return new Answer(status, body == null ? "" : body, retryAfter, null);
    }

    static Answer none(Exception cause) {
        String message = cause.getMessage();
        return new Answer(RetryPolicy.NO_ANSWER, "", Optional.empty(),
                cause.getClass().getSimpleName() + (message == null || message.isEmpty() ? "" : ": " + message));
    }

    /** The service's one-line message (the body's first line). */
    String message() {
        int end = body.indexOf('\n');
        return (end < 0 ? body : body.substring(0, end)).trim();
    }

    /** For reports: {@code 503 store unavailable, try again shortly} or {@code no answer: ConnectException}. */
    String describe() {
        return status == RetryPolicy.NO_ANSWER ? "no answer: " + failure : status + " " + message();
    }
}
