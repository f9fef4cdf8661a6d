package com.hourlyanalytics.local;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link LocalRunnerHttpIT} (the contract sequence and the seed's {@code ab} load among them) with
 * the handlers in Lambda containers under the real runtime client: {@code ./run --lambda}.
 */
class LocalRunnerHttpLambdaIT extends LocalRunnerHttpIT {

    @BeforeAll
    static void start() throws IOException {
        startIn(LocalRunner.Mode.LAMBDA);
    }
}
