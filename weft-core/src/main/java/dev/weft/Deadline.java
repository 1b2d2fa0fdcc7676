package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.Scope;
import dev.weft.internal.ThreadState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A point in time on a {@link TimeSource}, by which some work must be done.
 *
 * <p>{@link #current()} is the innermost effective deadline of the calling thread: the earliest of
 * the deadlines of the scopes it is in, up to the nearest shielded scope. Tasks spawned inside a
 * scope inherit it (their chain of scopes runs through the scope that spawned them). Weft's waits
 * (limiters, channels, retry back-offs, HTTP requests) shorten themselves to it.
 */
public final class Deadline implements Comparable<Deadline> {
    private final long nanos;
    private final Clock clock;

    private Deadline(long nanos, Clock clock) {
        this.nanos = nanos;
        this.clock = clock;
    }

    /** The innermost effective deadline of the calling thread, if any scope on its chain has one. */
    public static Optional<Deadline> current() {
        ThreadState st = ThreadState.current();
        Scope top = st.top();
        if (top == null) {
            return Optional.empty();
        }
        long d = Scope.effectiveDeadline(top);
        return d == Clock.NONE ? Optional.empty() : Optional.of(new Deadline(d, st.clock()));
    }

    /** A deadline {@code timeout} from now on the calling thread's time source. */
    public static Deadline after(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        Clock c = ThreadState.current().clock();
        return new Deadline(Clock.plus(c.nanoTime(), VirtualTime.saturatedNanos(timeout)), c);
    }

    /** Time left (negative once passed). */
    public Duration remaining() {
        return Duration.ofNanos(nanos - clock.nanoTime());
    }

    /** Whether it has passed. */
    public boolean isExpired() {
        return nanos - clock.nanoTime() <= 0;
    }

    /** As a wall-clock instant. */
    public Instant instant() {
        return clock.toInstant(nanos);
    }

    /** The time source this deadline is measured on. */
    public TimeSource timeSource() {
        return clock;
    }

    /** The earlier of this and {@code other}. */
    public Deadline min(Deadline other) {
        return compareTo(other) <= 0 ? this : other;
    }

    @Override
    public int compareTo(Deadline o) {
        return Long.compare(nanos - o.nanos, 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Deadline d && d.nanos == nanos && d.clock == clock;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(nanos);
    }

    @Override
    public String toString() {
        return "Deadline[" + instant() + ", remaining " + remaining() + "]";
    }
}
