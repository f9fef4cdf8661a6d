package com.hourlyanalytics.it.http;

import com.hourlyanalytics.local.LocalRunner;

/** Every test of {@link StoreOutageIT} through {@code ./run --lambda}: the containers' own store clients meet the outage. */
class StoreOutageLambdaIT extends StoreOutageIT {

    @Override
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.LAMBDA;
    }
}
