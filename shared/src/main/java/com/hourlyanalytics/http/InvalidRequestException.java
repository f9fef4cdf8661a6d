package com.hourlyanalytics.http;

/** Bad input: the message is one line, names the parameter and the problem, and is safe to show the caller. */
public final class InvalidRequestException extends RuntimeException {

    private final String reason;
    private final int status;

    /** Malformed or out-of-range input: 400. */
    public InvalidRequestException(String reason, String message) {
        this(reason, message, 400);
    }

    private InvalidRequestException(String reason, String message, int status) {
        super(message, null, false, false);
        this.reason = reason;
        this.status = status;
    }

    /** Well-formed input that contradicts what the partner sent before, e.g. one event id for two events: 422. */
    public static InvalidRequestException unprocessable(String reason, String message) {
        return new InvalidRequestException(reason, message, 422);
    }

    /**
     * A request API Gateway received longer ago than it waits for an answer (a replayed or long-delayed event):
     * 504, as the caller already got, and nothing is written for an answer nobody awaits.
     */
    public static InvalidRequestException notAwaited(String message) {
        return new InvalidRequestException("stale_receipt", message, 504);
    }

    /** A request the API refuses whatever its parameters, e.g. one that names no caller: 403. */
    public static InvalidRequestException forbidden(String reason, String message) {
        return new InvalidRequestException(reason, message, 403);
    }

    /** The HTTP status that answers it. */
    public int status() {
        return status;
    }

    /** A short, fixed code for metrics (never the caller's input). */
    public String reason() {
        return reason;
    }
}
