package dev.weft.resilience;

import dev.weft.Deadline;
import dev.weft.TimeSource;
import dev.weft.Weft;
import dev.weft.Work;
import dev.weft.channel.Event;
import dev.weft.resilience.internal.CallWindow;
import dev.weft.resilience.internal.Support;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * A circuit breaker: stops calling a dependency that keeps failing, and lets a few trial calls
 * through after a while to see whether it has recovered. Immutable configuration, thread safe; build
 * one per dependency with {@link #builder()} and share it.
 *
 * {@snippet :
 * CircuitBreaker breaker = CircuitBreaker.builder()
 *         .name("inventory")
 *         .countWindow(50).minimumCalls(10)
 *         .failureRateThreshold(50)
 *         .slowCalls(Duration.ofSeconds(2), 80)
 *         .waitInOpen(Duration.ofSeconds(30))
 *         .trialCalls(3)
 *         .build();
 * Stock s = breaker.call(() -> inventory.get(sku)); // or CircuitBreakerOpenException, at once
 * }
 *
 * <h2>States</h2>
 * <ul>
 *   <li>{@link State#CLOSED}: calls go through; their outcomes fill a sliding window, either the last
 *       {@code N} calls ({@link Builder#countWindow}, the default, N = 100) or the calls of the last
 *       {@code T} ({@link Builder#timeWindow}). Once the window holds at least
 *       {@link Builder#minimumCalls} calls (default 20), the breaker opens if the failure rate reaches
 *       {@link Builder#failureRateThreshold} (default 50%) or the slow-call rate reaches the
 *       {@link Builder#slowCalls} threshold (off by default). Rates are evaluated when a call ends.</li>
 *   <li>{@link State#OPEN}: every call is rejected at once with {@link CircuitBreakerOpenException}
 *       (no stack trace; it names the breaker and says when trial calls start) until
 *       {@link Builder#waitInOpen} (default 60 s) has passed; the next call then moves the breaker to
 *       half-open.</li>
 *   <li>{@link State#HALF_OPEN}: exactly {@link Builder#trialCalls} calls (default 10) are admitted,
 *       also under concurrency; the others are rejected. When all have ended the breaker closes if their
 *       failure and slow-call rates are under the thresholds, and opens again otherwise; it opens as
 *       soon as enough trials have failed that the rate is bound to reach the threshold. A trial that
 *       ends by a cancellation or an ignored exception gives its permit back.</li>
 *   <li>{@link State#FORCED_OPEN}: entered only by {@link #forceOpen()}; rejects everything until
 *       {@link #reset()}.</li>
 * </ul>
 * Every transition into {@code CLOSED} starts an empty window. {@link #reset()} closes the breaker
 * from any state.
 *
 * <h2>Waiting for the trial instead of failing</h2> By default a refused call fails at once. With
 * {@link Builder#waitForTrial(Duration)} a call that finds the breaker open (or half-open with every
 * trial permit taken) waits instead, at most that long and never past the caller's
 * {@link Deadline#current()}, and is admitted as a trial call (or as a normal call once the trials
 * have closed the breaker). Exactly {@link Builder#trialCalls} trials are still admitted: the other
 * waiters wait for the trials' verdict; if a trial fails and the breaker opens again, they keep
 * waiting for the next trial period ({@link Builder#waitForTrial(Duration, int)} caps how many wait
 * at once). A waiter fails with {@link CircuitBreakerOpenException} at
 * once when the next trial period starts after its limit (no waiting in vain), or when its limit
 * passes while the trials are still running. A forced-open breaker refuses at once. The wait is
 * cancellable and on virtual time in tests.
 *
 * <h2>What counts</h2> An exception matching {@link Builder#ignore} is neither success nor failure;
 * nor is a {@link BackPressure} failure (the dependency asking to slow down, such as an HTTP 429 or
 * 503 with {@code Retry-After}).
 * One matching {@link Builder#recordFailure} (default: every exception) is a failure; any other is a
 * success. A call that returns normally is a success, unless its result matches
 * {@link Builder#recordResult} (default: no result is a failure; Resilience4j's {@code recordResult},
 * Failsafe's {@code handleResult}, Polly's {@code HandleResult}), such as an HTTP response with status
 * 503: it is then a failure like a thrown exception (also in half-open), counted in
 * {@link Metrics#failures()} and, separately, in {@link Metrics#failedResults()}; the caller still
 * gets the result. A cancellation (see {@link Retry}) is never counted, nor is a {@link RejectedException}
 * from a component inside the breaker (a full bulkhead is local overload, not a failing
 * dependency). A call admitted in one state period
 * and ending in another is counted in the totals only.
 *
 * <h2>Events</h2> State changes and rejections go to the {@link ResilienceListener}s, after the state
 * has changed and with no lock held; a listener that throws is logged and ignored.
 *
 * <h2>Performance and thread safety</h2> A successful call in {@code CLOSED} reads one volatile
 * field, increments two striped counters ({@link LongAdder}) and reads one volatile count; it takes
 * no lock and reads no clock unless the window is time-based or slow calls are measured. Failures,
 * slow calls, and successes while failures are in the window take the breaker's lock. See
 * {@code docs/decisions/0201-breaker-hot-path.md} for the measurements.
 *
 * <h2>Memory consistency</h2> Everything a thread did before a call's outcome is recorded
 * happens-before the state change that outcome causes is observed by another thread.
 */
public final class CircuitBreaker {
    /** The breaker's states. */
    public enum State {
        /** Calls go through and their outcomes fill the window. */
        CLOSED,
        /** Calls are refused until the wait in open has passed. */
        OPEN,
        /** A fixed number of trial calls decide whether to close or open again. */
        HALF_OPEN,
        /** Opened by {@link CircuitBreaker#forceOpen()}: calls are refused until {@link CircuitBreaker#reset()}. */
        FORCED_OPEN
    }

    private enum Verdict { SUCCESS, FAILURE, IGNORED }

    /**
     * A snapshot of the breaker's counters.
     *
     * @param state the state
     * @param bufferedCalls calls in the current window (closed) or trial calls ended (half-open)
     * @param failedCalls failures among them
     * @param slowCalls slow calls among them
     * @param failureRate failures per 100 buffered calls, or -1 while fewer than the minimum (closed:
     *     {@link Builder#minimumCalls}; half-open: every trial, so -1 throughout the half-open phase, which
     *     ends with its last trial; read {@code bufferedCalls} and {@code failedCalls} then. Resilience4j
     *     behaves the same)
     * @param slowCallRate slow calls per 100 buffered calls, or -1 while fewer than the minimum (as for
     *     {@code failureRate})
     * @param successes successful calls since the breaker was built (exact)
     * @param failures failed calls since the breaker was built (exact)
     * @param notPermitted rejected calls since the breaker was built (exact)
     * @param ignored ignored or cancelled calls since the breaker was built (exact)
     * @param failedResults calls since the breaker was built that returned a result matching
     *     {@link Builder#recordResult} (exact; also counted in {@code failures})
     */
    public record Metrics(State state, long bufferedCalls, int failedCalls, int slowCalls, double failureRate,
            double slowCallRate, long successes, long failures, long notPermitted, long ignored,
            long failedResults) {
    }

    /** One period in one state; replaced (never mutated, except the guarded trial counters) on every transition. */
    private static final class Phase {
        final State state;
        final long openUntil; // OPEN: the time source nanos when trial calls may start
        final CallWindow window; // CLOSED
        final AtomicInteger permits; // HALF_OPEN: trial permits left
        int trials; // HALF_OPEN, guarded by lock
        int trialFailures; // HALF_OPEN, guarded by lock
        int trialSlows; // HALF_OPEN, guarded by lock

        Phase(State state, long openUntil, CallWindow window, int permits) {
            this.state = state;
            this.openUntil = openUntil;
            this.window = window;
            this.permits = state == State.HALF_OPEN ? new AtomicInteger(permits) : null;
        }
    }

    private record Transition(State from, State to) {
    }

    private final String name;
    private final boolean timeWindow;
    private final int windowSize;
    private final long windowNanos;
    private final int windowBuckets;
    private final int minimumCalls;
    private final double failureRateThreshold;
    private final long slowNanos; // 0: slow calls not measured
    private final double slowRateThreshold;
    private final long waitInOpenNanos;
    private final int trialCalls;
    private final long waitForTrialNanos; // 0: refuse at once
    private final int maxWaiters; // with waitForTrial: more callers than this are refused at once
    /** With waitForTrial: set (and replaced) on every phase change and every trial permit given back. */
    private final AtomicReference<Event> changed = new AtomicReference<>(new Event());
    private final AtomicInteger waiting = new AtomicInteger();
    private final Predicate<? super Throwable> recordFailure;
    private final Predicate<? super Throwable> ignore;
    private final Predicate<Object> recordResult; // null: no result is a failure
    private final TimeSource clock; // null: the caller's
    private final List<ResilienceListener> listeners;
    private final boolean windowNeedsTime;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile Phase phase;
    private final LongAdder successes = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder notPermitted = new LongAdder();
    private final LongAdder ignored = new LongAdder();
    private final LongAdder failedResults = new LongAdder();

    private CircuitBreaker(Builder b) {
        this.name = b.name;
        this.timeWindow = b.timeWindow != null;
        this.windowSize = b.countWindow;
        this.windowNanos = b.timeWindow == null ? 0 : Support.nanos(b.timeWindow);
        this.windowBuckets = b.timeBuckets;
        this.minimumCalls = b.minimumCalls;
        this.failureRateThreshold = b.failureRateThreshold;
        this.slowNanos = b.slowCallDuration == null ? 0 : Math.max(1, Support.nanos(b.slowCallDuration));
        this.slowRateThreshold = b.slowCallRateThreshold;
        this.waitInOpenNanos = Support.nanos(b.waitInOpen);
        this.trialCalls = b.trialCalls;
        this.waitForTrialNanos = Support.nanos(b.waitForTrial);
        this.maxWaiters = b.maxWaiters;
        this.recordFailure = b.recordFailure;
        this.ignore = b.ignore;
        this.recordResult = b.recordResult;
        this.clock = b.clock;
        this.listeners = List.copyOf(b.listeners);
        this.phase = closedPhase();
        this.windowNeedsTime = phase.window.needsTime();
    }

    /**
     * A builder with the defaults described in the class documentation.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A breaker named {@code name} with every default.
     *
     * @param name the breaker's name in rejections and events
     * @return a new, closed breaker
     */
    public static CircuitBreaker ofDefaults(String name) {
        return builder().name(name).build();
    }

    /**
     * The breaker's name.
     *
     * @return the name set on the builder
     */
    public String name() {
        return name;
    }

    /**
     * The current state. In {@code OPEN}, stays {@code OPEN} after the wait until a call arrives.
     *
     * @return the state now
     */
    public State state() {
        return phase.state;
    }

    /**
     * Calls waiting now for a trial period or for the trials' verdict (only with
     * {@link Builder#waitForTrial}; otherwise always zero).
     *
     * @return the number of waiting calls
     */
    public int waiting() {
        return waiting.get();
    }

    /**
     * Runs {@code call} if the breaker admits it, and records how it ended. The call's own checked
     * exception type passes through, as with the core's {@link Work}.
     *
     * @param <T> the type of the result
     * @param <E> the checked exception the call may throw ({@code RuntimeException} if none)
     * @param call the call
     * @return what {@code call} returned (also when its result was recorded as a failure)
     * @throws CircuitBreakerOpenException if the breaker refused the call (it did not run)
     * @throws E what {@code call} threw
     */
    public <T, E extends Exception> T call(Work<? extends T, E> call) throws E {
        Objects.requireNonNull(call, "call");
        try {
            return execute(Step.CALL, call, null);
        } catch (InterruptedException e) {
            throw Support.sneaky(e); // only the call itself can throw it here: then E admits it
        }
    }

    <T, E extends Exception> T execute(Step next, Work<? extends T, E> call, ResilienceListener extra)
            throws E, InterruptedException {
        Phase p = phase;
        if (p.state != State.CLOSED) {
            p = waitForTrialNanos > 0 ? admitWaiting(p, extra) : admitSlowly(p, extra);
        }
        long start = slowNanos > 0 ? now() : 0;
        T value;
        try {
            value = next.run(call);
        } catch (Throwable t) {
            onThrowable(p, start, t, extra);
            throw t;
        }
        if (recordResult != null && failedResult(p, value, extra)) {
            onFailedResult(p, start, extra);
        } else {
            onSuccess(p, start, extra);
        }
        return value;
    }

    /** Whether {@code value} is a failure; if the predicate throws, the call is not counted and it propagates. */
    private boolean failedResult(Phase p, Object value, ResilienceListener extra) {
        try {
            return recordResult.test(value);
        } catch (Throwable x) {
            recordOutcome(p, Verdict.IGNORED, false, extra); // a half-open trial permit goes back
            throw x;
        }
    }

    /**
     * Asks for permission to make one call by hand (with {@link #onSuccess}, {@link #onFailure} or
     * {@link #releasePermission} afterwards). Returns false (and counts a rejection) if the breaker
     * refuses.
     *
     * @return {@code true} if the call may go ahead (and must then be reported), {@code false} if the
     *     breaker refused it
     */
    public boolean tryAcquirePermission() {
        Phase p = phase;
        if (p.state == State.CLOSED) {
            return true;
        }
        try {
            admitSlowly(p, null);
            return true;
        } catch (CircuitBreakerOpenException e) {
            return false;
        }
    }

    /**
     * Records, by hand, a successful call that took {@code duration}.
     *
     * @param duration how long the call took (compared with the slow-call threshold)
     */
    public void onSuccess(Duration duration) {
        recordOutcome(phase, Verdict.SUCCESS, isSlow(duration), null);
    }

    /**
     * Records, by hand, a call that took {@code duration} and returned {@code result}: a failure if it
     * matches {@link Builder#recordResult}, else a success.
     *
     * @param duration how long the call took (for slow-call measurement; null: not slow)
     * @param result what the call returned (may be null)
     */
    public void onResult(Duration duration, Object result) {
        Phase p = phase;
        if (recordResult != null && failedResult(p, result, null)) {
            failedResults.increment();
            recordOutcome(p, Verdict.FAILURE, isSlow(duration), null);
        } else {
            recordOutcome(p, Verdict.SUCCESS, isSlow(duration), null);
        }
    }

    /**
     * Records, by hand, a call that took {@code duration} and threw {@code error} (classified as {@link #call} would).
     *
     * @param duration how long the call took (compared with the slow-call threshold)
     * @param error what the call threw
     */
    public void onFailure(Duration duration, Throwable error) {
        recordOutcome(phase, classify(error), isSlow(duration), null);
    }

    /** Gives back a permission taken with {@link #tryAcquirePermission()} without recording a call. */
    public void releasePermission() {
        Phase p = phase;
        if (p.state == State.HALF_OPEN) {
            p.permits.incrementAndGet();
            signalWaiters();
        }
    }

    /** Opens the breaker until {@link #reset()}, whatever the calls do. */
    public void forceOpen() {
        transition(new Phase(State.FORCED_OPEN, 0, null, 0), null);
    }

    /** Closes the breaker from any state, with an empty window. */
    public void reset() {
        transition(closedPhase(), null);
    }

    /**
     * A snapshot of the counters and rates.
     *
     * @return the counters now, read without stopping the breaker
     */
    public Metrics metrics() {
        lock.lock();
        try {
            Phase p = phase;
            long b;
            int f;
            int s;
            if (p.state == State.CLOSED) {
                long now = windowNeedsTime ? now() : 0;
                p.window.prune(now);
                b = p.window.buffered(now);
                f = p.window.failures();
                s = p.window.slows();
            } else if (p.state == State.HALF_OPEN) {
                b = p.trials;
                f = p.trialFailures;
                s = p.trialSlows;
            } else {
                b = 0;
                f = 0;
                s = 0;
            }
            long min = p.state == State.HALF_OPEN ? trialCalls : minimumCalls;
            double fr = b >= min && b > 0 ? f * 100.0 / b : -1;
            double sr = b >= min && b > 0 ? s * 100.0 / b : -1;
            return new Metrics(p.state, b, f, s, fr, sr, successes.sum(), failures.sum(), notPermitted.sum(),
                    ignored.sum(), failedResults.sum());
        } finally {
            lock.unlock();
        }
    }

    // ---- internals ----

    private long now() {
        return (clock != null ? clock : TimeSource.current()).nanoTime();
    }

    private Phase closedPhase() {
        return new Phase(State.CLOSED, 0,
                timeWindow ? CallWindow.timed(windowNanos, windowBuckets) : CallWindow.counting(windowSize), 0);
    }

    private boolean isSlow(Duration d) {
        return slowNanos > 0 && d != null && Support.nanos(d) >= slowNanos;
    }

    private Verdict classify(Throwable t) {
        if (t instanceof RejectedException || Weft.isCallerCancellation(t) || ignore.test(t)) {
            return Verdict.IGNORED;
        }
        return recordFailure.test(t) ? Verdict.FAILURE : Verdict.SUCCESS;
    }

    /** Admission when not closed: returns the phase the call is admitted in, or throws the rejection. */
    private Phase admitSlowly(Phase p, ResilienceListener extra) {
        while (true) {
            switch (p.state) {
                case CLOSED -> {
                    return p;
                }
                case HALF_OPEN -> {
                    AtomicInteger permits = p.permits;
                    int left;
                    while ((left = permits.get()) > 0) {
                        if (permits.compareAndSet(left, left - 1)) {
                            return p;
                        }
                    }
                    throw reject(p, null, extra);
                }
                case FORCED_OPEN -> throw reject(p, null, extra);
                case OPEN -> {
                    long now = now();
                    long left = p.openUntil - now;
                    if (left > 0) {
                        throw reject(p, Duration.ofNanos(left), extra);
                    }
                    Phase half = new Phase(State.HALF_OPEN, 0, null, trialCalls);
                    transition(half, p);
                }
            }
            p = phase;
        }
    }

    /**
     * Admission when not closed, for a breaker with {@code waitForTrial}: waits (on {@link #changed})
     * until the call is admitted in a trial or closed phase, or throws the rejection once waiting
     * cannot help before the limit (the configured wait, the caller's deadline). A rejection is
     * counted once, when it is thrown.
     */
    private Phase admitWaiting(Phase p, ResilienceListener extra) throws InterruptedException {
        long start = now();
        long limit = saturatedAdd(start, waitForTrialNanos);
        Optional<Deadline> deadline = Deadline.current();
        if (deadline.isPresent()) {
            limit = Math.min(limit, saturatedAdd(start, Math.max(0, Support.nanos(deadline.get().remaining()))));
        }
        while (true) {
            Event signal = changed.get(); // read before the phase: a change after this read sets it
            p = phase;
            long now = now();
            switch (p.state) {
                case CLOSED -> {
                    return p;
                }
                case FORCED_OPEN -> throw reject(p, null, extra);
                case HALF_OPEN -> {
                    AtomicInteger permits = p.permits;
                    for (int left; (left = permits.get()) > 0; ) {
                        if (permits.compareAndSet(left, left - 1)) {
                            return p;
                        }
                    }
                }
                case OPEN -> {
                    if (p.openUntil - now <= 0) {
                        transition(new Phase(State.HALF_OPEN, 0, null, trialCalls), p);
                        continue;
                    }
                    if (p.openUntil - limit > 0) { // the trials start after the limit: no waiting in vain (at it is in time)
                        throw reject(p, Duration.ofNanos(p.openUntil - now), extra);
                    }
                }
            }
            long left = limit - now;
            if (left <= 0 || !enterWaiting()) {
                throw reject(p, p.state == State.OPEN ? Duration.ofNanos(Math.max(0, p.openUntil - now)) : null, extra);
            }
            try {
                signal.await(Duration.ofNanos(p.state == State.OPEN ? Math.min(left, p.openUntil - now) : left));
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    /** Counts one more waiter unless {@code maxWaiters} already wait. */
    private boolean enterWaiting() {
        for (int w; (w = waiting.get()) < maxWaiters; ) {
            if (waiting.compareAndSet(w, w + 1)) {
                return true;
            }
        }
        return false;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return b > 0 && r < a ? Long.MAX_VALUE : r;
    }

    /** Wakes the callers waiting for a trial (with waitForTrial): the phase changed or a trial permit came back. */
    private void signalWaiters() {
        if (waitForTrialNanos > 0) {
            changed.getAndSet(new Event()).set();
        }
    }

    private CircuitBreakerOpenException reject(Phase p, Duration retryAfter, ResilienceListener extra) {
        notPermitted.increment();
        CircuitBreakerOpenException e = new CircuitBreakerOpenException(name, p.state, retryAfter);
        if (extra != null || !listeners.isEmpty()) {
            Support.emit(listeners, extra, l -> l.onRejected(name, e));
        }
        return e;
    }

    private void onSuccess(Phase p, long start, ResilienceListener extra) {
        boolean slow = false;
        if (slowNanos > 0) {
            slow = now() - start >= slowNanos;
        }
        if (p.state == State.CLOSED && !slow) {
            successes.increment();
            CallWindow w = p.window;
            long now = windowNeedsTime ? now() : 0;
            w.recordCall(now);
            if (w.hasBad()) {
                evaluateClosed(p, now, extra);
            }
            return;
        }
        recordOutcome(p, Verdict.SUCCESS, slow, extra);
    }

    private void onFailedResult(Phase p, long start, ResilienceListener extra) {
        failedResults.increment();
        boolean slow = slowNanos > 0 && now() - start >= slowNanos;
        recordOutcome(p, Verdict.FAILURE, slow, extra);
    }

    private void onThrowable(Phase p, long start, Throwable t, ResilienceListener extra) {
        Verdict v = classify(t);
        boolean slow = v != Verdict.IGNORED && slowNanos > 0 && now() - start >= slowNanos;
        recordOutcome(p, v, slow, extra);
    }

    private void recordOutcome(Phase p, Verdict verdict, boolean slow, ResilienceListener extra) {
        switch (verdict) {
            case IGNORED -> {
                ignored.increment();
                if (p.state == State.HALF_OPEN && phase == p) {
                    p.permits.incrementAndGet();
                    signalWaiters();
                }
                return;
            }
            case SUCCESS -> successes.increment();
            case FAILURE -> failures.increment();
        }
        int kind = (verdict == Verdict.FAILURE ? CallWindow.FAILURE : 0) | (slow ? CallWindow.SLOW : 0);
        if (p.state == State.CLOSED) {
            long now = windowNeedsTime ? now() : 0;
            if (kind == 0) {
                p.window.recordCall(now);
                if (p.window.hasBad()) {
                    evaluateClosed(p, now, extra);
                }
                return;
            }
            Transition t;
            lock.lock();
            try {
                p.window.recordBad(now, kind);
                t = phase == p ? decideClosed(p, now) : null;
            } finally {
                lock.unlock();
            }
            announce(t, extra);
        } else if (p.state == State.HALF_OPEN) {
            Transition t = null;
            lock.lock();
            try {
                if (phase == p) {
                    p.trials++;
                    if ((kind & CallWindow.FAILURE) != 0) {
                        p.trialFailures++;
                    }
                    if ((kind & CallWindow.SLOW) != 0) {
                        p.trialSlows++;
                    }
                    t = decideHalfOpen(p);
                }
            } finally {
                lock.unlock();
            }
            announce(t, extra);
        }
    }

    private void evaluateClosed(Phase p, long now, ResilienceListener extra) {
        Transition t;
        lock.lock();
        try {
            t = phase == p ? decideClosed(p, now) : null;
        } finally {
            lock.unlock();
        }
        announce(t, extra);
    }

    /** Under lock, phase == p (CLOSED): opens if a threshold is reached. */
    private Transition decideClosed(Phase p, long now) {
        CallWindow w = p.window;
        w.prune(now);
        long buffered = w.buffered(now);
        if (buffered < minimumCalls || buffered == 0) {
            return null;
        }
        boolean trip = w.failures() * 100.0 / buffered >= failureRateThreshold
                || (slowNanos > 0 && w.slows() * 100.0 / buffered >= slowRateThreshold);
        return trip ? swap(openPhase(now())) : null; // 'now' is 0 for count windows: read the clock
    }

    /** Under lock, phase == p (HALF_OPEN): decides once the outcome is certain. */
    private Transition decideHalfOpen(Phase p) {
        boolean failuresCertain = p.trialFailures * 100.0 / trialCalls >= failureRateThreshold;
        boolean slowCertain = slowNanos > 0 && p.trialSlows * 100.0 / trialCalls >= slowRateThreshold;
        if (failuresCertain || slowCertain) {
            return swap(openPhase(now()));
        }
        if (p.trials >= trialCalls) {
            return swap(closedPhase());
        }
        return null;
    }

    private Phase openPhase(long now) {
        long until = now + waitInOpenNanos;
        if (waitInOpenNanos > 0 && until < now) {
            until = Long.MAX_VALUE; // saturate
        }
        return new Phase(State.OPEN, until, null, 0);
    }

    /** Under lock: installs {@code next}. */
    private Transition swap(Phase next) {
        State from = phase.state;
        phase = next;
        signalWaiters();
        return new Transition(from, next.state);
    }

    /** Installs {@code next} if the phase is still {@code expected} (null: unconditionally). */
    private void transition(Phase next, Phase expected) {
        Transition t = null;
        lock.lock();
        try {
            if (expected == null || phase == expected) {
                t = swap(next);
            }
        } finally {
            lock.unlock();
        }
        announce(t, null);
    }

    private void announce(Transition t, ResilienceListener extra) {
        if (t != null && (extra != null || !listeners.isEmpty())) {
            Support.emit(listeners, extra, l -> l.onStateChange(name, t.from(), t.to()));
        }
    }

    @Override
    public String toString() {
        return "CircuitBreaker[" + name + ", " + phase.state + "]";
    }

    /**
     * Configures a {@link CircuitBreaker}. Setters validate their argument at once; {@link #build()}
     * checks the combination. Every message names the option, the rule and the value.
     */
    public static final class Builder {
        private String name = "circuit-breaker";
        private int countWindow = 100;
        private Duration timeWindow;
        private int timeBuckets = 10;
        private Integer minimumCallsSet;
        private int minimumCalls = 20;
        private double failureRateThreshold = 50;
        private Duration slowCallDuration;
        private double slowCallRateThreshold = 100;
        private Duration waitInOpen = Duration.ofSeconds(60);
        private int trialCalls = 10;
        private Duration waitForTrial = Duration.ZERO;
        private int maxWaiters = Integer.MAX_VALUE;
        private Predicate<? super Throwable> recordFailure = t -> true;
        private Predicate<? super Throwable> ignore = t -> t instanceof BackPressure;
        private Predicate<Object> recordResult;
        private TimeSource clock;
        private final List<ResilienceListener> listeners = new ArrayList<>();

        private Builder() {
        }

        /**
         * The name in rejections and events (default {@code "circuit-breaker"}).
         *
         * @param name the name, not null
         * @return this builder
         */
        public Builder name(String name) {
            this.name = Objects.requireNonNull(name, "name must not be null");
            return this;
        }

        /**
         * A window over the last {@code size} calls (the default kind; default size 100).
         *
         * @param size how many of the latest calls the window holds
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder countWindow(int size) {
            this.countWindow = Support.atLeast("countWindow size", size, 1);
            this.timeWindow = null;
            return this;
        }

        /**
         * A window over the calls of the last {@code window}, kept in 10 buckets.
         *
         * @param window how far back the window reaches; must be positive
         * @return this builder
         * @throws IllegalArgumentException if {@code window} is not positive
         */
        public Builder timeWindow(Duration window) {
            return timeWindow(window, 10);
        }

        /**
         * A window over the calls of the last {@code window}, kept in {@code buckets} buckets (a call
         * leaves the window with its bucket).
         *
         * @param window how far back the window reaches
         * @param buckets how many buckets the window is kept in
         * @return this builder
         * @throws IllegalArgumentException if {@code window} is not positive or {@code buckets} is less than 1
         */
        public Builder timeWindow(Duration window, int buckets) {
            this.timeWindow = Support.positive("timeWindow", window);
            this.timeBuckets = Support.atLeast("timeWindow buckets", buckets, 1);
            return this;
        }

        /**
         * Calls the window must hold before rates count (default 20; the window's size if that is smaller).
         *
         * @param minimumCalls the fewest calls the window must hold before the breaker may open
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder minimumCalls(int minimumCalls) {
            this.minimumCallsSet = Support.atLeast("minimumCalls", minimumCalls, 1);
            return this;
        }

        /**
         * Opens at this failure rate, in percent, in (0, 100] (default 50).
         *
         * @param percent the failure rate that opens the breaker
         * @return this builder
         * @throws IllegalArgumentException if outside (0, 100]
         */
        public Builder failureRateThreshold(double percent) {
            this.failureRateThreshold = Support.percent("failureRateThreshold", percent);
            return this;
        }

        /**
         * Counts calls taking {@code duration} or longer as slow, and opens when slow calls reach
         * {@code ratePercent} of the window (default: slow calls are not measured).
         *
         * @param duration the shortest call counted as slow
         * @param ratePercent the slow-call rate that opens the breaker, in (0, 100]
         * @return this builder
         * @throws IllegalArgumentException if {@code duration} is not positive or the rate is outside (0, 100]
         */
        public Builder slowCalls(Duration duration, double ratePercent) {
            this.slowCallDuration = Support.positive("slow call duration", duration);
            this.slowCallRateThreshold = Support.percent("slowCallRateThreshold", ratePercent);
            return this;
        }

        /**
         * How long the breaker stays open before trial calls (default 60 s; zero: at the next call).
         *
         * @param wait how long to stay open before admitting trial calls
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder waitInOpen(Duration wait) {
            this.waitInOpen = Support.notNegative("waitInOpen", wait);
            return this;
        }

        /**
         * Trial calls admitted in half-open (default 10).
         *
         * @param n how many trial calls half-open admits
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder trialCalls(int n) {
            this.trialCalls = Support.atLeast("trialCalls", n, 1);
            return this;
        }

        /**
         * How long a call the breaker would refuse (open, or half-open with every trial taken) waits
         * for a trial period instead, bounded also by the caller's {@link Deadline#current()}
         * (default zero: refused at once). See "Waiting for the trial" in the class documentation.
         * {@link CircuitBreaker#tryAcquirePermission()} never waits.
         *
         * @param maxWait the longest wait; zero to refuse at once
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder waitForTrial(Duration maxWait) {
            this.waitForTrial = Support.notNegative("waitForTrial", maxWait);
            this.maxWaiters = Integer.MAX_VALUE;
            return this;
        }

        /**
         * As {@link #waitForTrial(Duration)}, with at most {@code maxWaiters} callers waiting at once;
         * a call that finds that many waiting is refused at once. For callers that hold something
         * scarce while they wait (a bulk fetcher's concurrency slot): a dependency that stays down
         * then ties up at most {@code maxWaiters} of them.
         *
         * @param maxWait the longest wait; zero to refuse at once
         * @param maxWaiters the most callers waiting at once, at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code maxWait} is negative or {@code maxWaiters} is less than 1
         */
        public Builder waitForTrial(Duration maxWait, int maxWaiters) {
            this.waitForTrial = Support.notNegative("waitForTrial", maxWait);
            this.maxWaiters = Support.atLeast("waitForTrial maxWaiters", maxWaiters, 1);
            return this;
        }

        /**
         * Exceptions matching count as failures (default: all); others count as successes.
         *
         * @param predicate tells whether an exception counts as a failure
         * @return this builder
         */
        public Builder recordFailure(Predicate<? super Throwable> predicate) {
            this.recordFailure = Objects.requireNonNull(predicate, "recordFailure predicate must not be null");
            return this;
        }

        /**
         * Results matching count as failures (default: none; every normal return is a success), for a
         * dependency that reports failure in its result, such as an HTTP status. The predicate runs on
         * the caller's thread after the call, with no lock held; if it throws, the call is not counted
         * (a half-open trial permit goes back) and the exception propagates.
         *
         * @param predicate true for a result that is a failure; receives null results too
         * @return this builder
         */
        public Builder recordResult(Predicate<Object> predicate) {
            this.recordResult = Objects.requireNonNull(predicate, "recordResult predicate must not be null");
            return this;
        }

        /**
         * Exceptions of these types count as neither success nor failure.
         *
         * @param types the exception types to ignore (subclasses included)
         * @return this builder
         */
        @SafeVarargs
        @SuppressWarnings("varargs") // the array is only read, through List.of
        public final Builder ignore(Class<? extends Throwable>... types) {
            List<Class<? extends Throwable>> list = List.of(types);
            Predicate<? super Throwable> before = ignore;
            this.ignore = t -> before.test(t) || list.stream().anyMatch(c -> c.isInstance(t));
            return this;
        }

        /**
         * The clock (default: the caller's {@link TimeSource#current()}, so virtual time in tests).
         *
         * @param clock the time source for the windows and the wait in open
         * @return this builder
         */
        public Builder clock(TimeSource clock) {
            this.clock = Objects.requireNonNull(clock, "clock must not be null");
            return this;
        }

        /**
         * Adds a listener for state changes and rejections.
         *
         * @param listener told of state changes and rejections; its exception is logged, never thrown
         * @return this builder
         */
        public Builder listener(ResilienceListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
            return this;
        }

        /**
         * The breaker, closed.
         *
         * @return a new, closed breaker with this configuration
         * @throws IllegalArgumentException if {@code minimumCalls} was set above the count window's size
         */
        public CircuitBreaker build() {
            if (minimumCallsSet != null) {
                if (timeWindow == null && minimumCallsSet > countWindow) {
                    throw new IllegalArgumentException("minimumCalls (" + minimumCallsSet
                            + ") must be <= the countWindow size (" + countWindow + "): the breaker could never open");
                }
                minimumCalls = minimumCallsSet;
            } else {
                minimumCalls = timeWindow == null ? Math.min(20, countWindow) : 20;
            }
            return new CircuitBreaker(this);
        }
    }
}
