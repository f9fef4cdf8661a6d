package com.hourlyanalytics.bench;

import com.hourlyanalytics.model.EventType;
import com.hourlyanalytics.model.Hour;
import java.util.SplittableRandom;

/**
 * The partners' traffic the load and the cost benchmark send: users drawn by {@link Zipf} (a few send most events),
 * 1 click for 3 impressions, most events and reads in the current hour and {@code pastShare} of them somewhere in the
 * {@code pastHours} before it.
 */
public record PartnerMix(Zipf users, double pastShare, int pastHours) {

    /** The timestamp and hour index of one event or read. */
    public long[] time(SplittableRandom random) {
        long now = System.currentTimeMillis();
        if (random.nextDouble() >= pastShare) {
            return new long[] {now, Hour.containing(now).index()};
        }
        long hour = Hour.containing(now).index() - 1 - random.nextInt(pastHours);
        return new long[] {hour * Hour.MILLIS_PER_HOUR + random.nextLong(Hour.MILLIS_PER_HOUR), hour};
    }

    public String user(SplittableRandom random) {
        return "user-" + users.next(random);
    }

    public static EventType type(SplittableRandom random) {
        return random.nextInt(4) == 0 ? EventType.CLICK : EventType.IMPRESSION;
    }
}
