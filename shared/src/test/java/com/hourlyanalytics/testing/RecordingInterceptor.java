package com.hourlyanalytics.testing;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/** Keeps every request a DynamoDB client sends, so tests can assert the exact calls and expressions. */
public final class RecordingInterceptor implements ExecutionInterceptor {

    private final List<SdkRequest> requests = new ArrayList<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes executionAttributes) {
        synchronized (requests) {
            requests.add(context.request());
        }
    }

    public <T extends SdkRequest> List<T> requests(Class<T> type) {
        synchronized (requests) {
            return requests.stream().filter(type::isInstance).map(type::cast).toList();
        }
    }

    public int count() {
        synchronized (requests) {
            return requests.size();
        }
    }

    public void clear() {
        synchronized (requests) {
            requests.clear();
        }
    }
}
