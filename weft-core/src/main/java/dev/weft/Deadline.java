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

    /**
     * The innermost effective deadline of the calling thread, if any scope on its chain has one.
     *
     * @return the innermost deadline in force for the calling thread, or empty if none
     */
    public static Optional<Deadline> current() {
        ThreadState st = ThreadState.current();
        Scope top = st.top();
        if (top == null) {
            return Optional.empty();
        }
        long d = Scope.effectiveDeadline(top);
        return d == Clock.NONE ? Optional.empty() : Optional.of(new Deadline(d, st.clock()));
    }

    /**
     * A deadline {@code timeout} from now on the calling thread's time source.
     *
     * @param timeout how far from now the deadline lies (zero or negative: already passed)
     * @return a new deadline
     */
    public static Deadline after(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null");
        Clock c = ThreadState.current().clock();
        return new Deadline(Clock.plus(c.nanoTime(), VirtualTime.saturatedNanos(timeout)), c);
    }

    /**
     * Time left (negative once passed).
     *
     * @return the time left until the deadline, negative once it has passed
     */
    public Duration remaining() {
        return Duration.ofNanos(nanos - clock.nanoTime());
    }

    /**
     * Whether it has passed.
     *
     * @return {@code true} once the time source has reached the deadline
     */
    public boolean isExpired() {
        return nanos - clock.nanoTime() <= 0;
    }

    /**
     * As a wall-clock instant.
     *
     * @return the deadline as a wall-clock instant of its time source
     */
    public Instant instant() {
        return clock.toInstant(nanos);
    }

    /**
     * The time source this deadline is measured on.
     *
     * @return the time source the deadline is read against
     */
    public TimeSource timeSource() {
        return clock;
    }

    /**
     * The earlier of this and {@code other}.
     *
     * @param other another deadline, on the same time source
     * @return whichever of the two comes first ({@code this} if equal)
     */
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
