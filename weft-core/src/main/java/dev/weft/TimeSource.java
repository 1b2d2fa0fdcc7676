package dev.weft;

import dev.weft.internal.SystemClock;
import java.time.Instant;

/**
 * The clock every timed operation in Weft reads: deadlines, sleeps, limiter and channel waits,
 * retry back-offs. The default is {@link #system()}; tests run under a {@link VirtualTime}, where
 * timeouts fire instantly and deterministically. The time source in force is the one of the
 * innermost scope, inherited by every task spawned inside it.
 */
public interface TimeSource {
    /**
     * Monotonic nanoseconds (only differences are meaningful).
     *
     * @return the current monotonic time in nanoseconds
     */
    long nanoTime();

    /**
     * The wall-clock instant matching {@link #nanoTime()} now.
     *
     * @return the wall-clock instant that corresponds to {@link #nanoTime()} now
     */
    Instant instant();

    /**
     * The system's clock: {@link System#nanoTime()} and {@link Instant#now()}.
     *
     * @return the system's time source (one shared instance)
     */
    static TimeSource system() {
        return SystemClock.INSTANCE;
    }

    /**
     * The time source in force for the calling thread.
     *
     * @return the virtual time in force for the calling thread (see {@link VirtualTime#run}), else the
     *     system's
     */
    static TimeSource current() {
        return dev.weft.internal.ThreadState.current().clock();
    }
}
