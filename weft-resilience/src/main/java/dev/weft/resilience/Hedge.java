package dev.weft.resilience;

import dev.weft.DeadlineExceededException;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Weft;
import dev.weft.Work;
import dev.weft.resilience.internal.Support;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Predicate;

/**
 * Hedged requests: if the first attempt has not answered after {@link Builder#delay}, start a second
 * one (then a third...) and take the first acceptable result. Cuts tail latency at the price of
 * extra load (Dean and Barroso, "The Tail at Scale", 2013). Immutable and thread safe.
 *
 * {@snippet :
 * Hedge hedge = Hedge.builder().delay(Duration.ofMillis(50)).maxAttempts(2).build();
 * Price p = hedge.call(() -> pricing.quote(item)); // a second replica is asked after 50 ms
 * }
 *
 * <h2>Structure</h2> Every attempt is a task in a Weft {@link TaskGroup} owned by the call. When an
 * attempt returns an acceptable result, the others are cancelled (their threads interrupted) <b>and
 * joined</b>: when {@code call} returns, no attempt is still running. An attempt that fails before the
 * delay triggers the next attempt at once. If every attempt fails, {@link HedgeFailedException}
 * reports all the failures. Cancelling the caller cancels and joins every attempt.
 *
 * <h2>Context</h2> Attempts run on their own virtual threads. They inherit the caller's Weft scope
 * chain, so {@link dev.weft.Deadline#current()} and cancellation reach them. {@code ScopedValue}
 * bindings are not inherited by plain threads (the JDK inherits them only into the preview
 * {@code StructuredTaskScope}); list the ones attempts need with {@link Builder#propagate}: each
 * attempt re-binds them to the caller's values. See {@code docs/decisions/0203-context-in-hedges.md}.
 */
public final class Hedge {
    private final String name;
    private final Duration delay;
    private final int maxAttempts;
    private final Predicate<Object> accept;
    private final List<ScopedValue<?>> propagate;
    private final List<ResilienceListener> listeners;

    private Hedge(Builder b) {
        this.name = b.name;
        this.delay = b.delay;
        this.maxAttempts = b.maxAttempts;
        this.accept = b.accept;
        this.propagate = List.copyOf(b.propagate);
        this.listeners = List.copyOf(b.listeners);
    }

    /**
     * A builder: {@link Builder#delay} is required.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The hedge's name.
     *
     * @return the name set on the builder
     */
    public String name() {
        return name;
    }

    /**
     * The delay before each further attempt.
     *
     * @return the delay before each further attempt
     */
    public Duration delay() {
        return delay;
    }

    /**
     * Attempts in all, the first included.
     *
     * @return the number of attempts in all, at least 2
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Runs {@code call} hedged; returns the first acceptable result once the other attempts have ended.
     * The attempts' own exceptions are reported together in a {@link HedgeFailedException}, so nothing
     * checked but the caller's cancellation is thrown.
     *
     * @param <T> the type of the result
     * @param call the call, run once per attempt, each on its own virtual thread
     * @return the first acceptable result
     * @throws HedgeFailedException if every attempt failed
     * @throws InterruptedException if the caller was cancelled, by Weft or by an interrupt of its thread
     *     (every attempt was cancelled and joined first)
     */
    public <T> T call(Work<? extends T, ?> call) throws InterruptedException {
        return execute(Step.CALL, Objects.requireNonNull(call, "call"), null);
    }

    <T> T execute(Step next, Work<? extends T, ?> call, ResilienceListener extra) throws InterruptedException {
        Callable<T> inner = () -> next.run(call);
        Callable<? extends T> attempt = withContext(inner);
        List<Throwable> failures = new ArrayList<>();
        List<T> winner = new ArrayList<>(1);
        boolean[] won = new boolean[1];
        TaskGroup.supervise(g -> {
            List<Task<T>> running = new ArrayList<>();
            running.add(g.spawn(name + "-1", attempt));
            int started = 1;
            while (true) {
                boolean canHedge = started < maxAttempts;
                if (running.isEmpty()) {
                    if (!canHedge) {
                        return null;
                    }
                    started = hedge(g, attempt, running, started, extra);
                    continue;
                }
                Task<T> done;
                try {
                    done = Weft.asCompleted(running, canHedge ? delay : null).next();
                } catch (DeadlineExceededException timeToHedge) {
                    if (Weft.isCancelled()) {
                        throw timeToHedge;
                    }
                    started = hedge(g, attempt, running, started, extra);
                    continue;
                }
                running.remove(done);
                Outcome<T> o = done.outcomeNow().orElseThrow();
                switch (o) {
                    case Outcome.Success<T> s when accept == null || accept.test(s.value()) -> {
                        winner.add(s.value());
                        won[0] = true;
                        for (Task<T> loser : running) {
                            loser.cancel();
                        }
                        for (Task<T> loser : running) {
                            loser.outcome(); // joined: finished before the result is returned
                        }
                        return null;
                    }
                    case Outcome.Success<T> s -> failures.add(new IllegalStateException(
                            "attempt '" + done.name() + "' returned an unacceptable result: " + s.value()));
                    case Outcome.Failure<T> f -> failures.add(f.error());
                    case Outcome.Cancelled<T> c -> failures.add(new CancellationException(
                            "attempt '" + done.name() + "' was cancelled"));
                }
                if (canHedge) {
                    started = hedge(g, attempt, running, started, extra); // a failure hedges at once
                }
            }
        });
        if (won[0]) {
            return winner.get(0);
        }
        throw new HedgeFailedException(name, failures);
    }

    private <T> int hedge(TaskGroup g, Callable<? extends T> attempt, List<Task<T>> running, int started,
            ResilienceListener extra) {
        int n = started + 1;
        if (extra != null || !listeners.isEmpty()) {
            Support.emit(listeners, extra, l -> l.onHedge(name, n));
        }
        running.add(g.spawn(name + "-" + n, attempt));
        return n;
    }

    private <T> Callable<? extends T> withContext(Callable<? extends T> call) {
        if (propagate.isEmpty()) {
            return call;
        }
        ScopedValue.Carrier carrier = null;
        for (ScopedValue<?> key : propagate) {
            if (key.isBound()) {
                carrier = bind(carrier, key);
            }
        }
        if (carrier == null) {
            return call;
        }
        ScopedValue.Carrier c = carrier;
        return () -> c.call(call::call);
    }

    private static <V> ScopedValue.Carrier bind(ScopedValue.Carrier carrier, ScopedValue<V> key) {
        V v = key.get();
        return carrier == null ? ScopedValue.where(key, v) : carrier.where(key, v);
    }

    @Override
    public String toString() {
        return "Hedge[" + name + ", delay " + delay + ", maxAttempts " + maxAttempts + "]";
    }

    /** Configures a {@link Hedge}. */
    public static final class Builder {
        private String name = "hedge";
        private Duration delay;
        private int maxAttempts = 2;
        private Predicate<Object> accept;
        private final List<ScopedValue<?>> propagate = new ArrayList<>();
        private final List<ResilienceListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The name of the hedge and prefix of its attempt tasks (default {@code "hedge"}).
         *
         * @param name the name, not null
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name must not be null");
            return this;
        }

        /**
         * How long to wait for an answer before starting the next attempt. Required. Zero starts all at once.
         *
         * @param delay how long to wait for an answer before the next attempt
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder delay(Duration delay) {
            this.delay = Support.notNegative("hedge delay", delay);
            return this;
        }

        /**
         * Attempts in all, the first included (default 2).
         *
         * @param n the number of attempts in all
         * @return this builder
         * @throws IllegalArgumentException if less than 2
         */
        public Builder maxAttempts(int n) {
            if (n < 2) {
                throw new IllegalArgumentException(
                        "hedge maxAttempts must be >= 2 (the first attempt and at least one hedge), got " + n);
            }
            this.maxAttempts = n;
            return this;
        }

        /**
         * Only results matching win; others count as failed attempts (default: any result wins).
         *
         * @param predicate tells whether a result may win
         * @return this builder
         */
        public Builder acceptIf(Predicate<Object> predicate) {
            this.accept = Objects.requireNonNull(predicate, "acceptIf predicate must not be null");
            return this;
        }

        /**
         * Scoped values re-bound, to the caller's values, in every attempt's thread. Keys declared
         * once with {@link dev.weft.ContextPropagation#inherit(ScopedValue)} reach every attempt (and
         * every other task) without this (ADR 0500).
         *
         * @param keys the scoped values to re-bind
         * @return this builder
         */
        public Builder propagate(ScopedValue<?>... keys) {
            for (ScopedValue<?> k : keys) {
                propagate.add(Objects.requireNonNull(k, "scoped value must not be null"));
            }
            return this;
        }

        /**
         * Adds a listener for hedge events.
         *
         * @param listener told of each hedged attempt; its exception is logged, never thrown
         * @return this builder
         */
        public Builder listener(ResilienceListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /**
         * The hedge.
         *
         * @return a new hedge with this configuration
         * @throws IllegalStateException if no delay was set
         */
        public Hedge build() {
            if (delay == null) {
                throw new IllegalStateException("a Hedge needs a delay: call delay(Duration)");
            }
            return new Hedge(this);
        }
    }
}
