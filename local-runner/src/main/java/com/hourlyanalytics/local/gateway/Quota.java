package com.hourlyanalytics.local.gateway;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.TemporalAdjusters;

/** A usage plan's quota: at most {@code limit} requests per calendar period in UTC; past it, 429 until the next. */
public final class Quota {

    /** The periods a usage plan offers; weeks start on Monday here. */
    public enum Period {
        DAY, WEEK, MONTH;

        LocalDate start(LocalDate day) {
            return switch (this) {
                case DAY -> day;
                case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> day.withDayOfMonth(1);
            };
        }
    }

    private final long limit;
    private final Period period;
    private final Clock clock;
    private LocalDate periodStart;
    private long used;

    public Quota(long limit, Period period, Clock clock) {
        if (limit < 1) {
            throw new IllegalArgumentException("a quota needs a limit of at least 1");
        }
        this.limit = limit;
        this.period = period;
        this.clock = clock;
    }

    /** Counts one request if the period has room left. */
    public synchronized boolean tryTake() {
        LocalDate start = period.start(LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        if (!start.equals(periodStart)) {
            periodStart = start;
            used = 0;
        }
        if (used >= limit) {
            return false;
        }
        used++;
        return true;
    }
}
