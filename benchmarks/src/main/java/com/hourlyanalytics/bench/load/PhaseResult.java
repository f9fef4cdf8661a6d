package com.hourlyanalytics.bench.load;

/** What a phase did: requests completed, of which POSTs acknowledged, events carried, and its wall time. */
record PhaseResult(long requests, long posts, long events, long nanos) {

    static final PhaseResult NONE = new PhaseResult(0, 0, 0, 0);

    PhaseResult plus(PhaseResult other) {
        return new PhaseResult(requests + other.requests, posts + other.posts, events + other.events, nanos + other.nanos);
    }

    double perSecond(long count) {
        return count / (nanos / 1e9);
    }
}
