package com.hourlyanalytics.client;

/** A read the service refused ({@link #status()} 4xx), or one that got no answer within the resend bound. */
public final class AnalyticsException extends RuntimeException {

    private final int status;

    AnalyticsException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The last answer's status, or 0 when there was none. */
    public int status() {
        return status;
    }
}
