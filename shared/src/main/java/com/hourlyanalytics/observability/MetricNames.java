package com.hourlyanalytics.observability;

/**
 * The CloudWatch custom metrics the functions emit (Embedded Metric Format). template.yaml's dashboard and
 * alarms name these; a template test checks that they agree.
 */
public final class MetricNames {

    public static final String NAMESPACE = "HourlyAnalytics";

    /** Count; dimension {@link #EVENT_TYPE}. */
    public static final String EVENTS_ACCEPTED = "EventsAccepted";
    /** Count; no dimension. */
    public static final String NEW_UNIQUE_USERS = "NewUniqueUsers";
    /** Count; dimension {@link #REASON} (InvalidRequestException.reason()). */
    public static final String REQUESTS_REJECTED = "RequestsRejected";
    /**
     * Count; kept by three dimension sets: {@link #OPERATION}; {@link #OPERATION} and {@link #ERROR_CODE};
     * {@link #ERROR_CLASS}.
     */
    public static final String STORE_ERRORS = "StoreErrors";
    /** Milliseconds; dimension {@link #OPERATION}. */
    public static final String STORE_LATENCY = "StoreLatency";

    public static final String EVENT_TYPE = "EventType";
    public static final String REASON = "Reason";
    public static final String OPERATION = "Operation";
    /** store.StoreErrorCode's values: a fixed set. */
    public static final String ERROR_CODE = "ErrorCode";
    /** {@code fault} (our code or IAM policy) or {@code availability} (throttled, slow or unreachable store). */
    public static final String ERROR_CLASS = "ErrorClass";

    private MetricNames() {
    }
}
