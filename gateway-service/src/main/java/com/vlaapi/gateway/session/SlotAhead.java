package com.vlaapi.gateway.session;

import com.vlaapi.gateway.ratelimit.QuotaReservations.Reservation;
import java.time.Duration;
import java.util.function.Consumer;
import reactor.core.publisher.Mono;

/**
 * A quota slot reserved for a session's next observation while the session waits for it, so that
 * the observation meets no Redis round trip on its path ({@link Observations}). A session holds at
 * most one. It is given back (settled as not served) when the session ends, or when the
 * observation cannot use it: refused when reserved, reserved under another plan or month, or held
 * longer than {@link #MAX_AGE} (well inside the reservation's TTL).
 */
public final class SlotAhead {

    static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final long maxAgeNanos;
    private Mono<Reservation> held;
    private long heldSinceNanos;
    private Consumer<Reservation> giveBack;
    private boolean ended;

    public SlotAhead() {
        this(MAX_AGE);
    }

    SlotAhead(Duration maxAge) {
        this.maxAgeNanos = maxAge.toNanos();
    }

    /** Holds {@code reservation} (deciding, or decided) for the next observation. */
    synchronized void hold(Mono<Reservation> reservation, Consumer<Reservation> giveBack) {
        Mono<Reservation> previous = held;
        held = reservation;
        heldSinceNanos = System.nanoTime();
        this.giveBack = giveBack;
        if (previous != null) {
            previous.subscribe(giveBack);
        }
        if (ended) {
            release();
        }
    }

    /** @return the slot held, if one is and it is young enough; else nothing, and an old one is given back */
    synchronized Mono<Reservation> take() {
        Mono<Reservation> taken = held;
        held = null;
        if (taken != null && System.nanoTime() - heldSinceNanos > maxAgeNanos) {
            taken.subscribe(giveBack);
            return null;
        }
        return taken;
    }

    /** The session ended: a slot held is given back, and so is any held from now on. */
    public synchronized void release() {
        ended = true;
        Mono<Reservation> taken = held;
        held = null;
        if (taken != null) {
            taken.subscribe(giveBack);
        }
    }
}
