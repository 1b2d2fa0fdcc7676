package dev.weft.resilience;

import dev.weft.Deadline;
import dev.weft.TimeSource;
import dev.weft.Weft;
import dev.weft.Work;
import dev.weft.resilience.internal.Support;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A token bucket: on average {@code permits} calls per {@code period}, with bursts of up to
 * {@code burst} calls at once. Thread safe; share one per limited resource.
 *
 * {@snippet :
 * RateLimiter limiter = RateLimiter.builder().rate(100, Duration.ofSeconds(1)).burst(20).build();
 * limiter.acquire();                    // waits for a token, bounded by the deadline
 * String s = limiter.call(() -> api.get(q));
 * }
 *
 * <h2>Waiting</h2> {@link #acquire()} reserves the next token and sleeps ({@link Weft#sleep}) until
 * it is due. It refuses at once, with {@link RateLimitedException} and without reserving anything,
 * when the wait would exceed {@link Builder#maxWait} (default: no limit) or would end at or past
 * {@link Deadline#current()}: a call that cannot get a token in time does not wait in vain.
 * Cancelling a waiter gives its reservation back.
 *
 * <h2>Algorithm</h2> GCRA, the "virtual scheduling" form of the token bucket (ITU-T I.371): one
 * atomic "theoretical arrival time" {@code tat}, advanced by the emission interval
 * {@code T = period / permits} per call; a call at time {@code now} may start at
 * {@code max(tat, now) + T - burst * T}. One compare-and-set per call, no lock, no background
 * refill. Time is read from the builder's clock, else the caller's {@link TimeSource#current()}.
 *
 * <p>The contract (blocking, cancellation, deadline) is what a distributed backend (a limit shared
 * by several JVMs) would honour too.
 */
public final class RateLimiter {
    private static final long UNSET = Long.MIN_VALUE;

    private final String name;
    private final long interval;
    private final long burst;
    private final long maxWaitNanos;
    private final TimeSource clock;
    private final List<ResilienceListener> listeners;
    private final AtomicLong tat = new AtomicLong(UNSET);
    private final AtomicInteger waiting = new AtomicInteger(); // touched only by callers that sleep for a token

    private RateLimiter(Builder b) {
        this.name = b.name;
        this.interval = Math.max(1, Support.nanos(b.period) / b.permits);
        this.burst = b.burst == 0 ? b.permits : b.burst;
        this.maxWaitNanos = b.maxWait == null ? Long.MAX_VALUE : Support.nanos(b.maxWait);
        this.clock = b.clock;
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * A builder; {@link Builder#rate} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@code permits} per {@code period}, bursts of {@code permits}, no maximum wait beyond the deadline.
     *
     * @param permits the calls allowed per period, and the burst, at least 1
     * @param period the period, positive
     * @return a new limiter with a full bucket
     * @throws IllegalArgumentException if {@code permits} is less than 1 or {@code period} not positive
     */
    public static RateLimiter of(int permits, Duration period) {
        return builder().rate(permits, period).build();
    }

    /**
     * The limiter's name.
     *
     * @return the name set on the builder
     */
    public String name() {
        return name;
    }

    /**
     * Takes a token, waiting until it is due.
     *
     * @throws RateLimitedException if the wait would exceed the maximum wait or the deadline (nothing reserved)
     * @throws InterruptedException if the caller is cancelled while waiting (the token is given back)
     */
    public void acquire() throws InterruptedException {
        acquire(null);
    }

    void acquire(ResilienceListener extra) throws InterruptedException {
        long wait = reserve(true, extra);
        if (wait > 0) {
            waiting.incrementAndGet();
            try {
                Weft.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException | RuntimeException e) {
                tat.addAndGet(-interval); // give the reservation back
                throw e;
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    /**
     * Takes a token only if one is available now; never waits.
     *
     * @return {@code true} if a token was taken, {@code false} if none was available now
     */
    public boolean tryAcquire() {
        return reserve(false, null) == 0;
    }

    /**
     * Runs {@code call} after {@link #acquire()}. The call's own checked exception type passes through.
     *
     * @param <T> the type of the result
     * @param <E> the checked exception the call may throw ({@code RuntimeException} if none)
     * @param call the call
     * @return what {@code call} returned
     * @throws RateLimitedException if no token could be had in time (the call did not run)
     * @throws E what {@code call} threw
     * @throws InterruptedException if the caller was cancelled while waiting for a token
     */
    public <T, E extends Exception> T call(Work<? extends T, E> call) throws E, InterruptedException {
        Objects.requireNonNull(call, "call");
        acquire();
        return call.call();
    }

    /** Reserves a token; returns the wait, or -1 (tryOnly) / throws when refused. */
    private long reserve(boolean mayWait, ResilienceListener extra) {
        TimeSource c = clock != null ? clock : TimeSource.current();
        while (true) {
            long now = c.nanoTime();
            long t = tat.get();
            long base = t == UNSET || t - now < 0 ? now : t;
            long next = base + interval;
            long wait = next - burst * interval - now;
            if (wait > 0) {
                if (!mayWait) {
                    return -1;
                }
                String why = null;
                if (wait > maxWaitNanos) {
                    why = "more than the maximum wait " + Duration.ofNanos(maxWaitNanos);
                } else {
                    Optional<Deadline> d = Deadline.current();
                    if (d.isPresent() && wait >= Support.nanos(d.get().remaining())) {
                        why = "past the deadline " + d.get().instant();
                    }
                }
                if (why != null) {
                    RateLimitedException e = new RateLimitedException(name, Duration.ofNanos(wait), why);
                    if (extra != null || !listeners.isEmpty()) {
                        Support.emit(listeners, extra, l -> l.onRejected(name, e));
                    }
                    throw e;
                }
            }
            if (tat.compareAndSet(t, next)) {
                return Math.max(0, wait);
            }
        }
    }

    /**
     * Tokens that could be taken now without waiting (Resilience4j's {@code availablePermissions}),
     * on the limiter's clock (the caller's {@link TimeSource} if none was given). Zero while callers
     * hold reservations they are waiting for.
     *
     * @return between 0 and the burst size
     */
    public long availablePermits() {
        long t = tat.get();
        if (t == UNSET) {
            return burst;
        }
        long now = (clock != null ? clock : TimeSource.current()).nanoTime();
        long ahead = t - now < 0 ? 0 : t - now; // how far the reservations run ahead of now
        return Math.max(0, Math.min(burst, (burst * interval - ahead) / interval));
    }

    /**
     * Callers sleeping now until their reserved token is due.
     *
     * @return the number of waiting callers
     */
    public int waiting() {
        return waiting.get();
    }

    /** GCRA's theoretical arrival time (clock nanos; {@code Long.MIN_VALUE} before the first token): for the storm tests' books. */
    long theoreticalArrival() {
        return tat.get();
    }

    /** The emission interval in nanoseconds. */
    long intervalNanos() {
        return interval;
    }

    @Override
    public String toString() {
        return "RateLimiter[" + name + ", one per " + Duration.ofNanos(interval) + ", burst " + burst + "]";
    }

    /** Configures a {@link RateLimiter}. */
    public static final class Builder {
        private String name = "rate-limiter";
        private int permits;
        private Duration period;
        private int burst;
        private Duration maxWait;
        private TimeSource clock;
        private final List<ResilienceListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The name in rejections and events (default {@code "rate-limiter"}).
         *
         * @param name the name, not null
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name must not be null");
            return this;
        }

        /**
         * The sustained rate: {@code permits} calls per {@code period}. Required.
         *
         * @param permits the calls allowed per period
         * @param period the period
         * @return this builder
         * @throws IllegalArgumentException if {@code permits} is less than 1 or {@code period} not positive
         */
        public Builder rate(int permits, Duration period) {
            this.permits = Support.atLeast("rate permits", permits, 1);
            this.period = Support.positive("rate period", period);
            return this;
        }

        /**
         * Calls that may start at once after a quiet spell (default: the rate's {@code permits}).
         *
         * @param burst the bucket's size
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder burst(int burst) {
            this.burst = Support.atLeast("burst", burst, 1);
            return this;
        }

        /**
         * The longest {@link #acquire()} waits (default: unlimited, but never past the deadline; zero: never waits).
         *
         * @param maxWait the longest wait for a token
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Support.notNegative("maxWait", maxWait);
            return this;
        }

        /**
         * The clock (default: the caller's {@link TimeSource#current()}).
         *
         * @param clock the time source the tokens refill on
         * @return this builder
         */
        public Builder clock(TimeSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Adds a listener for rejections.
         *
         * @param listener told of each rejection; its exception is logged, never thrown
         * @return this builder
         */
        public Builder listener(ResilienceListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /**
         * The limiter.
         *
         * @return a new limiter with a full bucket
         * @throws IllegalStateException if no rate was set
         */
        public RateLimiter build() {
            if (period == null) {
                throw new IllegalStateException("a RateLimiter needs a rate: call rate(permits, period)");
            }
            return new RateLimiter(this);
        }
    }
}
