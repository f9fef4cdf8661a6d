package com.hourlyanalytics.it.client;

import com.hourlyanalytics.local.LocalRunner;

/** {@link ClientStoreFaultsIT} with the functions in Lambda containers (their own store clients meet the faults). */
class ClientStoreFaultsLambdaIT extends ClientStoreFaultsIT {

    @Override
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.LAMBDA;
    }
}
