package com.hourlyanalytics.it.runner;

import com.hourlyanalytics.local.LocalRunner;

/** Every {@link GatewayIT} test through {@code ./run --lambda}: the functions in containers under the real runtime client. */
class GatewayLambdaIT extends GatewayIT {

    @Override
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.LAMBDA;
    }
}
