package com.vlaapi.gateway.ratelimit;

import com.vlaapi.gateway.apikey.ResolvedApiKey;
import com.vlaapi.gateway.ratelimit.QuotaReservations.Reservation;
import com.vlaapi.gateway.usagecounter.UsageReconciler;
import com.vlaapi.servicecontract.RequestIds;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.YearMonth;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Slots reserved ahead for a customer who sends steadily, so that its requests meet no Redis round
 * trip: when two of its requests decided by Redis come within {@code lease-max-age}, this instance
 * reserves {@code lease-size} slots at once (reserve.lua, off the request path), and its next requests
 * take them, each under the slot's request id. A new lease is asked for when half are taken.
 *
 * <p>Exactness stays Redis's: each slot is an ordinary reservation that counts against the bucket
 * and the quota from the moment it is leased, and is settled like any other. Redis grants a lease
 * only while the bucket and a hard quota keep three times its slots once they are taken, so near a
 * limit every request is decided alone, and the slots other instances still hold are used up by
 * their own requests before the limit is reached (unless a customer's traffic leaves one instance
 * altogether: then that instance's slots wait, at most {@code lease-max-age}). A slot not taken
 * within {@code lease-max-age} is given back (settled as not served: its quota slot is freed, its
 * burst token is not refunded), as are all slots of a lease whose key changed plan, and all of them
 * when the gateway stops. A gateway that dies holding slots leaves them to expire and be counted
 * from the request log (AbandonedReservations), where they are not found.
 *
 * <p>The limit headers of a request served from a lease read as if it had been decided alone at
 * the lease: the slots still held are counted neither as used nor as spent tokens.
 */
@Component
public class QuotaLeases implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(QuotaLeases.class);

    private record CustomerMonth(UUID customer, YearMonth month) {
    }

    private record Slot(String requestId, long leasedAtNanos) {
    }

    /** One customer's slots on this instance for one month; guarded by itself. */
    private static final class Lease {
        private ResolvedApiKey key;
        private final ArrayDeque<Slot> slots = new ArrayDeque<>();
        /** As Redis reported at the last lease, its slots taken and counted. */
        private long remainingBurst;
        private long used;
        /** The customer's last request here that Redis decided; 0 before the first. */
        private long lastDecidedNanos;
        private boolean leasing;
        /** Removed from the map: slots granted from now on are given back at once. */
        private boolean closed;

        private Lease(ResolvedApiKey key) {
            this.key = key;
        }
    }

    private final Map<CustomerMonth, Lease> leases = new ConcurrentHashMap<>();
    private final RedisLimiter redis;
    private final QuotaSettlements settlements;
    private final LocalLimiter local;
    private final UsageReconciler reconciler;
    private final int size;
    private final long maxAgeNanos;
    private final Counter taken;
    private final Counter givenBack;
    private volatile ScheduledExecutorService sweeper;

    public QuotaLeases(RedisLimiter redis, QuotaSettlements settlements, LocalLimiter local, UsageReconciler reconciler,
                       LimitsProperties limits, MeterRegistry meters) {
        if (limits.leaseSize() > 0 && limits.leaseMaxAge().compareTo(limits.reservationTtl().dividedBy(2)) > 0) {
            throw new IllegalStateException("vla.gateway.limits.lease-max-age (" + limits.leaseMaxAge()
                    + ") must be at most half of vla.gateway.limits.reservation-ttl (" + limits.reservationTtl()
                    + "): a leased slot must be taken or given back long before Redis expires it");
        }
        this.redis = redis;
        this.settlements = settlements;
        this.local = local;
        this.reconciler = reconciler;
        this.size = limits.enabled() ? Math.max(0, limits.leaseSize()) : 0;
        this.maxAgeNanos = limits.leaseMaxAge().toNanos();
        this.taken = slotCounter(meters, "taken");
        this.givenBack = slotCounter(meters, "given_back");
    }

    private static Counter slotCounter(MeterRegistry meters, String outcome) {
        return Counter.builder("vla.gateway.ratelimit.lease.slots")
                .description("Quota slots leased ahead, by what became of them")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** @return a leased slot of {@code key}'s customer for {@code month}, or null when none is held */
    Reservation take(ResolvedApiKey key, YearMonth month) {
        Lease lease = size == 0 ? null : leases.get(new CustomerMonth(key.customerId(), month));
        if (lease == null) {
            return null;
        }
        long now = System.nanoTime();
        Slot slot;
        LimitDecision decision;
        boolean refill;
        List<String> stale;
        synchronized (lease) {
            if (sameLimits(lease.key, key)) {
                stale = takeStale(lease, now);
            } else {
                stale = takeAll(lease);
                lease.key = key;
            }
            slot = lease.slots.pollFirst();
            int held = lease.slots.size();
            decision = slot == null ? null
                    : new LimitDecision(LimitDecision.Outcome.ALLOWED, 0, lease.remainingBurst + held, lease.used - held, false);
            refill = slot != null && !lease.leasing && held <= size / 2;
            lease.leasing |= refill;
        }
        giveBack(key.customerId(), month, stale);
        if (slot == null) {
            return null;
        }
        taken.increment();
        if (refill) {
            requestLease(key, month, lease);
        }
        return new Reservation(key, slot.requestId(), month, decision);
    }

    /** Redis decided a request of {@code key}'s customer: the second within the maximum age asks for a lease. */
    void decided(ResolvedApiKey key, YearMonth month, LimitDecision decision) {
        if (size == 0 || decision.outcome() != LimitDecision.Outcome.ALLOWED || decision.failedOpen()
                || decision.remainingBurst() < 4L * size
                || (!key.metered() && decision.usedThisMonth() + 4L * size > key.monthlyQuota())) {
            return;
        }
        Lease lease = leases.computeIfAbsent(new CustomerMonth(key.customerId(), month), customer -> new Lease(key));
        long now = System.nanoTime();
        synchronized (lease) {
            long previous = lease.lastDecidedNanos;
            lease.lastDecidedNanos = now;
            if (lease.closed || lease.leasing || previous == 0 || now - previous > maxAgeNanos
                    || lease.slots.size() > size / 2 || !sameLimits(lease.key, key)) {
                return;
            }
            lease.leasing = true;
        }
        requestLease(key, month, lease);
    }

    private void requestLease(ResolvedApiKey key, YearMonth month, Lease lease) {
        List<String> requestIds = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            requestIds.add(RequestIds.mint().toString());
        }
        redis.lease(key, requestIds, month).subscribe(granted -> {
            // Decided by Redis, as a request is (QuotaReservations).
            local.observe(key, month, granted);
            reconciler.decidedByRedis(key.customerId(), month);
            long now = System.nanoTime();
            boolean keep;
            synchronized (lease) {
                keep = !lease.closed && sameLimits(lease.key, key);
                if (keep) {
                    requestIds.forEach(id -> lease.slots.addLast(new Slot(id, now)));
                    lease.remainingBurst = granted.remainingBurst();
                    lease.used = granted.usedThisMonth();
                }
            }
            if (!keep) {
                giveBack(key.customerId(), month, requestIds);
            }
        }, failure -> {
            // The requests go on being decided alone; the lease's own slots, if Redis made them, expire.
            log.debug("no lease for customer {}: {}", key.customerId(), failure.toString());
            leaseEnded(lease);
        }, () -> leaseEnded(lease));
    }

    private static void leaseEnded(Lease lease) {
        synchronized (lease) {
            lease.leasing = false;
        }
    }

    private static boolean sameLimits(ResolvedApiKey held, ResolvedApiKey now) {
        return held.rateLimitPerMinute() == now.rateLimitPerMinute() && held.monthlyQuota() == now.monthlyQuota()
                && held.metered() == now.metered();
    }

    /** Removes the slots older than the maximum age from {@code lease}, whose lock the caller holds. */
    private List<String> takeStale(Lease lease, long now) {
        List<String> stale = List.of();
        while (!lease.slots.isEmpty() && now - lease.slots.peekFirst().leasedAtNanos() > maxAgeNanos) {
            if (stale.isEmpty()) {
                stale = new ArrayList<>();
            }
            stale.add(lease.slots.pollFirst().requestId());
        }
        return stale;
    }

    /** Removes every slot from {@code lease}, whose lock the caller holds. */
    private static List<String> takeAll(Lease lease) {
        List<String> all = lease.slots.stream().map(Slot::requestId).toList();
        lease.slots.clear();
        return all;
    }

    private void giveBack(UUID customer, YearMonth month, List<String> requestIds) {
        if (requestIds.isEmpty()) {
            return;
        }
        for (String requestId : requestIds) {
            settlements.settle(customer, month, requestId, false);
        }
        givenBack.increment(requestIds.size());
    }

    /** Gives back the slots older than the maximum age, and forgets customers who stopped sending. */
    private void sweep() {
        long now = System.nanoTime();
        leases.forEach((customerMonth, lease) -> {
            List<String> stale;
            synchronized (lease) {
                stale = takeStale(lease, now);
                if (lease.slots.isEmpty() && !lease.leasing && now - lease.lastDecidedNanos > maxAgeNanos) {
                    lease.closed = true;
                    leases.remove(customerMonth, lease);
                }
            }
            giveBack(customerMonth.customer(), customerMonth.month(), stale);
        });
    }

    @Override
    public void start() {
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "quota-leases");
            thread.setDaemon(true);
            return thread;
        });
        long period = Math.max(1, maxAgeNanos / 2);
        executor.scheduleWithFixedDelay(this::sweep, period, period, TimeUnit.NANOSECONDS);
        sweeper = executor;
    }

    /** Every slot still held is given back, before quota settlement stops. */
    @Override
    public void stop() {
        ScheduledExecutorService executor = sweeper;
        sweeper = null;
        if (executor != null) {
            executor.shutdownNow();
        }
        leases.forEach((customerMonth, lease) -> {
            List<String> held;
            synchronized (lease) {
                lease.closed = true;
                held = takeAll(lease);
            }
            giveBack(customerMonth.customer(), customerMonth.month(), held);
        });
        leases.clear();
    }

    @Override
    public boolean isRunning() {
        return sweeper != null;
    }

    /** After the web server ({@code DEFAULT_PHASE - 2048}) and before QuotaSettlements ({@code - 4096}). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 3072;
    }
}
