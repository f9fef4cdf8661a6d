package com.hourlyanalytics.store;

/** The store failed, timed out or throttled past retries; callers answer 503. */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
