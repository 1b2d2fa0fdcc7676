package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.VirtualTime;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * Cancellation storm for {@link RateLimiter} (issue 11): 1,000 tasks take tokens under random
 * cancellations (see {@link Storm}). The limiter reads a frozen clock, so every token it grants moves
 * its theoretical arrival time by exactly one interval and every reservation given back by a
 * cancelled waiter moves it back by one: at the end it must stand exactly {@code granted} intervals
 * past the start (nothing lost, nothing taken twice). Waits are real sleeps of the computed length
 * (microseconds), so cancellations land in them. Scale with {@code -Dweft.storm.scale=N}.
 */
class RateLimiterStormTest {

    @Test
    void rateLimiter_cancellationStorm_tokensBalanceAndNoStrayInterrupt() throws Exception {
        VirtualTime frozen = VirtualTime.manual(); // never advanced: read by the limiter only
        RateLimiter rl = RateLimiter.builder().name("storm").rate(1_000_000, Duration.ofSeconds(1)).burst(1)
                .clock(frozen).build();
        LongAdder granted = new LongAdder();
        LongAdder refused = new LongAdder();
        LongAdder tried = new LongAdder();
        Storm storm = new Storm(1_000, 10, Set.of(RateLimitedException.class));
        storm.run(0x5EED_7A7EL, r -> {
            switch (r.nextInt(3)) {
                case 0 -> {
                    try {
                        rl.acquire();
                    } catch (RateLimitedException e) {
                        refused.increment();
                        throw e;
                    }
                    granted.increment();
                    storm.checkNoStray("after RateLimiter.acquire returned");
                }
                case 1 -> {
                    tried.increment();
                    if (rl.tryAcquire()) {
                        granted.increment();
                    }
                    storm.checkNoStray("after RateLimiter.tryAcquire returned");
                }
                default -> {
                    boolean[] ran = new boolean[1];
                    try {
                        rl.call(() -> ran[0] = true);
                    } catch (RateLimitedException e) {
                        refused.increment();
                        throw e;
                    }
                    granted.increment(); // call returned: its token was taken before the call ran
                    assertTrue(ran[0]);
                    storm.checkNoStray("after RateLimiter.call returned");
                }
            }
        });
        String what = storm.describe() + ", " + granted.sum() + " granted, " + refused.sum() + " refused at once";
        storm.report(what);
        assertTrue(storm.unexpected().isEmpty(), () -> "unexpected: " + storm.unexpected() + "; " + what);
        assertEquals(0, storm.strays(), () -> "stray interrupts: " + storm.strayWhere() + "; " + what);
        assertTrue(granted.sum() > 0, what);
        long start = frozen.nanoTime();
        assertEquals(granted.sum(), (rl.theoreticalArrival() - start) / rl.intervalNanos(),
                () -> "tokens granted vs the limiter's books; " + what);
        assertEquals(0, (rl.theoreticalArrival() - start) % rl.intervalNanos(), what);
    }
}
