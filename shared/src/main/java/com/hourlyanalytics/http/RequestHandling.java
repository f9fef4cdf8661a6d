package com.hourlyanalytics.http;

import com.hourlyanalytics.observability.RequestObserver;
import com.hourlyanalytics.store.EventIdConflictException;
import com.hourlyanalytics.store.EventTooOldException;
import com.hourlyanalytics.store.StoreUnavailableException;

/**
 * How a handler's route answers what it throws by design: bad input with 400, an event id reused for another event
 * with 422, a failing store with 503 (the log line names the store's error code). It also tells the observer which
 * API key id the request came with.
 */
public final class RequestHandling {

    private RequestHandling() {
    }

    /** The route, with each expected failure turned into its answer and its outcome for the log line. */
    public static RequestObserver.Handling answeringErrors(RequestObserver.Handling route) {
        return (request, call) -> {
            // First, so that every line of the request names the partner, even a timeout's or a crash's.
            call.apiKeyId(KeyedIdentity.apiKeyId(request.getRequestContext() == null ? null : request.getRequestContext().getIdentity()));
            try {
                return route.handle(request, call);
            } catch (InvalidRequestException e) {
                call.rejected(e.reason());
                return HttpResponses.rejected(e.status(), e.getMessage());
            } catch (EventIdConflictException e) {
                call.rejected("event_id_conflict");
                return HttpResponses.rejected(422, e.getMessage());
            } catch (EventTooOldException e) {
                call.rejected("timestamp_too_old");
                return HttpResponses.badRequest(e.getMessage());
            } catch (StoreUnavailableException e) {
                call.storeUnavailable(e);
                return HttpResponses.storeUnavailable();
            }
        };
    }
}
