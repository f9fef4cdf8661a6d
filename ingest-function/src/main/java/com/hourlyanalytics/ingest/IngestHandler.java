package com.hourlyanalytics.ingest;

import static com.hourlyanalytics.api.HttpResponses.ALLOW_ANALYTICS;
import static com.hourlyanalytics.api.HttpResponses.ALLOW_BATCH;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.api.HttpResponses;
import com.hourlyanalytics.api.ProxyRequests;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.InvalidRequestException;
import com.hourlyanalytics.model.RequestValidator;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import java.time.Clock;

/**
 * POST /analytics counts one event; POST /analytics/batch counts a body of them, all or nothing. API Gateway
 * routes every other method of these resources (but GET /analytics) here, so this answers 405 for them.
 */
public final class IngestHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final CounterStore store;
    private final RequestValidator validator;

    /** Lambda's constructor: the client is built once, in the init phase. */
    public IngestHandler() {
        this(DynamoDbCounterStore.fromEnvironment(System.getenv()), Clock.systemUTC());
    }

    public IngestHandler(CounterStore store, Clock clock) {
        this.store = store;
        this.validator = new RequestValidator(clock, store.markerRetention());
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        String resource = ProxyRequests.resource(request);
        boolean batch = ProxyRequests.ANALYTICS_BATCH.equals(resource);
        if (!batch && !ProxyRequests.ANALYTICS.equals(resource)) {
            return HttpResponses.notFound();
        }
        if (!ProxyRequests.isMethod(request, "POST")) {
            return HttpResponses.methodNotAllowed(batch ? ALLOW_BATCH : ALLOW_ANALYTICS);
        }
        try {
            if (batch) {
                store.recordBatch(validator.batch(ProxyRequests.body(request)));
            } else {
                AnalyticsEvent event = validator.event(ProxyRequests.queryParameters(request));
                store.record(event);
            }
            return HttpResponses.noContent();
        } catch (InvalidRequestException e) {
            return HttpResponses.badRequest(e.getMessage());
        } catch (StoreUnavailableException e) {
            return HttpResponses.storeUnavailable();
        }
    }
}
