package com.vlaapi.gateway.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.ratelimit.LimitDecision;
import com.vlaapi.gateway.ratelimit.QuotaReservations.Reservation;
import com.vlaapi.servicecontract.RequestIds;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

class SlotAheadTest {

    private static final ResolvedApiKey KEY = new ResolvedApiKey(RequestIds.mint(), RequestIds.mint(), "active", "active",
            "pro", 100_000, 600, true, null);

    private final List<Reservation> givenBack = new CopyOnWriteArrayList<>();
    private final SlotAhead ahead = new SlotAhead();

    @Test
    void aHeldSlotIsTakenOnce() {
        Reservation slot = slot();
        ahead.hold(Mono.just(slot), givenBack::add);

        assertSame(slot, ahead.take().block());
        assertNull(ahead.take());
        ahead.release();
        assertEquals(List.of(), givenBack);
    }

    @Test
    void holdingAnotherGivesTheFirstBack() {
        Reservation first = slot();
        ahead.hold(Mono.just(first), givenBack::add);
        ahead.hold(Mono.just(slot()), givenBack::add);

        assertEquals(List.of(first), givenBack);
    }

    @Test
    void theSessionsEndGivesBackWhatIsHeldAndWhatIsHeldAfterIt() {
        Reservation held = slot();
        Reservation late = slot();
        ahead.hold(Mono.just(held), givenBack::add);
        ahead.release();
        // An observation in flight when the session ended reserves ahead after the end.
        ahead.hold(Mono.just(late), givenBack::add);

        assertEquals(List.of(held, late), givenBack);
        assertNull(ahead.take());
    }

    @Test
    void aSlotHeldTooLongIsGivenBackInsteadOfTaken() {
        // A negative maximum age: every held slot is already too old, with no wait.
        SlotAhead old = new SlotAhead(Duration.ofNanos(-1));
        Reservation stale = slot();
        old.hold(Mono.just(stale), givenBack::add);

        assertNull(old.take());
        assertEquals(List.of(stale), givenBack);
    }

    private static Reservation slot() {
        return new Reservation(KEY, RequestIds.mint().toString(), YearMonth.of(2026, 12),
                new LimitDecision(LimitDecision.Outcome.ALLOWED, 0, 599, 1, false));
    }
}
