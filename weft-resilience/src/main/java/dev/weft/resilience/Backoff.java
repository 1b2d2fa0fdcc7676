package dev.weft.resilience;

import dev.weft.resilience.internal.Support;
import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How long a {@link Retry} waits before each retry. Immutable.
 *
 * <p>For retry number {@code n} (1 before the second attempt), with base {@code b}, cap {@code c}
 * and multiplier {@code m} (default 2), let {@code t = min(c, b * m^(n-1))}: <b>the cap is applied
 * before the jitter</b>, so no jitter ever produces a delay above the cap, and none is negative.
 * {@code rand(lo, hi)} is a uniform whole number of nanoseconds in {@code [lo, hi]}, drawn as
 * {@code lo + random.nextLong(hi - lo + 1)}.
 *
 * <table class="striped">
 *   <caption>Strategies (after the AWS Architecture Blog, "Exponential Backoff and Jitter", 2015)</caption>
 *   <tr><th>factory</th><th>delay before retry n</th></tr>
 *   <tr><td>{@link #exponential} (the default)</td><td>full jitter: {@code rand(0, t)}</td></tr>
 *   <tr><td>{@link #equalJitter}</td><td>{@code t/2 + rand(0, t - t/2)}</td></tr>
 *   <tr><td>{@link #decorrelatedJitter}</td><td>{@code rand(b, min(c, 3 * previous))}, previous starting at b</td></tr>
 *   <tr><td>{@link #exponentialWithoutJitter}</td><td>{@code t}</td></tr>
 *   <tr><td>{@link #fixed}</td><td>the fixed delay</td></tr>
 *   <tr><td>{@link #none}</td><td>zero</td></tr>
 * </table>
 *
 * <p>Full jitter spreads retries of many clients best and is the default; equal jitter keeps at least
 * half the exponential wait; decorrelated jitter grows from the previous delay rather than the
 * attempt number.
 */
public final class Backoff {
    /** The strategy families. */
    public enum Kind {
        /** {@link Backoff#exponential}: a random delay between zero and the exponential delay. */
        FULL_JITTER,
        /** {@link Backoff#equalJitter}: half the exponential delay plus a random share of the other half. */
        EQUAL_JITTER,
        /** {@link Backoff#decorrelatedJitter}: random between the base and three times the previous delay. */
        DECORRELATED_JITTER,
        /** {@link Backoff#exponentialWithoutJitter}: the exponential delay itself. */
        EXPONENTIAL,
        /** {@link Backoff#fixed}: the same delay every time. */
        FIXED,
        /** {@link Backoff#none}: no delay. */
        NONE
    }

    private static final Backoff NONE = new Backoff(Kind.NONE, 0, 0, 2);
    private static final Backoff DEFAULT = exponential(Duration.ofMillis(100), Duration.ofSeconds(10));

    private final Kind kind;
    private final long base;
    private final long cap;
    private final double multiplier;

    private Backoff(Kind kind, long base, long cap, double multiplier) {
        this.kind = kind;
        this.base = base;
        this.cap = cap;
        this.multiplier = multiplier;
    }

    /**
     * The default: exponential with full jitter, base 100 ms, cap 10 s, multiplier 2.
     *
     * @return the default back-off (one shared instance)
     */
    public static Backoff defaults() {
        return DEFAULT;
    }

    /**
     * Exponential with full jitter: {@code rand(0, min(cap, base * 2^(n-1)))}.
     *
     * @param base the upper bound of the first delay; must be positive
     * @param cap the largest delay; must not be below {@code base}
     * @return the back-off
     * @throws IllegalArgumentException if base is not positive or cap is below base
     */
    public static Backoff exponential(Duration base, Duration cap) {
        return of(Kind.FULL_JITTER, base, cap);
    }

    /**
     * Exponential with equal jitter: half the exponential delay, plus a random share of the other half.
     *
     * @param base the upper bound of the first delay; must be positive
     * @param cap the largest delay; must not be below {@code base}
     * @return the back-off
     * @throws IllegalArgumentException if base is not positive or cap is below base
     */
    public static Backoff equalJitter(Duration base, Duration cap) {
        return of(Kind.EQUAL_JITTER, base, cap);
    }

    /**
     * Decorrelated jitter: {@code rand(base, min(cap, 3 * previous))}.
     *
     * @param base the smallest delay; must be positive
     * @param cap the largest delay; must not be below {@code base}
     * @return the back-off
     * @throws IllegalArgumentException if base is not positive or cap is below base
     */
    public static Backoff decorrelatedJitter(Duration base, Duration cap) {
        return of(Kind.DECORRELATED_JITTER, base, cap);
    }

    /**
     * Exponential without jitter: {@code min(cap, base * 2^(n-1))}. Synchronises clients; prefer a jitter.
     *
     * @param base the first delay; must be positive
     * @param cap the largest delay; must not be below {@code base}
     * @return the back-off
     * @throws IllegalArgumentException if base is not positive or cap is below base
     */
    public static Backoff exponentialWithoutJitter(Duration base, Duration cap) {
        return of(Kind.EXPONENTIAL, base, cap);
    }

    /**
     * The same delay before every retry (zero allowed).
     *
     * @param delay the wait before each retry
     * @return the back-off
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Backoff fixed(Duration delay) {
        long d = Support.nanos(Support.notNegative("fixed back-off delay", delay));
        return new Backoff(Kind.FIXED, d, d, 1);
    }

    /**
     * No wait between attempts.
     *
     * @return the back-off that never waits (one shared instance)
     */
    public static Backoff none() {
        return NONE;
    }

    private static Backoff of(Kind kind, Duration base, Duration cap) {
        Support.positive("back-off base delay", base);
        Objects.requireNonNull(cap, "back-off cap must not be null");
        if (cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("back-off cap (" + cap + ") must be >= the base delay (" + base + ")");
        }
        return new Backoff(kind, Support.nanos(base), Support.nanos(cap), 2);
    }

    /**
     * This back-off with another growth factor for the exponential kinds (default 2).
     *
     * @param multiplier the factor each retry's exponential delay grows by; finite and at least 1
     * @return a new back-off, otherwise the same as this one
     * @throws IllegalArgumentException if {@code multiplier} is not finite or is below 1
     */
    public Backoff withMultiplier(double multiplier) {
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("back-off multiplier must be a finite number >= 1, got " + multiplier);
        }
        return new Backoff(kind, base, cap, multiplier);
    }

    /**
     * The strategy family.
     *
     * @return the kind this back-off was made as
     */
    public Kind kind() {
        return kind;
    }

    /**
     * The delay before retry number {@code retry} (1 before the second attempt).
     *
     * @param previous the delay returned for the previous retry (used by decorrelated jitter; null or
     *     zero before the first)
     * @param random the source of jitter
     * @param retry the retry's number, from 1
     * @return the delay, between zero and the cap
     * @throws IllegalArgumentException if {@code retry} is less than 1
     */
    public Duration delay(int retry, Duration previous, RandomGenerator random) {
        return Duration.ofNanos(delayNanos(retry, previous == null ? 0 : Support.nanos(previous), random));
    }

    long delayNanos(int retry, long previous, RandomGenerator random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry number must be >= 1, got " + retry);
        }
        return switch (kind) {
            case NONE -> 0;
            case FIXED -> base;
            case EXPONENTIAL -> capped(retry);
            case FULL_JITTER -> rand(random, 0, capped(retry));
            case EQUAL_JITTER -> {
                long t = capped(retry);
                long half = t / 2;
                yield half + rand(random, 0, t - half);
            }
            case DECORRELATED_JITTER -> {
                long prev = previous <= 0 ? base : previous;
                long hi = prev > cap / 3 ? cap : Math.max(base, prev * 3);
                yield rand(random, base, hi);
            }
        };
    }

    /** min(cap, base * m^(retry-1)), without overflow. */
    private long capped(int retry) {
        double t = base * Math.pow(multiplier, retry - 1);
        return t >= cap ? cap : (long) t;
    }

    private static long rand(RandomGenerator random, long lo, long hi) {
        return hi <= lo ? lo : lo + random.nextLong(hi - lo + 1);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "Backoff[none]";
            case FIXED -> "Backoff[fixed " + Duration.ofNanos(base) + "]";
            default -> "Backoff[" + kind + ", base " + Duration.ofNanos(base) + ", cap " + Duration.ofNanos(cap)
                    + ", multiplier " + multiplier + "]";
        };
    }
}
