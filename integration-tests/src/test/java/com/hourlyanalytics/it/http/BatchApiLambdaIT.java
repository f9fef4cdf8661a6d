package com.hourlyanalytics.it.http;

import com.hourlyanalytics.local.LocalRunner;

/**
 * Every test of {@link BatchApiIT} through {@code ./run --lambda}: all-or-nothing, the 400s and 413, exact counts,
 * read from the table and through GET (the store calls happen in the containers, out of the test's sight).
 */
class BatchApiLambdaIT extends BatchApiIT {

    @Override
    LocalRunner.Mode mode() {
        return LocalRunner.Mode.LAMBDA;
    }
}
