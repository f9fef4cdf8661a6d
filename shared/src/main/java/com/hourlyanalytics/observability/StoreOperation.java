package com.hourlyanalytics.observability;

/** Values of the {@link MetricNames#OPERATION} dimension: which store call a latency or error belongs to. */
public final class StoreOperation {

    public static final String RECORD = "record";
    public static final String READ = "read";
    public static final String RECORD_BATCH = "recordBatch";

    private StoreOperation() {
    }
}
