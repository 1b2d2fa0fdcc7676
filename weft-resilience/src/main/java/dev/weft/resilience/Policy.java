package dev.weft.resilience;

import dev.weft.Weft;
import dev.weft.Work;
import dev.weft.Outcome;
import dev.weft.Timeouts;
import dev.weft.resilience.internal.Support;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One resilience pipeline, in one fixed order. Immutable and thread safe: build it once per
 * dependency and share it.
 *
 * {@snippet :
 * Policy policy = Policy.builder()
 *         .timeout(Duration.ofSeconds(2))                      // the whole call, retries included
 *         .rateLimiter(RateLimiter.of(100, Duration.ofSeconds(1)))
 *         .retry(Retry.builder().maxAttempts(3).budget(budget).build())
 *         .circuitBreaker(CircuitBreaker.ofDefaults("inventory"))
 *         .bulkhead(Bulkhead.of("inventory", 32, Duration.ZERO))
 *         .attemptTimeout(Duration.ofMillis(500))               // each attempt
 *         .build();
 * Stock s = policy.call(() -> inventory.get(sku));
 * Outcome<Stock> o = policy.outcome(() -> inventory.get(sku)); // never throws
 * }
 *
 * <h2>The order</h2> Whatever order the builder is called in, a call goes through:
 * <pre>
 * fallback (per call) → outer timeout → rate limiter → retry → hedge → circuit breaker → bulkhead → attempt timeout → call
 * </pre>
 * The outer timeout bounds everything, waits for tokens and back-offs included, and is the deadline
 * retries and waits shorten themselves to. The rate limiter takes one token per call, not per attempt
 * (retries are bounded by the retry budget instead). Each attempt (and each hedged attempt) passes the
 * breaker, so the breaker sees every attempt's outcome and an open breaker stops retries from
 * reaching the dependency; the bulkhead counts attempts in flight, and the attempt timeout does not
 * include the wait for a bulkhead slot. {@link #describe()} prints the order of a built policy.
 *
 * <h2>Exceptions</h2> {@link #call} throws what the pipeline ends with: the call's own exception
 * (its checked type is kept, as with the core's {@link Work}: a call that throws {@code IOException}
 * makes {@code call} throw {@code IOException}, plus {@code InterruptedException} for the waits),
 * a {@link RejectedException}, a {@link dev.weft.DeadlineExceededException} (outer or attempt timeout),
 * {@link RetryDeadlineExceededException}, {@link HedgeFailedException}, or a cancellation. A
 * cancellation of the caller is never retried, counted by the breaker, or handed to a fallback.
 * {@link #outcome} returns the same as an {@link Outcome}: {@code Success}, {@code Failure}, or
 * {@code Cancelled} when the caller was cancelled (its interrupt flag is then set again).
 *
 * <h2>Events</h2> A listener given to {@link Builder#listener} hears every component's events for
 * calls through this policy, in addition to the components' own listeners. The {@code name} in the
 * events it hears says which policy (for example which host) they belong to:
 * {@code "<policy>/<component>"}, such as {@code "api.example.com/retry"} (just the policy's name when
 * the component has the same name). A component's own listeners hear the component's name, since a
 * component may be shared by several policies.
 */
public final class Policy {
    private final String name;
    private final Duration timeout;
    private final RateLimiter rateLimiter;
    private final Retry retry;
    private final Hedge hedge;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final Duration attemptTimeout;
    private final ResilienceListener listener;
    private final ResilienceListener rateLimiterListener;
    private final ResilienceListener retryListener;
    /** Everything inside the retry, composed once: hedge → breaker → bulkhead → attempt timeout → call. */
    private final Step inner;

    private Policy(Builder b) {
        this.name = b.name;
        this.timeout = b.timeout;
        this.rateLimiter = b.rateLimiter;
        this.retry = b.retry;
        this.hedge = b.hedge;
        this.breaker = b.breaker;
        this.bulkhead = b.bulkhead;
        this.attemptTimeout = b.attemptTimeout;
        this.listener = b.listeners.isEmpty() ? null
                : b.listeners.size() == 1 ? b.listeners.get(0) : new Fanout(List.copyOf(b.listeners));
        this.rateLimiterListener = rateLimiter == null ? null : named(rateLimiter.name());
        this.retryListener = retry == null ? null : named(retry.name());
        this.inner = compose();
    }

    private Step compose() {
        Step s = Step.CALL;
        Duration at = attemptTimeout;
        if (at != null) {
            s = new Step() {
                @Override
                <T, E extends Exception> T run(Work<T, E> call) throws E {
                    return Timeouts.failAfter(at, call);
                }
            };
        }
        if (bulkhead != null) {
            Step next = s;
            Bulkhead bh = bulkhead;
            ResilienceListener l = named(bulkhead.name());
            s = new Step() {
                @Override
                <T, E extends Exception> T run(Work<T, E> call) throws E, InterruptedException {
                    return bh.execute(next, call, l);
                }
            };
        }
        if (breaker != null) {
            Step next = s;
            CircuitBreaker cb = breaker;
            ResilienceListener l = named(breaker.name());
            s = new Step() {
                @Override
                <T, E extends Exception> T run(Work<T, E> call) throws E, InterruptedException {
                    return cb.execute(next, call, l);
                }
            };
        }
        if (hedge != null) {
            Step next = s;
            Hedge h = hedge;
            ResilienceListener l = named(hedge.name());
            s = new Step() {
                @Override
                <T, E extends Exception> T run(Work<T, E> call) throws InterruptedException {
                    return h.execute(next, call, l);
                }
            };
        }
        return s;
    }

    /** The policy's listeners, hearing the events of component {@code component} as {@code "policy/component"}. */
    private ResilienceListener named(String component) {
        if (listener == null) {
            return null;
        }
        return new Named(listener, component.equals(name) ? name : name + "/" + component);
    }

    /**
     * An empty builder.
     *
     * @return a new builder with no component
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The policy's name.
     *
     * @return the name set on the builder
     */
    public String name() {
        return name;
    }

    /**
     * Runs {@code call} through the pipeline.
     *
     * @param <T> the type of the result
     * @param <E> the checked exception the call may throw ({@code RuntimeException} if none)
     * @param call the call, run once per attempt
     * @return the call's result
     * @throws E the call's own failure, when the pipeline ends with it
     * @throws InterruptedException if the caller was cancelled (also while waiting for a token, a
     *     slot or the next attempt)
     * @throws RejectedException (unchecked) and the others listed in the class documentation
     */
    public <T, E extends Exception> T call(Work<? extends T, E> call) throws E, InterruptedException {
        Objects.requireNonNull(call, "call");
        if (timeout == null) {
            return limited(call);
        }
        return Timeouts.failAfter(timeout, () -> {
            try {
                return limited(call);
            } catch (Exception e) {
                throw Support.sneaky(e); // E or InterruptedException, through the timeout as they are
            }
        });
    }

    /**
     * As {@link #call(Work)}, with {@code fallback} outermost.
     *
     * @param <T> the type of the result
     * @param <E> the checked exception the call may throw ({@code RuntimeException} if none)
     * @param call the call
     * @param fallback replaces a failure it handles (never a cancellation)
     * @return the call's result or the fallback's value
     * @throws E the call's own failure, when not handled by the fallback
     * @throws InterruptedException if the caller was cancelled
     */
    public <T, E extends Exception> T call(Work<? extends T, E> call, Fallback<T> fallback)
            throws E, InterruptedException {
        Objects.requireNonNull(fallback, "fallback");
        ResilienceListener l = listener == null ? null : new Named(listener, fallback.name().equals(name) ? name
                : name + "/" + fallback.name());
        try {
            return fallback.execute(() -> call(call), l);
        } catch (Exception e) {
            throw Support.sneaky(e); // E or InterruptedException, as they are
        }
    }

    /**
     * As {@link #call(Work)} but never throws: how the call ended, as data.
     *
     * @param <T> the type of the result
     * @param call the call
     * @return {@code Success}, {@code Failure}, or {@code Cancelled} when the caller was cancelled
     */
    public <T> Outcome<T> outcome(Work<? extends T, ?> call) {
        try {
            return new Outcome.Success<>(call(call));
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError e) {
                throw e;
            }
            if (Weft.isCallerCancellation(t)) {
                if (t instanceof InterruptedException) {
                    dev.weft.Weft.restoreInterrupt(); // the caller stays cancelled
                }
                return new Outcome.Cancelled<>();
            }
            return new Outcome.Failure<>(t);
        }
    }

    private <T, E extends Exception> T limited(Work<? extends T, E> call) throws E, InterruptedException {
        if (rateLimiter != null) {
            rateLimiter.acquire(rateLimiterListener);
        }
        if (retry != null) {
            return retry.execute(inner, call, retryListener);
        }
        return inner.run(call);
    }

    /**
     * The pipeline of this policy, outermost first, e.g. {@code "timeout(PT2S) → retry[...] → call"}.
     *
     * @return a one-line description of the pipeline
     */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (timeout != null) {
            parts.add("timeout(" + timeout + ")");
        }
        if (rateLimiter != null) {
            parts.add(rateLimiter.toString());
        }
        if (retry != null) {
            parts.add(retry.toString());
        }
        if (hedge != null) {
            parts.add(hedge.toString());
        }
        if (breaker != null) {
            parts.add(breaker.toString());
        }
        if (bulkhead != null) {
            parts.add(bulkhead.toString());
        }
        if (attemptTimeout != null) {
            parts.add("attemptTimeout(" + attemptTimeout + ")");
        }
        parts.add("call");
        return String.join(" → ", parts);
    }

    @Override
    public String toString() {
        return "Policy[" + name + ": " + describe() + "]";
    }

    /** Passes every event on to {@code to}, with {@code name} in place of the component's. */
    private record Named(ResilienceListener to, String name) implements ResilienceListener {
        @Override
        public void onAttempt(String n, int attempt) {
            to.onAttempt(name, attempt);
        }

        @Override
        public void onRetry(String n, int attempt, Duration delay, Throwable failure) {
            to.onRetry(name, attempt, delay, failure);
        }

        @Override
        public void onGiveUp(String n, int attempts, String reason, Throwable failure) {
            to.onGiveUp(name, attempts, reason, failure);
        }

        @Override
        public void onRejected(String n, RejectedException rejection) {
            to.onRejected(name, rejection);
        }

        @Override
        public void onStateChange(String n, CircuitBreaker.State from, CircuitBreaker.State to) {
            this.to.onStateChange(name, from, to);
        }

        @Override
        public void onHedge(String n, int attempt) {
            to.onHedge(name, attempt);
        }

        @Override
        public void onFallback(String n, Throwable failure) {
            to.onFallback(name, failure);
        }
    }

    /** Passes each event to several listeners, each isolated. */
    private record Fanout(List<ResilienceListener> all) implements ResilienceListener {
        @Override
        public void onAttempt(String n, int attempt) {
            Support.emit(all, null, l -> l.onAttempt(n, attempt));
        }

        @Override
        public void onRetry(String n, int attempt, Duration delay, Throwable failure) {
            Support.emit(all, null, l -> l.onRetry(n, attempt, delay, failure));
        }

        @Override
        public void onGiveUp(String n, int attempts, String reason, Throwable failure) {
            Support.emit(all, null, l -> l.onGiveUp(n, attempts, reason, failure));
        }

        @Override
        public void onRejected(String n, RejectedException rejection) {
            Support.emit(all, null, l -> l.onRejected(n, rejection));
        }

        @Override
        public void onStateChange(String n, CircuitBreaker.State from, CircuitBreaker.State to) {
            Support.emit(all, null, l -> l.onStateChange(n, from, to));
        }

        @Override
        public void onHedge(String n, int attempt) {
            Support.emit(all, null, l -> l.onHedge(n, attempt));
        }

        @Override
        public void onFallback(String n, Throwable failure) {
            Support.emit(all, null, l -> l.onFallback(n, failure));
        }
    }

    /**
     * Configures a {@link Policy}. Each component is optional and set at most once; the order of the
     * calls does not matter (see the class documentation for the order). Setters validate their
     * argument at once and {@link #build()} the combination, with messages naming the option.
     */
    public static final class Builder {
        private String name = "policy";
        private Duration timeout;
        private RateLimiter rateLimiter;
        private Retry retry;
        private Hedge hedge;
        private CircuitBreaker breaker;
        private Bulkhead bulkhead;
        private Duration attemptTimeout;
        private final List<ResilienceListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The policy's name (default {@code "policy"}).
         *
         * @param name the name, not null
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name must not be null");
            return this;
        }

        /**
         * The outer timeout: the whole call, waits and retries included (default: none; the caller's
         * own deadline still applies).
         *
         * @param timeout the limit for the whole call
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            this.timeout = once("timeout", this.timeout, Support.positive("timeout", timeout));
            return this;
        }

        /**
         * A rate limiter taking one token per call.
         *
         * @param rateLimiter the limiter, shared with other users if they should share its rate
         * @return this builder
         */
        public Builder rateLimiter(RateLimiter rateLimiter) {
            this.rateLimiter = once("rateLimiter", this.rateLimiter, Objects.requireNonNull(rateLimiter, "rateLimiter"));
            return this;
        }

        /**
         * A retry around each attempt.
         *
         * @param retry the retry
         * @return this builder
         */
        public Builder retry(Retry retry) {
            this.retry = once("retry", this.retry, Objects.requireNonNull(retry, "retry"));
            return this;
        }

        /**
         * Hedged attempts, inside the retry.
         *
         * @param hedge the hedge
         * @return this builder
         */
        public Builder hedge(Hedge hedge) {
            this.hedge = once("hedge", this.hedge, Objects.requireNonNull(hedge, "hedge"));
            return this;
        }

        /**
         * A circuit breaker each attempt passes.
         *
         * @param breaker the breaker, usually shared by every caller of one dependency
         * @return this builder
         */
        public Builder circuitBreaker(CircuitBreaker breaker) {
            this.breaker = once("circuitBreaker", this.breaker, Objects.requireNonNull(breaker, "circuitBreaker"));
            return this;
        }

        /**
         * A bulkhead each attempt passes.
         *
         * @param bulkhead the bulkhead, usually shared by every caller of one dependency
         * @return this builder
         */
        public Builder bulkhead(Bulkhead bulkhead) {
            this.bulkhead = once("bulkhead", this.bulkhead, Objects.requireNonNull(bulkhead, "bulkhead"));
            return this;
        }

        /**
         * A timeout for each attempt; interrupts the attempt's thread (default: none).
         *
         * @param timeout the limit for each attempt
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = once("attemptTimeout", this.attemptTimeout, Support.positive("attemptTimeout", timeout));
            return this;
        }

        /**
         * A listener hearing every component's events for calls through this policy.
         *
         * @param listener told of every component's events; its exception is logged, never thrown
         * @return this builder
         */
        public Builder listener(ResilienceListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        private static <X> X once(String what, X current, X next) {
            if (current != null) {
                throw new IllegalStateException(what + " is already set to " + current + "; a policy has at most one");
            }
            return next;
        }

        /**
         * The immutable policy.
         *
         * @return a new policy with this configuration
         * @throws IllegalArgumentException if the attempt timeout is not shorter than the outer timeout
         *     (every attempt would be cut by the outer timeout first, and never retried), or a hedge's
         *     delay is not shorter than the attempt timeout (the hedge would never start)
         */
        public Policy build() {
            if (timeout != null && attemptTimeout != null && attemptTimeout.compareTo(timeout) >= 0) {
                throw new IllegalArgumentException("attemptTimeout (" + attemptTimeout
                        + ") must be shorter than timeout (" + timeout
                        + "): the outer timeout would always cut the first attempt, leaving nothing to retry");
            }
            if (hedge != null && attemptTimeout != null && hedge.delay().compareTo(attemptTimeout) >= 0) {
                throw new IllegalArgumentException("hedge delay (" + hedge.delay() + ") must be shorter than attemptTimeout ("
                        + attemptTimeout + "): every attempt would time out before a hedge starts");
            }
            return new Policy(this);
        }
    }
}
