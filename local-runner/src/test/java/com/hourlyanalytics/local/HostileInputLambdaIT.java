package com.hourlyanalytics.local;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link HostileInputIT} through {@code ./run --lambda}: the events cross the runtime as JSON. */
class HostileInputLambdaIT extends HostileInputIT {

    @BeforeAll
    static void start() throws IOException {
        startIn(LocalRunner.Mode.LAMBDA);
    }
}
