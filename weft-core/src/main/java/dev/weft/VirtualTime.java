package dev.weft;

import dev.weft.internal.Scope;
import dev.weft.internal.ThreadState;
import dev.weft.internal.VirtualClock;
import dev.weft.internal.VirtualTimeAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Virtual time for tests: timeouts, sleeps, retries and breakers run instantly and
 * deterministically.
 *
 * {@snippet :
 * VirtualTime time = VirtualTime.autoAdvancing();
 * Optional<String> r = time.run(() -> Timeouts.moveOnAfter(Duration.ofHours(1), () -> {
 *     Weft.sleep(Duration.ofHours(2)); // returns at once in real time
 *     return "never";
 * }));
 * // r is empty; time.elapsed() is one hour
 * }
 *
 * <p>Everything inside {@link #run} (and every task spawned there) reads this clock. Two modes:
 * <ul>
 *   <li>{@link #manual()}: time moves only when {@link #advance(Duration)} is called (from any
 *       thread), firing every timer due on the way, in order.</li>
 *   <li>{@link #autoAdvancing()}: in addition, when every task under this clock is blocked in a
 *       Weft wait ({@link Weft#sleep}, a limiter, a join, a channel...), time jumps to the next
 *       pending timer, like Trio's {@code MockClock(autojump_threshold=0)}. A task blocked in a
 *       non-Weft call (a JDK latch, socket I/O) counts as running, so time never jumps under it.</li>
 * </ul>
 */
public final class VirtualTime implements TimeSource {
    /** The instant virtual time starts at, unless told otherwise. */
    public static final Instant DEFAULT_EPOCH = Instant.parse("2026-01-01T00:00:00Z");

    static {
        VirtualTimeAccess.register(v -> v.clock);
    }

    private final VirtualClock clock;

    private VirtualTime(Instant epoch, boolean auto) {
        this.clock = new VirtualClock(Objects.requireNonNull(epoch, "epoch"), auto);
    }

    /**
     * Time moves only through {@link #advance(Duration)}.
     *
     * @return a new manual clock, starting at the epoch
     */
    public static VirtualTime manual() {
        return new VirtualTime(DEFAULT_EPOCH, false);
    }

    /**
     * Time also jumps to the next timer when every task under it is blocked in a Weft wait.
     *
     * @return a new auto-advancing clock, starting at the epoch
     */
    public static VirtualTime autoAdvancing() {
        return new VirtualTime(DEFAULT_EPOCH, true);
    }

    /**
     * As {@link #manual()} or {@link #autoAdvancing()}, starting at {@code epoch}.
     *
     * @param epoch the wall-clock instant virtual time starts at
     * @param autoAdvance {@code true} to jump to the next timer when every task is blocked
     * @return a new clock
     */
    public static VirtualTime startingAt(Instant epoch, boolean autoAdvance) {
        return new VirtualTime(epoch, autoAdvance);
    }

    @Override
    public long nanoTime() {
        return clock.nanoTime();
    }

    @Override
    public Instant instant() {
        return clock.instant();
    }

    /**
     * How much virtual time has passed since the start.
     *
     * @return the virtual time passed since the start
     */
    public Duration elapsed() {
        return Duration.ofNanos(clock.nanoTime());
    }

    /**
     * Moves time forward, firing due timers in deadline order. Any thread may call it.
     *
     * @param d how far to move; must not be negative
     */
    public void advance(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            throw new IllegalArgumentException("cannot move virtual time backwards: " + d);
        }
        clock.advance(saturatedNanos(d));
    }

    /**
     * Timers waiting to fire (scope deadlines, sleeps, timed waits).
     *
     * @return the number of timers not yet fired
     */
    public int pendingTimers() {
        return clock.pendingTimers();
    }

    /**
     * Runs {@code body} on the calling thread with this clock in force: every deadline, sleep and
     * timed wait inside it, and in every task spawned inside it, reads this clock.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param body the code to run with this clock in force
     * @return the body's value
     * @throws E the body's own exception, unchanged
     */
    public <T, E extends Exception> T run(Work<T, E> body) throws E {
        Objects.requireNonNull(body, "body");
        ThreadState st = ThreadState.current();
        Scope root = new Scope(st, clock) {
            @Override
            public String toString() {
                return "VirtualTime.run";
            }
        };
        clock.enter();
        st.push(root);
        try {
            return body.call();
        } finally {
            st.pop(root);
            clock.exit();
        }
    }

    static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE;
        }
    }

    @Override
    public String toString() {
        return "VirtualTime[" + instant() + (clock.isAutoAdvancing() ? ", auto-advancing]" : ", manual]");
    }
}
