package com.hourlyanalytics.ingest;

import static com.hourlyanalytics.http.HttpResponses.ALLOW_ANALYTICS;
import static com.hourlyanalytics.http.HttpResponses.ALLOW_BATCH;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.hourlyanalytics.http.HttpResponses;
import com.hourlyanalytics.http.ProxyEventJson;
import com.hourlyanalytics.http.ProxyRequests;
import com.hourlyanalytics.http.RequestHandling;
import com.hourlyanalytics.http.RequestValidator;
import com.hourlyanalytics.model.AnalyticsEvent;
import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.model.PartnerKeys;
import com.hourlyanalytics.observability.RequestObservation;
import com.hourlyanalytics.observability.RequestObserver;
import com.hourlyanalytics.observability.StoreOperation;
import com.hourlyanalytics.snapstart.SnapStartPriming;
import com.hourlyanalytics.store.CounterStore;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.DynamoDbCounterStore;
import com.hourlyanalytics.store.dynamodb.PseudonymKeySecret;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.stream.Collectors;
import org.crac.Resource;

/**
 * POST /analytics counts one event; POST /analytics/batch counts a body of them, all or nothing. API Gateway
 * routes every other method of these resources (but GET /analytics) here, so this answers 405 for them.
 */
public final class IngestHandler implements RequestStreamHandler, Resource {

    private final CounterStore store;
    private final PartnerKeys partners;
    private final Clock clock;
    private final RequestValidator validator;
    private final RequestObserver observer;
    private final RequestObserver.Handling handling = RequestHandling.answeringErrors(this::route);

    /** Lambda's constructor: the client is built once, in the init phase, and primed before the SnapStart snapshot. */
    public IngestHandler() {
        this(storeFromEnvironment(), PartnerKeys.fromEnvironment(System.getenv()),
                Clock.systemUTC(), RequestObserver.toStdout(Clock.systemUTC()));
        SnapStartPriming.register(this);
    }

    /** The store on the environment's settings, with the pseudonym keys they name: read here, once, at init. */
    private static CounterStore storeFromEnvironment() {
        StoreSettings settings = PseudonymKeySecret.settingsFromEnvironment(System.getenv());
        return new DynamoDbCounterStore(DynamoDbClients.create(settings, List.of()), settings, Clock.systemUTC());
    }

    /** Every API key its own partner, a request without one the default partner's (the open local API), lines to stdout. */
    public IngestHandler(CounterStore store, Clock clock) {
        this(store, PartnerKeys.OPEN, clock, RequestObserver.toStdout(clock));
    }

    public IngestHandler(CounterStore store, PartnerKeys partners, Clock clock, RequestObserver observer) {
        this.store = store;
        this.partners = partners;
        this.clock = clock;
        this.validator = new RequestValidator(clock, store.markerRetention());
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
        String resource = ProxyRequests.resource(request);
        boolean batch = ProxyRequests.ANALYTICS_BATCH.equals(resource);
        if (!batch && !ProxyRequests.ANALYTICS.equals(resource)) {
            return HttpResponses.notFound();
        }
        if (!ProxyRequests.isMethod(request, "POST")) {
            return HttpResponses.methodNotAllowed(batch ? ALLOW_BATCH : ALLOW_ANALYTICS);
        }
        Partner partner = ProxyRequests.partner(request, partners);
        if (batch) {
            List<AnalyticsEvent> events = validator.batch(ProxyRequests.body(request));
            long answerBy = ProxyRequests.awaitedAnswerByMillis(request, clock.millis());
            long newUsers = call.store(StoreOperation.RECORD_BATCH, () -> store.recordBatch(partner, events, answerBy));
            call.accepted(events.stream().collect(Collectors.groupingBy(AnalyticsEvent::type,
                    () -> new EnumMap<>(EventType.class), Collectors.counting())), newUsers);
            return HttpResponses.noContent();
        }
        AnalyticsEvent event = validator.event(ProxyRequests.queryParameters(request));
        boolean newUser = call.store(StoreOperation.RECORD, () -> store.record(partner, event));
        call.accepted(event.type(), newUser);
        return HttpResponses.noContent();
    }

    /**
     * SnapStart, once before the snapshot: warms the write path with writes that can never apply,
     * then validation (see SnapStartPriming).
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        SnapStartPriming.prime(store::primeRecord, handling, SnapStartPriming.rejectedPost(clock.millis()));
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // Fresh entropy for the shard picks: every container restored from the snapshot would repeat its sequence.
        // The SDK opens new connections as needed, and Lambda supplies fresh credentials.
        store.renewAfterRestore();
    }
}
