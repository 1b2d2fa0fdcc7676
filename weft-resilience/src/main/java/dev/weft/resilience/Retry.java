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
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Runs a call again when it fails, waiting a {@link Backoff} between attempts. Immutable and thread
 * safe; build one with {@link #builder()} and share it.
 *
 * {@snippet :
 * Retry retry = Retry.builder()
 *         .maxAttempts(4)
 *         .backoff(Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2)))
 *         .retryOn(IOException.class)
 *         .build();
 * String body = retry.call(() -> client.get(url));
 * }
 *
 * <h2>When it retries</h2> After an attempt that threw a retryable exception (default: any exception
 * that is not a cancellation), or returned a result matching {@link Builder#retryOnResult}. It stops
 * when any limit is reached, whichever comes first:
 * <ul>
 *   <li>{@link Builder#maxAttempts} (default 3, first attempt included): the last failure is thrown
 *       unchanged (or the last result returned);</li>
 *   <li>{@link Builder#maxDuration} (default none): the same, when the next attempt would start later
 *       than that after the start of the first attempt (the first attempt's own duration counts);</li>
 *   <li>an open circuit breaker: a {@link CircuitBreakerOpenException} (from a breaker inside the
 *       retry, as in a {@link Policy}, or from the call) ends the retry at once and is thrown as it
 *       is: retrying cannot get through an open breaker, and waiting for it to half-open would hold
 *       the caller for the breaker's whole wait. {@link Builder#waitForOpenBreaker} restores the old
 *       behaviour (retry it like any other failure, waiting its {@link RetryAfter} delay);</li>
 *   <li>the deadline in force, {@link Deadline#current()}: if the next attempt cannot start before it,
 *       the retry does not sleep in vain but throws {@link RetryDeadlineExceededException} at once,
 *       naming the deadline, with the last failure as cause;</li>
 *   <li>its {@link RetryBudget}, if it has one: when spent, the original failure is thrown at
 *       once. A {@link BackPressure} failure (the dependency asked for the retry, and when) does
 *       not take from the budget.</li>
 * </ul>
 *
 * <h2>The wait</h2> The back-off's delay, or the failure's own {@link RetryAfter} delay (a server's
 * Retry-After) when it carries one (or, for a retryable result, when the result implements
 * {@link RetryAfter}, e.g. a 429 response), and {@link Builder#honourRetryAfter} is on (the default). The
 * wait is a {@link Weft#sleep}: cancellable, on virtual time in tests.
 *
 * <h2>Cancellation</h2> A cancellation is never retried: an exception thrown while the caller's scope
 * chain is cancelled ({@link Weft#isCancelled()}), or an interruption ({@code InterruptedException},
 * {@code CancellationException}...), passes through at once. Cancelling the caller during a back-off
 * stops the retry at once with {@code InterruptedException}.
 *
 * <h2>Context</h2> Every attempt runs on the calling thread: {@code ScopedValue} bindings,
 * {@link Deadline#current()} and thread-locals at the call site are visible in every attempt.
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.ErrorHandling" region="retry"}
 */
public final class Retry {
    private final String name;
    private final int maxAttempts;
    private final long maxDurationNanos; // 0: none
    private final Backoff backoff;
    private final Predicate<? super Throwable> retryOn;
    private final Predicate<Object> retryOnResult; // null: results are never retried
    private final RetryBudget budget;
    private final RandomGenerator random; // null: ThreadLocalRandom
    private final boolean honourRetryAfter;
    private final boolean waitForOpenBreaker;
    private final List<ResilienceListener> listeners;
    /** A start time not read (no limit needs it). */
    private static final long NOT_READ = Long.MIN_VALUE;

    private Retry(Builder b) {
        this.name = b.name;
        this.maxAttempts = b.maxAttempts;
        this.maxDurationNanos = b.maxDuration == null ? 0 : Support.nanos(b.maxDuration);
        this.backoff = b.backoff;
        this.retryOn = b.retryOn;
        this.retryOnResult = b.retryOnResult;
        this.budget = b.budget;
        this.random = b.random;
        this.honourRetryAfter = b.honourRetryAfter;
        this.waitForOpenBreaker = b.waitForOpenBreaker;
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * A builder with the defaults: 3 attempts, {@link Backoff#defaults()}, every non-cancellation exception retried.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A retry with every default.
     *
     * @return a new retry with every default
     */
    public static Retry ofDefaults() {
        return builder().build();
    }

    /**
     * The retry's name (in events and messages).
     *
     * @return the name set on the builder
     */
    public String name() {
        return name;
    }

    /**
     * The maximum number of attempts, first included.
     *
     * @return the maximum number of attempts, at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * The back-off between attempts.
     *
     * @return the back-off
     */
    public Backoff backoff() {
        return backoff;
    }

    /**
     * The shared retry budget, if any.
     *
     * @return the budget, or empty if this retry has none
     */
    public Optional<RetryBudget> budget() {
        return Optional.ofNullable(budget);
    }

    /**
     * Runs {@code call}, retrying as configured; returns the first acceptable result. The call's own
     * checked exception type passes through, as with the core's {@link Work}.
     *
     * @param <T> the type of the result
     * @param <E> the checked exception the call may throw ({@code RuntimeException} if none)
     * @param call the call
     * @return the first acceptable result, or the last result if the retry gave up on retryable results
     * @throws E the last failure when the retry gives up (unchecked ones too, as they are)
     * @throws RetryDeadlineExceededException when the deadline in force stopped the retry
     * @throws CircuitBreakerOpenException at once, unless {@link Builder#waitForOpenBreaker} is on
     * @throws InterruptedException if the caller was cancelled (also while waiting between attempts)
     */
    public <T, E extends Exception> T call(Work<? extends T, E> call) throws E, InterruptedException {
        return execute(Step.CALL, Objects.requireNonNull(call, "call"), null);
    }

    /** The first attempt, kept small so that it inlines; everything after a failure is out of line. */
    <T, E extends Exception> T execute(Step next, Work<? extends T, E> call, ResilienceListener extra)
            throws E, InterruptedException {
        long start = maxDurationNanos > 0 ? TimeSource.current().nanoTime() : NOT_READ;
        RetryBudget b = budget;
        if (b != null) {
            b.recordRequest();
        }
        if (extra != null || !listeners.isEmpty()) {
            Support.emit(listeners, extra, l -> l.onAttempt(name, 1));
        }
        T value;
        try {
            value = next.run(call);
        } catch (Throwable t) {
            return again(next, call, extra, null, t, start);
        }
        if (retryOnResult == null || !retryOnResult.test(value)) {
            return value;
        }
        return again(next, call, extra, value, null, start);
    }

    /**
     * After attempt 1 returned {@code firstValue} (retryable) or threw {@code firstFailure};
     * {@code start} is when attempt 1 started ({@link #NOT_READ} when no limit needs it).
     */
    private <T, E extends Exception> T again(Step next, Work<? extends T, E> call, ResilienceListener extra,
            T firstValue, Throwable firstFailure, long start) throws E, InterruptedException {
        RetryBudget b = budget;
        boolean events = extra != null || !listeners.isEmpty();
        long previousDelay = 0;
        for (int attempt = 1;; attempt++) {
            if (events && attempt > 1) {
                int a = attempt;
                Support.emit(listeners, extra, l -> l.onAttempt(name, a));
            }
            T value = null;
            Throwable failure = null;
            try {
                if (attempt == 1) {
                    if (firstFailure != null) {
                        throw firstFailure;
                    }
                    value = firstValue;
                } else {
                    value = next.run(call);
                    if (retryOnResult == null || !retryOnResult.test(value)) {
                        return value;
                    }
                }
            } catch (Throwable t) {
                if (t instanceof VirtualMachineError || Weft.isCallerCancellation(t)) {
                    throw Support.sneaky(t); // what the call threw: an Exception or unchecked
                }
                if (t instanceof CircuitBreakerOpenException && !waitForOpenBreaker) {
                    giveUp(extra, attempt, "circuit breaker open", t);
                    throw Support.sneaky(t);
                }
                if (!retryOn.test(t)) {
                    giveUp(extra, attempt, "not retryable", t);
                    throw Support.sneaky(t);
                }
                failure = t;
            }
            // a retryable failure or result: decide whether (and when) to go again
            if (attempt >= maxAttempts) {
                return giveUp(extra, attempt, "max attempts (" + maxAttempts + ") reached", failure, value);
            }
            TimeSource clock = TimeSource.current();
            long now = clock.nanoTime();
            if (start == NOT_READ) {
                start = now; // no limit needed the first attempt's start: elapsed times count from its end
            }
            long delay = delayNanos(attempt, previousDelay, failure, value);
            previousDelay = delay;
            if (maxDurationNanos > 0 && now + delay - start > maxDurationNanos) {
                return giveUp(extra, attempt, "max duration (" + Duration.ofNanos(maxDurationNanos) + ") reached",
                        failure, value);
            }
            Optional<Deadline> deadline = Deadline.current();
            if (deadline.isPresent() && delay >= Support.nanos(deadline.get().remaining())) {
                Duration d = Duration.ofNanos(delay);
                RetryDeadlineExceededException e = new RetryDeadlineExceededException(name, attempt, d,
                        deadline.get().instant(), Duration.ofNanos(now - start), failure);
                giveUp(extra, attempt, "the next attempt cannot start before the deadline", e);
                throw e;
            }
            if (b != null && !(failure instanceof BackPressure) && !b.tryAcquireRetry()) {
                return giveUp(extra, attempt, "retry budget spent", failure, value);
            }
            if (events) {
                int a = attempt;
                Duration d = Duration.ofNanos(delay);
                Throwable f = failure;
                Support.emit(listeners, extra, l -> l.onRetry(name, a, d, f));
            }
            if (delay > 0) {
                Weft.sleep(Duration.ofNanos(delay));
            } else {
                Weft.checkpoint();
            }
        }
    }

    private <T> T giveUp(ResilienceListener extra, int attempts, String reason, Throwable failure, T value) {
        giveUp(extra, attempts, reason, failure);
        if (failure != null) {
            throw Support.sneaky(failure);
        }
        return value;
    }

    private void giveUp(ResilienceListener extra, int attempts, String reason, Throwable failure) {
        if (extra != null || !listeners.isEmpty()) {
            Support.emit(listeners, extra, l -> l.onGiveUp(name, attempts, reason, failure));
        }
    }

    private long delayNanos(int attempt, long previous, Throwable failure, Object value) {
        if (honourRetryAfter && failure == null && value instanceof RetryAfter ra) {
            Optional<Duration> d = ra.retryAfter();
            if (d != null && d.isPresent()) {
                return Math.max(0, Support.nanos(d.get()));
            }
        }
        if (honourRetryAfter && failure != null) {
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t instanceof RetryAfter ra) {
                    Optional<Duration> d = ra.retryAfter();
                    if (d != null && d.isPresent()) {
                        return Math.max(0, Support.nanos(d.get()));
                    }
                    break;
                }
                if (t.getCause() == t) {
                    break;
                }
            }
        }
        RandomGenerator r = random != null ? random : ThreadLocalRandom.current();
        return backoff.delayNanos(attempt, previous, r);
    }

    @Override
    public String toString() {
        return "Retry[" + name + ", maxAttempts " + maxAttempts
                + (maxDurationNanos > 0 ? ", maxDuration " + Duration.ofNanos(maxDurationNanos) : "") + ", " + backoff
                + (budget != null ? ", with budget" : "") + "]";
    }

    /** Configures a {@link Retry}. Each setter validates its argument at once with a precise message. */
    public static final class Builder {
        private String name = "retry";
        private int maxAttempts = 3;
        private Duration maxDuration;
        private Backoff backoff = Backoff.defaults();
        private Predicate<? super Throwable> retryOn = t -> true;
        private final List<Class<? extends Throwable>> abortOn = new ArrayList<>();
        private Predicate<Object> retryOnResult;
        private RetryBudget budget;
        private RandomGenerator random;
        private boolean honourRetryAfter = true;
        private boolean waitForOpenBreaker;
        private final List<ResilienceListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The name used in events and messages (default {@code "retry"}).
         *
         * @param name the name, not null
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name must not be null");
            return this;
        }

        /**
         * Attempts in all, the first included (default 3; 1 means no retry).
         *
         * @param maxAttempts the number of attempts in all
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = Support.atLeast("maxAttempts", maxAttempts, 1);
            return this;
        }

        /**
         * No attempt starts later than this after the first one began (default: no limit).
         *
         * @param maxDuration the longest time from the first attempt's start to the last attempt's start
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxDuration(Duration maxDuration) {
            this.maxDuration = Support.positive("maxDuration", maxDuration);
            return this;
        }

        /**
         * The wait between attempts (default {@link Backoff#defaults()}: full jitter, 100 ms to 10 s).
         *
         * @param backoff the back-off
         * @return this builder
         */
        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff must not be null");
            return this;
        }

        /**
         * Retries only exceptions of these types (and their subtypes); replaces {@link #retryIf}.
         *
         * @param types the exception types to retry
         * @return this builder
         */
        @SafeVarargs
        @SuppressWarnings("varargs") // the array is only read, through List.of
        public final Builder retryOn(Class<? extends Throwable>... types) {
            if (types.length == 0) {
                throw new IllegalArgumentException("retryOn needs at least one exception type");
            }
            List<Class<? extends Throwable>> list = List.of(types);
            this.retryOn = t -> list.stream().anyMatch(c -> c.isInstance(t));
            return this;
        }

        /**
         * Retries exceptions matching {@code predicate} (default: every exception that is not a cancellation).
         *
         * @param predicate tells whether an exception is retried
         * @return this builder
         */
        public Builder retryIf(Predicate<? super Throwable> predicate) {
            this.retryOn = Objects.requireNonNull(predicate, "retryIf predicate must not be null");
            return this;
        }

        /**
         * Never retries exceptions of these types, whatever {@link #retryOn} says.
         *
         * @param types the exception types never retried
         * @return this builder
         */
        @SafeVarargs
        @SuppressWarnings("varargs") // the array is only read, through List.of
        public final Builder abortOn(Class<? extends Throwable>... types) {
            abortOn.addAll(List.of(types));
            return this;
        }

        /**
         * Also retries when the result matches (default: results are never retried). The last result is returned if the retry gives up.
         *
         * @param predicate tells whether a result is retried
         * @return this builder
         */
        public Builder retryOnResult(Predicate<Object> predicate) {
            this.retryOnResult = Objects.requireNonNull(predicate, "retryOnResult predicate must not be null");
            return this;
        }

        /**
         * Shares a {@link RetryBudget} (default: none).
         *
         * @param budget the budget, shared by the retries it should limit together
         * @return this builder
         */
        public Builder budget(RetryBudget budget) {
            this.budget = Objects.requireNonNull(budget, "budget must not be null");
            return this;
        }

        /**
         * The jitter source (default {@link ThreadLocalRandom}); must be thread safe if the retry is shared. For seeded tests.
         *
         * @param random the jitter source
         * @return this builder
         */
        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random, "random must not be null");
            return this;
        }

        /**
         * Whether a failure's {@link RetryAfter} delay replaces the back-off (default true).
         *
         * @param on {@code true} to wait what the failure asks, {@code false} to always use the back-off
         * @return this builder
         */
        public Builder honourRetryAfter(boolean on) {
            this.honourRetryAfter = on;
            return this;
        }

        /**
         * Whether a {@link CircuitBreakerOpenException} is retried (default false: the retry gives up
         * at once, reason {@code "circuit breaker open"}, and throws it). When true it is retried like
         * any other failure that {@link #retryOn} accepts, waiting until the breaker lets trial calls
         * through (its {@link RetryAfter} delay) if {@link #honourRetryAfter} is on: a caller then
         * waits up to the breaker's whole wait in open, bounded by the retry's limits and the deadline.
         *
         * @param on whether to retry an open breaker's rejection
         * @return this builder
         */
        public Builder waitForOpenBreaker(boolean on) {
            this.waitForOpenBreaker = on;
            return this;
        }

        /**
         * Adds a listener for this retry's events.
         *
         * @param listener told of attempts, retries and give-ups; its exception is logged, never thrown
         * @return this builder
         */
        public Builder listener(ResilienceListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /**
         * The immutable retry.
         *
         * @return a new retry with this configuration
         */
        public Retry build() {
            if (!abortOn.isEmpty()) {
                Predicate<? super Throwable> base = retryOn;
                List<Class<? extends Throwable>> aborts = List.copyOf(abortOn);
                Builder copy = this;
                copy.retryOn = t -> aborts.stream().noneMatch(c -> c.isInstance(t)) && base.test(t);
                Retry r = new Retry(copy);
                copy.retryOn = base;
                return r;
            }
            return new Retry(this);
        }
    }
}
