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
    /** Monotonic nanoseconds (only differences are meaningful). */
    long nanoTime();

    /** The wall-clock instant matching {@link #nanoTime()} now. */
    Instant instant();

    /** The system's clock: {@link System#nanoTime()} and {@link Instant#now()}. */
    static TimeSource system() {
        return SystemClock.INSTANCE;
    }

    /** The time source in force for the calling thread. */
    static TimeSource current() {
        return dev.weft.internal.ThreadState.current().clock();
    }
}
