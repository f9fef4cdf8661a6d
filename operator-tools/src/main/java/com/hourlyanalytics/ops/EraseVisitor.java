package com.hourlyanalytics.ops;

import com.hourlyanalytics.model.Hour;
import com.hourlyanalytics.model.Partner;
import com.hourlyanalytics.store.StoreUnavailableException;
import com.hourlyanalytics.store.dynamodb.DynamoDbClients;
import com.hourlyanalytics.store.dynamodb.PseudonymKeySecret;
import com.hourlyanalytics.store.dynamodb.StoreSettings;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./erase-visitor --partner ID --user ID [--from INSTANT] [--to INSTANT] [--skip-event-ids]}: erases one visitor of
 * one partner ({@link VisitorErasure}). The table and the pseudonym keys come from the environment, with the names the
 * functions read (TABLE_NAME, PSEUDONYM_KEY_SECRET, PSEUDONYM_KEY_STAGES, MARKER_RETENTION_DAYS, AWS_REGION); the user id
 * is never printed. docs/deployment.md, "Erasing a visitor".
 */
public final class EraseVisitor {

    static final String USAGE = "usage: ./erase-visitor --partner ID --user ID [--from INSTANT] [--to INSTANT] [--skip-event-ids]"
            + " (the default partner: --partner ''; INSTANT like 2026-11-01T00:00:00Z)";
    /** TTL deletes an expired marker within days, not at once: the default window reaches this far past the retention. */
    static final Duration TTL_LAG = Duration.ofDays(3);

    private EraseVisitor() {
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), System.getenv(), Clock.systemUTC(), System.out, System.err));
    }

    /** What main runs, on the given environment and clock. @return 0 when erased, 1 when the store failed, 2 for a wrong argument or setting */
    public static int run(List<String> args, Map<String, String> environment, Clock clock, PrintStream out, PrintStream err) {
        StoreSettings settings;
        Request request;
        try {
            request = Request.parse(args);
            settings = PseudonymKeySecret.settingsFromEnvironment(environment);
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("./erase-visitor: " + e.getMessage());
            return 2;
        }
        Instant now = clock.instant();
        Instant from = request.from() != null ? request.from() : defaultFrom(settings, now);
        if (from == null) {
            err.println("./erase-visitor: markers are kept forever here (" + StoreSettings.MARKER_RETENTION_DAYS + "=0): give --from");
            return 2;
        }
        Instant to = request.to() != null ? request.to() : now.plus(Duration.ofHours(1));
        try (DynamoDbClient client = DynamoDbClients.create(settings, List.of())) {
            var erased = new VisitorErasure(client, settings, clock)
                    .erase(request.partner(), request.user(), Hour.containing(from), Hour.containing(to), !request.skipEventIds());
            out.println("partner " + request.partner() + ": erased " + erased.markers() + " marker(s) in " + erased.hours()
                    + " hours from " + Instant.ofEpochMilli(Hour.containing(from).startMillis()) + " and "
                    + (request.skipEventIds() ? "no event ids (skipped)" : erased.eventIds() + " event id(s)"));
            return 0;
        } catch (SdkException | StoreUnavailableException e) {
            // Deleting is idempotent: a rerun finishes what this one left.
            err.println("./erase-visitor: the store failed (" + e.getMessage() + "); run it again");
            return 1;
        }
    }

    private static Instant defaultFrom(StoreSettings settings, Instant now) {
        Duration retention = settings.markerRetention();
        return retention.isZero() ? null : now.minus(retention).minus(TTL_LAG);
    }

    /** The command line. */
    record Request(Partner partner, String user, Instant from, Instant to, boolean skipEventIds) {

        static Request parse(List<String> args) {
            Map<String, String> values = new HashMap<>();
            boolean skip = false;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.equals("--skip-event-ids")) {
                    skip = true;
                } else if (List.of("--partner", "--user", "--from", "--to").contains(arg) && i + 1 < args.size()) {
                    values.put(arg, args.get(++i));
                } else {
                    throw new IllegalArgumentException("unknown or incomplete argument " + arg + "; " + USAGE);
                }
            }
            if (!values.containsKey("--partner") || values.getOrDefault("--user", "").isEmpty()) {
                throw new IllegalArgumentException(USAGE);
            }
            String partner = values.get("--partner");
            return new Request(partner.isEmpty() ? Partner.DEFAULT : new Partner(partner), values.get("--user"),
                    instant(values.get("--from")), instant(values.get("--to")), skip);
        }

        private static Instant instant(String raw) {
            try {
                return raw == null ? null : Instant.parse(raw);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(raw + " is not an instant like 2026-11-01T00:00:00Z");
            }
        }
    }
}
