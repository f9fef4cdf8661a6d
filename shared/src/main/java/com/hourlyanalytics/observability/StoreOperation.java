package com.hourlyanalytics.observability;

/** Values of the {@link MetricNames#OPERATION} dimension: which store call a latency or error belongs to. */
public enum StoreOperation {
    RECORD("record"),
    READ("read"),
    RECORD_BATCH("recordBatch");

    private final String dimensionValue;

    StoreOperation(String dimensionValue) {
        this.dimensionValue = dimensionValue;
    }

    /** The exact value in metric lines, which dashboards and alarms name. */
    public String dimensionValue() {
        return dimensionValue;
    }
}
