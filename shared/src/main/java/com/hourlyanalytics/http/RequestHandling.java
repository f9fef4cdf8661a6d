package com.hourlyanalytics.http;

import com.hourlyanalytics.observability.RequestObserver;
import com.hourlyanalytics.store.EventIdConflictException;
import com.hourlyanalytics.store.StoreUnavailableException;

/**
 * How a handler's route answers what it throws by design: bad input with 400, an event id reused for another event
 * with 422, a failing store with 503.
 */
public final class RequestHandling {

    private RequestHandling() {
    }

    /** The route, with each expected failure turned into its answer and its outcome for the log line. */
    public static RequestObserver.Handling answeringErrors(RequestObserver.Handling route) {
        return (request, call) -> {
            try {
                return route.handle(request, call);
            } catch (InvalidRequestException e) {
                call.rejected(e.reason());
                return HttpResponses.rejected(e.status(), e.getMessage());
            } catch (EventIdConflictException e) {
                call.rejected("event_id_conflict");
                return HttpResponses.rejected(422, e.getMessage());
            } catch (StoreUnavailableException e) {
                call.outcome("store_unavailable");
                return HttpResponses.storeUnavailable();
            }
        };
    }
}
