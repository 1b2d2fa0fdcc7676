package dev.weft.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * How many waits ended and how long they took, for the metrics accessors of Limiter, WorkQueue
 * and Channel. Touched only on the slow path (after a thread decided to block), never on the
 * path that completes at once.
 */
public final class WaitTally {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    /** A tally at zero. */
    public WaitTally() {
    }

    /**
     * Records one wait that began at {@code start} on {@code clock}.
     *
     * @param clock the waiter's clock (virtual time in a virtual-time run)
     * @param start {@code clock.nanoTime()} when the wait began
     */
    public void record(Clock clock, long start) {
        nanos.add(Math.max(0, clock.nanoTime() - start));
        count.increment();
    }

    /**
     * Waits recorded.
     *
     * @return the number of ended waits
     */
    public long count() {
        return count.sum();
    }

    /**
     * Total time of the waits recorded.
     *
     * @return nanoseconds
     */
    public long nanos() {
        return nanos.sum();
    }
}
