package com.hourlyanalytics.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import org.junit.jupiter.api.Test;

/**
 * docs/capacity.md's "Partners fenced" arithmetic on template.yaml's defaults and the validator's batch size: the
 * planned partners, each at its full limits with the costliest requests, fit the table and the account; so does all
 * the stage lets through, whatever the number of keys. Change a default or the batch size, and this says whether the
 * promise still holds; the figures are the doc's.
 */
class CapacityPlanIT {

    /** The number of partners the defaults are planned for (docs/capacity.md). */
    static final int PLANNED_PARTNERS = 10;
    /** docs/cost.md, measured 2026-12-07: a repeat user's POST with an event id, marker not cached (≤, a cancelled transaction). */
    static final double WRITE_UNITS_PER_SINGLE_POST = 10;
    /** docs/cost.md: a batch line of a new user-hour with an event id, 4.06 at most, doubled for a group cancelled and resent. */
    static final double WRITE_UNITS_PER_BATCH_LINE = 2 * 4.06;
    /** A batch reads each line's marker and event id first, strongly consistent, 1 unit each even when absent. */
    static final double READ_UNITS_PER_BATCH_LINE = 2;
    /** DynamoDB's default per-table on-demand quota, reads and writes each (units per second). */
    static final int TABLE_QUOTA = 40_000;
    /** Lambda keeps this much of the account's concurrency unreserved. */
    static final int UNRESERVED_FLOOR = 100;
    /** docs/cost.md's request table (run of 2026-12-07 22:28, billed ms per invocation, mean, rounded up): a single POST and a GET. */
    static final double POST_SECONDS = 0.022;
    static final double GET_SECONDS = 0.041;

    private final JsonNode parameters = Template.load().root().path("Parameters");
    private final double batchWrites = RequestValidator.MAX_BATCH_LINES * WRITE_UNITS_PER_BATCH_LINE;

    private double parameter(String name) {
        JsonNode value = parameters.at("/" + name + "/Default");
        assertThat(value.isMissingNode()).as("template.yaml's parameter %s has a Default", name).isFalse();
        return value.asDouble();
    }

    /** The most items a GET reads: an hour widened on write conflicts to its limit. */
    private int readUnitsPerGet() {
        return Template.load().globalFunction().at("/Environment/Variables/" + StoreSettings.COUNTER_SHARD_LIMIT).asInt();
    }

    @Test
    void plannedPartnersAtTheirLimits_fitTheStageLimits() {
        assertThat(parameter("StageThrottleRateLimit")).isGreaterThanOrEqualTo(PLANNED_PARTNERS * parameter("ThrottleRateLimit"));
        assertThat(parameter("StageBatchThrottleRateLimit")).isGreaterThanOrEqualTo(PLANNED_PARTNERS * parameter("BatchThrottleRateLimit"));
        assertThat(parameter("StageGetThrottleRateLimit")).isGreaterThanOrEqualTo(PLANNED_PARTNERS * parameter("GetThrottleRateLimit"));
    }

    @Test
    void plannedPartnersAtTheirLimits_andAllTheStageLetsThrough_writeBelowTheTablesCeilingAndQuota() {
        double perPartner = parameter("ThrottleRateLimit") * WRITE_UNITS_PER_SINGLE_POST + parameter("BatchThrottleRateLimit") * batchWrites;
        // Each method has its own stage bucket: POST /analytics (its ANY) and the batch POST write.
        double stage = parameter("StageThrottleRateLimit") * WRITE_UNITS_PER_SINGLE_POST + parameter("StageBatchThrottleRateLimit") * batchWrites;
        double ceiling = parameter("TableMaxWriteRequestUnits");

        assertThat(PLANNED_PARTNERS * perPartner).as("planned partners' write units per second").isLessThanOrEqualTo(ceiling);
        assertThat(stage).as("write units per second the stage lets through").isLessThanOrEqualTo(ceiling);
        assertThat(ceiling).as("the fuse is below the table quota, so it binds first").isLessThanOrEqualTo(TABLE_QUOTA);
        assertThat(ceiling).as("the fuse sits just above the plan").isLessThan(1.1 * PLANNED_PARTNERS * perPartner);
    }

    @Test
    void plannedPartnersAtTheirLimits_andAllTheStageLetsThrough_readBelowTheTablesCeilingAndQuota() {
        double perPartner = parameter("GetThrottleRateLimit") * readUnitsPerGet()
                + parameter("BatchThrottleRateLimit") * RequestValidator.MAX_BATCH_LINES * READ_UNITS_PER_BATCH_LINE;
        double stage = parameter("StageGetThrottleRateLimit") * readUnitsPerGet()
                + parameter("StageBatchThrottleRateLimit") * RequestValidator.MAX_BATCH_LINES * READ_UNITS_PER_BATCH_LINE;
        double ceiling = parameter("TableMaxReadRequestUnits");

        assertThat(PLANNED_PARTNERS * perPartner).as("planned partners' read units per second").isLessThanOrEqualTo(ceiling);
        assertThat(stage).as("read units per second the stage lets through").isLessThanOrEqualTo(ceiling);
        assertThat(ceiling).isLessThanOrEqualTo(TABLE_QUOTA);
        assertThat(ceiling).as("the fuse sits just above the plan").isLessThan(1.1 * PLANNED_PARTNERS * perPartner);
    }

    /**
     * Everything the stage lets through fits each function's reservation, batches even at their timeout; the two
     * reservations leave the account's floor.
     */
    @Test
    void allTheStageLetsThrough_fitsEachFunctionsReservedConcurrency_batchesEvenAtTheirTimeout() {
        double batchTimeout = Template.load().resource("IngestFunction").at("/Properties/Timeout").asDouble();
        double ingest = parameter("StageThrottleRateLimit") * POST_SECONDS + parameter("StageBatchThrottleRateLimit") * batchTimeout;
        double query = parameter("StageGetThrottleRateLimit") * GET_SECONDS;

        assertThat(ingest).as("ingest's concurrent executions").isLessThanOrEqualTo(parameter("IngestReservedConcurrency"));
        assertThat(query).as("query's concurrent executions").isLessThanOrEqualTo(parameter("QueryReservedConcurrency"));
        assertThat(parameter("IngestReservedConcurrency") + parameter("QueryReservedConcurrency") + UNRESERVED_FLOOR)
                .isLessThanOrEqualTo(parameter("AccountConcurrencyLimit"));
    }
}
