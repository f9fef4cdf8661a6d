package com.hourlyanalytics.it.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent.ProxyRequestContext;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.ingest.IngestHandler;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.testing.TestStores;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;

/**
 * A batch's writes are bounded by when API Gateway stops waiting (its requestTimeEpoch + 29 s), not only by the
 * store's own budget from the moment it is called: time already spent (a SnapStart restore, parsing a 6 MB body)
 * counts. A batch that could not finish its writes in time answers 503 having written nothing, instead of being
 * cut off by a 504 in the middle.
 */
class BatchAnswerByIT {

    private static final long H = 1709287200000L;

    @RegisterExtension
    static final RecordedEmulator emulator = new RecordedEmulator();
    private DynamoDbCounterStore store;
    private IngestHandler ingest;

    @BeforeEach
    void handlerOnFreshTable() {
        store = TestStores.firstRelease(emulator.client(), emulator.table());
        ingest = new IngestHandler(store, Clock.systemUTC());
    }

    @Test
    void postBatch_receivedLongerAgoThanItsWritesCouldFinishIn_answers503AndWritesNothing() {
        // 29 s - 27 s leaves 2 s, less than the 2.2 s a started write may take.
        var response = ingest.handle(batchReceived(System.currentTimeMillis() - 27_000));

        assertThat(response.getStatusCode()).isEqualTo(503);
        assertThat(emulator.sent().requests(TransactWriteItemsRequest.class)).isEmpty();
        assertThat(store.countsFor(Partner.DEFAULT, Hour.containing(H))).isEqualTo(HourCounts.EMPTY);
    }

    @Test
    void postBatch_receivedOver29sAgo_answers504NamingTheReceipt_andCallsNoStore() {
        // AWS's sample proxy events carry a requestTimeEpoch from years ago: a replay of one must say so, not "store unavailable".
        var response = ingest.handle(batchReceived(1_428_582_896_000L));

        assertThat(response.getStatusCode()).isEqualTo(504);
        assertThat(response.getBody()).isEqualTo("the request was received at 2015-04-09T12:34:56Z (requestContext.requestTimeEpoch), "
                + "over 29 s ago: API Gateway no longer waits for its answer, so nothing was written\n");
        assertThat(emulator.sent().count()).isZero();
    }

    @Test
    void postBatch_receivedJustNow_isCounted() {
        var response = ingest.handle(batchReceived(System.currentTimeMillis()));

        assertThat(response.getStatusCode()).isEqualTo(204);
        assertThat(store.countsFor(Partner.DEFAULT, Hour.containing(H))).isEqualTo(new HourCounts(2, 1, 1));
    }

    private static APIGatewayProxyRequestEvent batchReceived(long requestTimeEpoch) {
        return ProxyRequests.event("POST", ProxyRequests.ANALYTICS_BATCH, Map.of())
                .withBody((H + 1) + ",u1,click\n" + (H + 2) + ",u2,impression\n")
                .withRequestContext(new ProxyRequestContext().withRequestTimeEpoch(requestTimeEpoch));
    }
}
