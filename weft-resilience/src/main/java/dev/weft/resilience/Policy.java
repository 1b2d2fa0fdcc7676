package dev.weft.resilience;

import dev.weft.Weft;
import dev.weft.Outcome;
import dev.weft.Timeouts;
import dev.weft.resilience.internal.Support;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

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
 * <h2>Exceptions</h2> {@link #call} throws what the pipeline ends with: the call's own exception,
 * a {@link RejectedException}, a {@link dev.weft.DeadlineExceededException} (outer or attempt timeout),
 * {@link RetryDeadlineExceededException}, {@link HedgeFailedException}, or a cancellation. A
 * cancellation of the caller is never retried, counted by the breaker, or handed to a fallback.
 * {@link #outcome} returns the same as an {@link Outcome}: {@code Success}, {@code Failure}, or
 * {@code Cancelled} when the caller was cancelled (its interrupt flag is then set again).
 *
 * <h2>Events</h2> A listener given to {@link Builder#listener} hears every component's events for
 * calls through this policy, in addition to the components' own listeners.
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
        this.inner = compose();
    }

    private Step compose() {
        ResilienceListener l = listener;
        Step s = Step.CALL;
        Duration at = attemptTimeout;
        if (at != null) {
            s = new Step() {
                @Override
                <T> T run(Callable<? extends T> call) throws Exception {
                    return Timeouts.failAfter(at, call::call);
                }
            };
        }
        if (bulkhead != null) {
            Step next = s;
            Bulkhead bh = bulkhead;
            s = new Step() {
                @Override
                <T> T run(Callable<? extends T> call) throws Exception {
                    return bh.execute(next, call, l);
                }
            };
        }
        if (breaker != null) {
            Step next = s;
            CircuitBreaker cb = breaker;
            s = new Step() {
                @Override
                <T> T run(Callable<? extends T> call) throws Exception {
                    return cb.execute(next, call, l);
                }
            };
        }
        if (hedge != null) {
            Step next = s;
            Hedge h = hedge;
            s = new Step() {
                @Override
                <T> T run(Callable<? extends T> call) throws Exception {
                    return h.execute(next, call, l);
                }
            };
        }
        return s;
    }

    /** An empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** The policy's name. */
    public String name() {
        return name;
    }

    /**
     * Runs {@code call} through the pipeline.
     *
     * @throws Exception see the class documentation
     */
    public <T> T call(Callable<? extends T> call) throws Exception {
        Objects.requireNonNull(call, "call");
        if (timeout == null) {
            return limited(call);
        }
        return Timeouts.failAfter(timeout, () -> limited(call));
    }

    /** As {@link #call(Callable)}, with {@code fallback} outermost. */
    public <T> T call(Callable<? extends T> call, Fallback<T> fallback) throws Exception {
        Objects.requireNonNull(fallback, "fallback");
        return fallback.execute(() -> call(call), listener);
    }

    /** As {@link #call(Callable)} but never throws: how the call ended, as data. */
    public <T> Outcome<T> outcome(Callable<? extends T> call) {
        try {
            return new Outcome.Success<>(call(call));
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError e) {
                throw e;
            }
            if (Weft.isCallerCancellation(t)) {
                if (t instanceof InterruptedException) {
                    Thread.currentThread().interrupt(); // the caller stays cancelled
                }
                return new Outcome.Cancelled<>();
            }
            return new Outcome.Failure<>(t);
        }
    }

    private <T> T limited(Callable<? extends T> call) throws Exception {
        if (rateLimiter != null) {
            rateLimiter.acquire(listener);
        }
        if (retry != null) {
            return retry.execute(inner, call, listener);
        }
        return inner.run(call);
    }

    /** The pipeline of this policy, outermost first, e.g. {@code "timeout(PT2S) → retry[...] → call"}. */
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

        /** The policy's name (default {@code "policy"}). */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name must not be null");
            return this;
        }

        /**
         * The outer timeout: the whole call, waits and retries included (default: none; the caller's
         * own deadline still applies).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder timeout(Duration timeout) {
            this.timeout = once("timeout", this.timeout, Support.positive("timeout", timeout));
            return this;
        }

        /** A rate limiter taking one token per call. */
        public Builder rateLimiter(RateLimiter rateLimiter) {
            this.rateLimiter = once("rateLimiter", this.rateLimiter, Objects.requireNonNull(rateLimiter, "rateLimiter"));
            return this;
        }

        /** A retry around each attempt. */
        public Builder retry(Retry retry) {
            this.retry = once("retry", this.retry, Objects.requireNonNull(retry, "retry"));
            return this;
        }

        /** Hedged attempts, inside the retry. */
        public Builder hedge(Hedge hedge) {
            this.hedge = once("hedge", this.hedge, Objects.requireNonNull(hedge, "hedge"));
            return this;
        }

        /** A circuit breaker each attempt passes. */
        public Builder circuitBreaker(CircuitBreaker breaker) {
            this.breaker = once("circuitBreaker", this.breaker, Objects.requireNonNull(breaker, "circuitBreaker"));
            return this;
        }

        /** A bulkhead each attempt passes. */
        public Builder bulkhead(Bulkhead bulkhead) {
            this.bulkhead = once("bulkhead", this.bulkhead, Objects.requireNonNull(bulkhead, "bulkhead"));
            return this;
        }

        /**
         * A timeout for each attempt; interrupts the attempt's thread (default: none).
         *
         * @throws IllegalArgumentException if not positive
         */
        public Builder attemptTimeout(Duration timeout) {
            this.attemptTimeout = once("attemptTimeout", this.attemptTimeout, Support.positive("attemptTimeout", timeout));
            return this;
        }

        /** A listener hearing every component's events for calls through this policy. */
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
