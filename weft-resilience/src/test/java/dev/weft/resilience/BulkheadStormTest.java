package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.TaskGroup;
import dev.weft.Weft;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Cancellation storm for {@link Bulkhead} (issue 11): 1,000 tasks, random calls under random
 * cancellations (see {@link Storm}). Afterwards every slot is back (nothing lost, nothing
 * duplicated), no call ever ran beyond the limit, and no thread carried a stray interrupt.
 * Scale with {@code -Dweft.storm.scale=N}.
 */
class BulkheadStormTest {
    private static final int LIMIT = 32;

    /** maxWait in microseconds: 0 is the lock-free counter, positive the FIFO limiter. */
    @ParameterizedTest(name = "maxWait {0} us")
    @ValueSource(longs = {0, 2_000})
    void bulkhead_cancellationStorm_slotsBalanceAndNoStrayInterrupt(long maxWaitMicros) throws Exception {
        Bulkhead bh = Bulkhead.of("storm", LIMIT, Duration.ofNanos(maxWaitMicros * 1000));
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger maxInside = new AtomicInteger();
        LongAdder entered = new LongAdder();
        LongAdder exited = new LongAdder();
        LongAdder completed = new LongAdder();
        LongAdder rejected = new LongAdder();
        Storm storm = new Storm(1_000, 10, Set.of(BulkheadFullException.class));
        storm.run(0xB01C4EADL + maxWaitMicros, r -> {
            long sleep = r.nextInt(8) == 0 ? r.nextLong(1_000, 50_000) : 0;
            try {
                bh.call(() -> {
                    entered.increment();
                    int now = inside.incrementAndGet();
                    maxInside.accumulateAndGet(now, Math::max);
                    try {
                        if (sleep > 0) {
                            Weft.sleep(Duration.ofNanos(sleep));
                        } else {
                            Thread.yield();
                        }
                    } finally {
                        inside.decrementAndGet();
                        exited.increment();
                    }
                    return null;
                });
            } catch (BulkheadFullException e) {
                rejected.increment();
                throw e;
            }
            completed.increment();
            storm.checkNoStray("after Bulkhead.call returned");
        });
        String what = storm.describe() + ", " + completed.sum() + " completed, " + rejected.sum() + " rejected";
        storm.report(what);
        assertTrue(storm.unexpected().isEmpty(), () -> "unexpected: " + storm.unexpected() + "; " + what);
        assertEquals(0, storm.strays(), () -> "stray interrupts: " + storm.strayWhere() + "; " + what);
        assertTrue(maxInside.get() <= LIMIT, () -> "at most " + LIMIT + " inside at once, saw " + maxInside.get());
        assertEquals(entered.sum(), exited.sum(), what);
        assertEquals(0, bh.inFlight(), () -> "every slot given back; " + what);
        assertEquals(0, bh.waiting(), what);
        assertTrue(completed.sum() > 0, what);
        // nothing lost: all LIMIT slots can be held at once again
        CountDownLatch all = new CountDownLatch(LIMIT);
        TaskGroup.run(g -> {
            for (int i = 0; i < LIMIT; i++) {
                g.spawn(() -> bh.call(() -> {
                    all.countDown();
                    all.await();
                    return null;
                }));
            }
            return null;
        });
        assertEquals(0, bh.inFlight());
    }
}
