package com.hourlyanalytics.query;

import static com.hourlyanalytics.http.HttpResponses.ALLOW_ANALYTICS;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.http.ProxyEventJson;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.http.RequestHandling;
import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.HourCounts;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.model.PartnerKeys;
import com.hourlyanalytics.observability.RequestObservation;
import com.hourlyanalytics.observability.RequestObserver;
import com.hourlyanalytics.observability.StoreOperation;
import com.hourlyanalytics.snapstart.SnapStartPriming;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import org.crac.Resource;

/** GET /analytics: the counts of the GMT hour holding the timestamp. */
public final class QueryHandler implements RequestStreamHandler, Resource {

    private final CounterStore store;
    private final PartnerKeys partners;
    private final RequestValidator validator;
    private final RequestObserver observer;
    private final RequestObserver.Handling handling = RequestHandling.answeringErrors(this::route);

    /** Lambda's constructor: the client is built once, in the init phase, and primed before the SnapStart snapshot. */
    public QueryHandler() {
        this(DynamoDbCounterStore.fromEnvironment(System.getenv()), PartnerKeys.fromEnvironment(System.getenv()),
                Clock.systemUTC(), RequestObserver.toStdout(Clock.systemUTC()));
        SnapStartPriming.register(this);
    }

    /** Every API key its own partner, a request without one the default partner's (the open local API), lines to stdout. */
    public QueryHandler(CounterStore store, Clock clock) {
        this(store, PartnerKeys.OPEN, clock, RequestObserver.toStdout(clock));
    }

    public QueryHandler(CounterStore store, PartnerKeys partners, Clock clock, RequestObserver observer) {
        this.store = store;
        this.partners = partners;
        this.validator = new RequestValidator(clock);
        this.observer = observer;
    }

    /**
     * Lambda's entry point: the proxy event's JSON in, the response's out, read and written here rather than by
     * the runtime's serializer (see ProxyEventJson).
     */
    @Override
    public void handleRequest(InputStream event, OutputStream response, Context context) throws IOException {
        // The Context names the invocation in the log line and gives the deadline its timeout line needs.
        ProxyEventJson.writeResponse(observer.observe(ProxyEventJson.readRequest(event), context, handling), response);
    }

    /** One proxy request: what Lambda's entry point and the in-process local runner call. */
    public APIGatewayProxyResponseEvent handle(APIGatewayProxyRequestEvent request) {
        return observer.observe(request, handling);
    }

    private APIGatewayProxyResponseEvent route(APIGatewayProxyRequestEvent request, RequestObservation call) {
        if (!ProxyRequests.ANALYTICS.equals(ProxyRequests.resource(request))) {
            return HttpResponses.notFound();
        }
        if (!ProxyRequests.isMethod(request, "GET")) {
            return HttpResponses.methodNotAllowed(ALLOW_ANALYTICS);
        }
        Partner partner = ProxyRequests.partner(request, partners);
        Hour hour = validator.hour(ProxyRequests.queryParameters(request));
        HourCounts counts = call.store(StoreOperation.READ, () -> store.countsFor(partner, hour));
        return HttpResponses.counts(counts);
    }

    /**
     * SnapStart, once before the snapshot: warms the read path with a read of a key that is never a counter,
     * then validation (see SnapStartPriming).
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        SnapStartPriming.prime(store::primeRead, handling, SnapStartPriming.rejectedGet());
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Nothing to renew: the SDK opens new connections as needed, and Lambda supplies fresh credentials.
    }
}
