package com.hourlyanalytics.query;

import static com.hourlyanalytics.api.HttpResponses.ALLOW_ANALYTICS;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.api.HttpResponses;
import com.hourlyanalytics.api.ProxyRequests;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.InvalidRequestException;
import com.hourlyanalytics.model.RequestValidator;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import java.time.Clock;

/** GET /analytics: the counts of the GMT hour holding the timestamp. */
public final class QueryHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final CounterStore store;
    private final RequestValidator validator;

    /** Lambda's constructor: the client is built once, in the init phase. */
    public QueryHandler() {
        this(DynamoDbCounterStore.fromEnvironment(System.getenv()), Clock.systemUTC());
    }

    public QueryHandler(CounterStore store, Clock clock) {
        this.store = store;
        this.validator = new RequestValidator(clock);
    }

    @Override
    public APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent request, Context context) {
        if (!ProxyRequests.ANALYTICS.equals(ProxyRequests.resource(request))) {
            return HttpResponses.notFound();
        }
        if (!ProxyRequests.isMethod(request, "GET")) {
            return HttpResponses.methodNotAllowed(ALLOW_ANALYTICS);
        }
        try {
            Hour hour = validator.hour(ProxyRequests.queryParameters(request));
            return HttpResponses.ok(store.countsFor(hour).toBody());
        } catch (InvalidRequestException e) {
            return HttpResponses.badRequest(e.getMessage());
        } catch (StoreUnavailableException e) {
            return HttpResponses.storeUnavailable();
        }
    }
}
