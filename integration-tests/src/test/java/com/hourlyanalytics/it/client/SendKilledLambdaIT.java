package com.hourlyanalytics.it.client;

import com.hourlyanalytics.local.LocalRunner;

/** {@link SendKilledIT} with the functions in Lambda containers. */
class SendKilledLambdaIT extends SendKilledIT {

    @Override
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.LAMBDA;
    }
}
