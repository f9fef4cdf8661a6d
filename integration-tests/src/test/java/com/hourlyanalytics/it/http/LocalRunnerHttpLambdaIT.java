package com.hourlyanalytics.it.http;

import com.hourlyanalytics.local.LocalRunner;

/**
 * Every test of {@link LocalRunnerHttpIT} (the contract sequence and the seed's {@code ab} loads among them) but the
 * eight-client model test with the handlers in Lambda containers under the real runtime client: {@code ./run --lambda}.
 */
class LocalRunnerHttpLambdaIT extends LocalRunnerHttpIT {

    @Override
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.LAMBDA;
    }
}
