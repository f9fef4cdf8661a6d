package com.hourlyanalytics.http;

/** Bad input: the message is one line, names the parameter and the problem, and is safe to show the caller. */
public final class InvalidRequestException extends RuntimeException {

    private final String reason;

    public InvalidRequestException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** A short, fixed code for metrics (never the caller's input). */
    public String reason() {
        return reason;
    }
}
