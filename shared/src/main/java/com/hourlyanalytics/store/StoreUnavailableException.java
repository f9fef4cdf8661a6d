package com.hourlyanalytics.store;

/** The store failed, timed out or throttled past retries; callers answer 503. {@link #errorCode()} says why. */
public final class StoreUnavailableException extends RuntimeException {

    private final transient StoreErrorCode errorCode;

    /** A failed store call: the code is read from {@code cause} (null cause: {@link StoreErrorCode#OTHER}). */
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
        this.errorCode = StoreErrorCode.of(cause);
    }

    /** A failure with no exception behind it, such as keys left unprocessed or a passed deadline. */
    public StoreUnavailableException(StoreErrorCode errorCode, String message) {
        super(message);
        this.errorCode = errorCode;
    }

    public StoreErrorCode errorCode() {
        return errorCode;
    }
}
