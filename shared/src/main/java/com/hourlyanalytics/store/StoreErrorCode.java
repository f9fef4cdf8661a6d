package com.hourlyanalytics.store;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;

/**
 * Why the store failed, as a small fixed set (a metric dimension must stay bounded): DynamoDB's own error code
 * where it is one we know, a name of ours for failures without one, {@link #OTHER} for the rest. Each is either a
 * <em>fault</em> (our code or our IAM policy is wrong: retrying will not help, someone must fix it) or
 * <em>availability</em> (the store is throttling, slow or unreachable: it usually passes by itself).
 * <p>
 * It reads the SDK's exceptions here, in the port, so that every adapter call site keeps wrapping its cause
 * as before and the code is never lost on the way.
 */
public enum StoreErrorCode {
    ACCESS_DENIED("AccessDeniedException", true),
    VALIDATION("ValidationException", true),
    RESOURCE_NOT_FOUND("ResourceNotFoundException", true),
    UNRECOGNIZED_CLIENT("UnrecognizedClientException", true),
    EXPIRED_TOKEN("ExpiredTokenException", true),
    PROVISIONED_THROUGHPUT_EXCEEDED("ProvisionedThroughputExceededException", false),
    THROTTLING("ThrottlingException", false),
    REQUEST_LIMIT_EXCEEDED("RequestLimitExceeded", false),
    INTERNAL_SERVER_ERROR("InternalServerError", false),
    SERVICE_UNAVAILABLE("ServiceUnavailable", false),
    /** Another code DynamoDB answered with a 5xx status. */
    OTHER_SERVER_ERROR("OtherServerError", false),
    /** The whole call, retries included, passed the client's call timeout. */
    API_CALL_TIMEOUT("ApiCallTimeout", false),
    /** One attempt passed the client's attempt timeout and was not retried (it may have been applied). */
    API_CALL_ATTEMPT_TIMEOUT("ApiCallAttemptTimeout", false),
    /** No connection, or it broke: refused, reset, DNS. */
    CONNECTION_FAILED("ConnectionFailed", false),
    /** BatchGetItem left keys unprocessed after every retry: read throttling. */
    UNPROCESSED_KEYS("UnprocessedKeys", false),
    /**
     * A write met a transaction on its item on every attempt: DynamoDB's {@code TransactionConflictException}, or
     * a transaction cancelled with reason {@code TransactionConflict}. Nothing of it was applied.
     */
    TRANSACTION_CONFLICT("TransactionConflict", false),
    /** A batch's store calls passed their deadline. */
    BATCH_DEADLINE("BatchDeadline", false),
    /** Anything else: unknown, so someone should look. */
    OTHER("Other", true);

    /** DynamoDB's own codes: the constants from ACCESS_DENIED to SERVICE_UNAVAILABLE. */
    private static final Map<String, StoreErrorCode> BY_AWS_CODE = EnumSet.range(ACCESS_DENIED, SERVICE_UNAVAILABLE).stream()
            .collect(Collectors.toUnmodifiableMap(StoreErrorCode::dimensionValue, Function.identity()));

    private final String dimensionValue;
    private final boolean fault;

    StoreErrorCode(String dimensionValue, boolean fault) {
        this.dimensionValue = dimensionValue;
        this.fault = fault;
    }

    /** The value in the log line's {@code errorCode} and the StoreErrors metric's {@code ErrorCode} dimension. */
    public String dimensionValue() {
        return dimensionValue;
    }

    /** {@code fault} or {@code availability}: the ErrorClass dimension. */
    public String errorClass() {
        return fault ? "fault" : "availability";
    }

    /** The code of a store call's failure, from the SDK exception (or what it wraps). */
    public static StoreErrorCode of(Throwable failure) {
        if (failure instanceof AwsServiceException service) {
            String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
            if ("TransactionConflictException".equals(code)) {
                return TRANSACTION_CONFLICT;
            }
            StoreErrorCode known = code == null ? null : BY_AWS_CODE.get(code);
            if (known != null) {
                return known;
            }
            return service.statusCode() >= 500 ? OTHER_SERVER_ERROR : OTHER;
        }
        if (failure instanceof ApiCallTimeoutException) {
            return API_CALL_TIMEOUT;
        }
        if (failure instanceof ApiCallAttemptTimeoutException) {
            return API_CALL_ATTEMPT_TIMEOUT;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return CONNECTION_FAILED;
            }
        }
        return OTHER;
    }
}
