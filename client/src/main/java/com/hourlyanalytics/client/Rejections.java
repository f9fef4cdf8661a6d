package com.hourlyanalytics.client;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which events of a batch a final answer refuses. A batch's 400 and 422 are decided before anything is written
 * (docs/api.md, "Batches"), so the events the answer does not name were not counted and go out again at once: a
 * message {@code line N: ...} names one line; a 422 for an event id already stored names the id; anything else (a
 * 403 for a wrong key, a 404 for a wrong endpoint, a 400 without a line) refuses the whole request. When another
 * request stored the id while this batch was written, the 422 says the other lines were counted: sending them
 * again is still right, as their ids make the service answer 204 without counting them twice.
 */
final class Rejections {

    private static final Pattern LINE = Pattern.compile("line (\\d+): (.+)");
    private static final Pattern STORED_ID = Pattern.compile("event_id '([^']+)' was already used for a different event.*");

    private Rejections() {
    }

    /** Reports the refused events to {@code outcomes}; returns the others, in order, to send again. */
    static List<Event> apply(Answer answer, List<Event> sent, Outcomes outcomes) {
        String message = answer.message();
        if (answer.status == 400 || answer.status == 422) {
            Matcher line = LINE.matcher(message);
            if (line.matches() && line.group(1).length() < 10 && Integer.parseInt(line.group(1)) <= sent.size()) {
                int index = Integer.parseInt(line.group(1)) - 1;
                outcomes.rejected(sent.get(index), answer.status, line.group(2));
                List<Event> rest = new ArrayList<>(sent);
                rest.remove(index);
                return rest;
            }
            Matcher storedId = STORED_ID.matcher(message);
            if (answer.status == 422 && storedId.matches()) {
                List<Event> rest = new ArrayList<>();
                for (Event event : sent) {
                    if (event.eventId().equals(storedId.group(1))) {
                        outcomes.rejected(event, answer.status, message);
                    } else {
                        rest.add(event);
                    }
                }
                if (rest.size() < sent.size()) {
                    return rest;
                }
            }
        }
        for (Event event : sent) {
            outcomes.rejected(event, answer.status, message);
        }
        return List.of();
    }
}
