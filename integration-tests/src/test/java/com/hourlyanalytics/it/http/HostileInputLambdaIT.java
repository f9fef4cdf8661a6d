package com.hourlyanalytics.it.http;

import com.hourlyanalytics.local.LocalRunner;

/** Every test of {@link HostileInputIT} through {@code ./run --lambda}: the events cross the runtime as JSON. */
class HostileInputLambdaIT extends HostileInputIT {

    @Override
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.LAMBDA;
    }
}
