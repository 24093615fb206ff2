package com.vlaapi.gateway.ratelimit;

import java.util.Locale;

/** Why a limit decision fell to the local limiter: the {@code reason} tag of the fail-open metric. */
enum FailOpenReason {
    /** The connection is down: Redis refused the command at once. */
    REDIS_UNAVAILABLE,
    /** Connected, but Redis answered nothing of this instance's for a whole silent-redis-timeout. */
    REDIS_SILENT,
    /** Redis kept answering, but this decision took longer than max-decision-wait. */
    DECISION_TOO_SLOW;

    String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
