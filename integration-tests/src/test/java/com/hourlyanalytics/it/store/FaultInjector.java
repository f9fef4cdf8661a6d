package com.hourlyanalytics.it.store;

import java.util.concurrent.atomic.AtomicBoolean;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Runs a fault (kill or freeze the emulator) once, at an exact point of one kind of store call: before
 * the SDK starts it, or after the request is built and just before it goes on the wire.
 */
final class FaultInjector implements ExecutionInterceptor {

    enum Point { BEFORE_CALL, BEFORE_TRANSMISSION }

    private final Class<? extends SdkRequest> call;
    private final Point point;
    private final Runnable fault;
    private final AtomicBoolean armed = new AtomicBoolean();

    FaultInjector(Class<? extends SdkRequest> call, Point point, Runnable fault) {
        this.call = call;
        this.point = point;
        this.fault = fault;
    }

    void arm() {
        armed.set(true);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        fire(Point.BEFORE_CALL, context.request());
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        fire(Point.BEFORE_TRANSMISSION, context.request());
    }

    private void fire(Point reached, SdkRequest request) {
        if (reached == point && call.isInstance(request) && armed.compareAndSet(true, false)) {
            fault.run();
        }
    }
}
