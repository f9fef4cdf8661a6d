package com.hourlyanalytics.local.lambda;

/** What one invocation produced: the function's response, or an error payload as Lambda returns one. */
public sealed interface InvocationOutcome {

    byte[] payload();

    record Response(byte[] payload) implements InvocationOutcome {
    }

    /** {@code {"errorMessage": ..., "errorType": ...}}: the function's own error, or Lambda's (timeout, exit, init). */
    record Error(byte[] payload) implements InvocationOutcome {
    }
}
