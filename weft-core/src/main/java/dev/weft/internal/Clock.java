package dev.weft.internal;

import dev.weft.TimeSource;
import java.time.Instant;

/**
 * Weft's internal view of a {@link TimeSource}: a monotonic nano clock, timers, and the way a
 * thread parks while it waits on Weft time. Two implementations: {@link SystemClock} (one shared
 * timer thread) and {@link VirtualClock} (tests; time moves only when told to, or when every task
 * under it is blocked in a Weft wait).
 */
public abstract class Clock implements TimeSource {
    /** "No deadline". Every deadline is a {@link #nanoTime()} value; this one never comes. */
    public static final long NONE = Long.MAX_VALUE;

    @Override
    public abstract long nanoTime();

    /** Schedules {@code action} to run at {@code deadline}; the action must be short and never block. */
    public abstract TimerEntry schedule(long deadline, Runnable action);

    /** Cancels a timer; harmless if it already fired or was cancelled. */
    public abstract void cancel(TimerEntry entry);

    /**
     * Parks the calling thread (whose state is {@code st}) until it is woken by {@link #wake},
     * interrupted, or {@code deadline} passes. May return spuriously: callers re-check.
     */
    public abstract void park(ThreadState st, Object blocker, long deadline);

    /** Wakes a thread parked in {@link #park}. */
    public void wake(ThreadState st) {
        java.util.concurrent.locks.LockSupport.unpark(st.thread);
    }

    /** A thread starts running under this clock (a task was spawned). */
    public void taskStarting() {
    }

    /** A thread that ran under this clock has ended. */
    public void taskEnded() {
    }

    /** Adds a duration in nanos to a clock reading, saturating at {@link #NONE}. */
    public static long plus(long now, long nanos) {
        long r = now + nanos;
        if (nanos > 0 && r < now) {
            return NONE;
        }
        return r;
    }

    /** Converts a wall-clock instant to this clock's nanos (saturating; past instants give past nanos). */
    public long toNanos(Instant instant) {
        long now = nanoTime();
        Instant wall = instant();
        try {
            long delta = java.time.Duration.between(wall, instant).toNanos();
            return plus(now, delta);
        } catch (ArithmeticException overflow) {
            return instant.isAfter(wall) ? NONE : Long.MIN_VALUE / 2;
        }
    }

    /** Converts this clock's nanos to a wall-clock instant. */
    public Instant toInstant(long nanos) {
        long now = nanoTime();
        return instant().plusNanos(nanos - now);
    }

    /** The clock of a time source. */
    public static Clock of(TimeSource source) {
        if (source instanceof Clock c) {
            return c;
        }
        if (source instanceof dev.weft.VirtualTime v) {
            return VirtualTimeAccess.clockOf(v);
        }
        throw new IllegalArgumentException("unsupported TimeSource " + source.getClass().getName()
                + ": use TimeSource.system() or a VirtualTime");
    }
}
