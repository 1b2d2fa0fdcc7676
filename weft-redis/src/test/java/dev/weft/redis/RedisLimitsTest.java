package dev.weft.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.resilience.RateLimitedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
@Timeout(60)
class RedisLimitsTest {
    private static final AtomicLong NAMES = new AtomicLong();
    private static Redis redis;

    @BeforeAll
    static void connect(RedisServer server) {
        redis = server.connect();
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    private static String newName() {
        return "l" + NAMES.incrementAndGet();
    }

    // ---- RedisRateLimiter ------------------------------------------------------------------

    /** Two "processes" hammering one shared bucket of 5 (refilled once an hour): exactly 5 permits in all. */
    @Test
    void aSharedBurstIsExactUnderContention() throws Exception {
        String name = newName();
        RedisRateLimiter a = RedisRateLimiter.builder(redis, name).rate(1, Duration.ofHours(1)).burst(5).build();
        RedisRateLimiter b = RedisRateLimiter.builder(redis, name).rate(1, Duration.ofHours(1)).burst(5).build();
        AtomicInteger granted = new AtomicInteger();
        TaskGroup.run(g -> {
            for (int t = 0; t < 8; t++) {
                RedisRateLimiter r = t % 2 == 0 ? a : b;
                g.launch(() -> {
                    for (int i = 0; i < 25; i++) {
                        if (r.tryAcquire()) {
                            granted.incrementAndGet();
                        }
                    }
                });
            }
            return null;
        });
        assertEquals(5, granted.get());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void acquireRefusesAWaitPastTheMaximumWaitWithoutReserving() throws Exception {
        String name = newName();
        RedisRateLimiter r = RedisRateLimiter.builder(redis, name).rate(1, Duration.ofHours(1)).burst(1)
                .maxWait(Duration.ofSeconds(1)).build();
        r.acquire();
        Duration before = r.untilNextPermit();
        RateLimitedException e = assertThrows(RateLimitedException.class, r::acquire);
        assertTrue(e.getMessage().startsWith("rate limiter '" + name + "' refused the call"), e.getMessage());
        assertTrue(e.getMessage().contains("more than the maximum wait PT1S"), e.getMessage());
        assertTrue(e.retryAfter().orElseThrow().compareTo(Duration.ofMinutes(59)) > 0);
        assertTrue(r.untilNextPermit().compareTo(before) <= 0, "nothing reserved");
    }

    @Test
    void acquireRefusesAWaitPastTheDeadline() throws Exception {
        RedisRateLimiter r = RedisRateLimiter.builder(redis, newName()).rate(1, Duration.ofHours(1)).burst(1).build();
        r.acquire();
        RateLimitedException e = assertThrows(RateLimitedException.class,
                () -> dev.weft.Timeouts.failAfter(Duration.ofSeconds(5), () -> {
                    r.acquire();
                    return null;
                }));
        assertTrue(e.getMessage().contains("past the deadline"), e.getMessage());
    }

    @Test
    void aCancelledWaiterGivesItsReservationBack() throws Exception {
        RedisRateLimiter r = RedisRateLimiter.builder(redis, newName()).rate(1, Duration.ofHours(1)).burst(1).build();
        r.acquire();
        Outcome<Void> o = TaskGroup.supervise(g -> {
            Task<Void> waiter = g.launch(r::acquire);
            // the waiter has reserved once the next permit is more than an hour away
            while (r.untilNextPermit().compareTo(Duration.ofMinutes(61)) < 0) {
                Thread.onSpinWait();
                dev.weft.Weft.sleep(Duration.ofMillis(1));
            }
            waiter.cancel();
            return waiter.outcome();
        });
        assertInstanceOf(Outcome.Cancelled.class, o);
        assertTrue(r.untilNextPermit().compareTo(Duration.ofMinutes(60)) <= 0, "reservation given back: " + r.untilNextPermit());
    }

    // ---- RedisLimiter ----------------------------------------------------------------------

    @Test
    void permitsAreSharedAcrossInstancesAndReleasedOnClose() throws Exception {
        String name = newName();
        try (RedisLimiter a = RedisLimiter.builder(redis, name, 2).build();
             RedisLimiter b = RedisLimiter.builder(redis, name, 2).build()) {
            RedisLimiter.Permit p1 = a.acquire();
            RedisLimiter.Permit p2 = b.acquire();
            assertTrue(b.tryAcquire().isEmpty());
            assertEquals(2, a.inUse());
            p1.close();
            p1.close(); // once
            assertTrue(p1.isReleased());
            RedisLimiter.Permit p3 = b.tryAcquire().orElseThrow();
            p2.close();
            p3.close();
            assertEquals(0, a.inUse());
        }
    }

    @Test
    void contendedHoldersNeverExceedTheCapacity() throws Exception {
        String name = newName();
        AtomicInteger now = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        AtomicInteger runs = new AtomicInteger();
        try (RedisLimiter a = RedisLimiter.builder(redis, name, 3).pollInterval(Duration.ofMillis(5)).build();
             RedisLimiter b = RedisLimiter.builder(redis, name, 3).pollInterval(Duration.ofMillis(5)).build()) {
            TaskGroup.run(g -> {
                for (int t = 0; t < 8; t++) {
                    RedisLimiter l = t % 2 == 0 ? a : b;
                    g.launch(() -> {
                        for (int i = 0; i < 15; i++) {
                            l.run(() -> {
                                max.accumulateAndGet(now.incrementAndGet(), Math::max);
                                dev.weft.Weft.sleep(Duration.ofMillis(1));
                                now.decrementAndGet();
                                return runs.incrementAndGet();
                            });
                        }
                    });
                }
                return null;
            });
            assertEquals(120, runs.get());
            assertTrue(max.get() <= 3, "max " + max.get());
            assertEquals(0, a.inUse());
        }
    }

    @Test
    void aCancelledWaiterHoldsNothing() throws Exception {
        String name = newName();
        try (RedisLimiter a = RedisLimiter.builder(redis, name, 1).pollInterval(Duration.ofMillis(5)).build()) {
            RedisLimiter.Permit held = a.acquire();
            for (int i = 0; i < 20; i++) {
                int n = i;
                Outcome<RedisLimiter.Permit> o = TaskGroup.supervise(g -> {
                    Task<RedisLimiter.Permit> waiter = g.spawn(a::acquire);
                    if (n % 2 == 0) {
                        held.close(); // race the release with the cancel
                    }
                    waiter.cancel();
                    return waiter.outcome();
                });
                if (o instanceof Outcome.Success<RedisLimiter.Permit> s) {
                    s.value().close();
                }
            }
            assertEquals(0, a.inUse());
            assertTrue(a.heldIds().isEmpty());
            assertTrue(a.tryAcquire().isPresent());
        }
    }

    @Test
    void aDeadHoldersPermitIsFreedByItsLeaseALiveOneIsRenewed() throws Exception {
        String name = newName();
        try (RedisLimiter live = RedisLimiter.builder(redis, name, 1).lease(Duration.ofMillis(600)).build()) {
            RedisLimiter.Permit p = live.acquire();
            // the live holder renews: its lease's expiry moves forward (observed, not timed)
            double first = live.leaseExpiry(p);
            for (int renewals = 0; renewals < 3; ) {
                Double now = live.leaseExpiry(p);
                if (now == null) { // the machine stalled the renewer for a whole lease: lost, and said so
                    while (!p.isLost()) { // at its next renewal
                        dev.weft.Weft.sleep(Duration.ofMillis(10));
                    }
                    break;
                }
                if (now > first) {
                    renewals++;
                    first = now;
                }
                dev.weft.Weft.sleep(Duration.ofMillis(10));
            }
            p.close();
        }
        RedisLimiter dying = RedisLimiter.builder(redis, name, 1).lease(Duration.ofMillis(150)).build();
        dying.acquire(); // never released
        dying.close(); // stops renewing: as if the process died
        try (RedisLimiter other = RedisLimiter.builder(redis, name, 1).lease(Duration.ofMillis(150)).build()) {
            RedisLimiter.Permit p = other.acquire(); // after the dead holder's lease
            p.close();
        }
    }

    @Test
    void badLimiterOptionsAreRefusedWithTheValue() {
        assertEquals("capacity must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> RedisLimiter.builder(redis, "x", 0)).getMessage());
        assertEquals("a rate is required: call rate(permits, period)",
                assertThrows(IllegalStateException.class, () -> RedisRateLimiter.builder(redis, "x").build()).getMessage());
    }
}
