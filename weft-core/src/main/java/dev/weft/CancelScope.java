package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.Scope;
import dev.weft.internal.ThreadState;
import dev.weft.internal.debug.DebugHooks;
import dev.weft.internal.TimerEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * A region of code that can be cancelled, explicitly or by a deadline: Trio's {@code CancelScope},
 * asyncio's {@code timeout()} context.
 *
 * {@snippet :
 * CancelScope scope = CancelScope.after(Duration.ofSeconds(2));
 * Optional<Page> page = scope.run(s -> {
 *     Page p = fetch(url);
 *     s.rescheduleAfter(Duration.ofSeconds(1)); // more time for the rest
 *     return p;
 * });
 * if (scope.cancelledCaught()) { ... }
 * }
 *
 * <h2>States</h2> New (configured), active (entered by exactly one of {@link #run}, {@link #call}
 * or {@link #open}), finished. A scope is entered at most once.
 *
 * <h2>Deadlines</h2> A relative timeout is turned into a deadline when the scope is entered. A
 * deadline that has already passed (a zero or negative timeout) cancels the scope on entry: the
 * first blocking call inside fails. A timeout too large to represent means "no deadline". The
 * deadline fires by interrupting the thread running the body (and every task spawned inside it),
 * so any interruptible JDK call, and every Weft wait, observes it; the scope converts the
 * cancellation into its result only at its boundary.
 *
 * <h2>Exception handling</h2> At the boundary, when the body ended by an interruption or
 * cancellation ({@code InterruptedException}, {@code InterruptedIOException} other than socket
 * timeouts, {@code ClosedByInterruptException}, {@code CancellationException}, or an exception
 * caused by one):
 * <ul>
 *   <li>if an enclosing scope (up to the nearest shield) is cancelled, the exception passes through
 *       unchanged: an outer cancellation always wins, and when several nested deadlines passed, the
 *       outermost expired scope is the one that converts;</li>
 *   <li>else, if this scope was cancelled, it is caught: {@link #run} returns an empty
 *       {@code Optional}; {@link #call} throws {@link DeadlineExceededException} (deadline) or
 *       {@link CancellationException} ({@link #cancel()}), with the original as cause;</li>
 *   <li>else (an interrupt Weft did not cause) it passes through.</li>
 * </ul>
 * Any other exception passes through unchanged; if the deadline had fired, a
 * {@code DeadlineExceededException} is attached to it as suppressed (the body's cleanup error wins
 * over the timeout). A body that swallows the cancellation and returns a value returns that value.
 *
 * <h2>Interrupt behaviour</h2> When the scope ends, the interrupt it caused is retracted, so the
 * thread's next blocking call is not interrupted; an interrupt caused by an enclosing cancellation,
 * or by code outside Weft, is left in place. Inside a cancelled scope every Weft blocking operation
 * fails again at once, even if user code cleared the interrupt flag (level-triggered).
 *
 * <h2>Shielding</h2> A shielded scope ignores cancellation from outside (its body, and tasks spawned
 * in it, are not interrupted by it and {@link Deadline#current()} ignores outer deadlines) but still
 * obeys its own deadline and {@link #cancel()}.
 *
 * <h2>Thread safety</h2> {@link #cancel()}, {@link #reschedule}, and the queries may be called from
 * any thread; entering and leaving happen on the thread that runs the body.
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="cancel-scope"}
 */
public final class CancelScope implements AutoCloseable {
    private static final int NEW = 0;
    private static final int ACTIVE = 1;
    private static final int DONE = 2;

    private enum Mode { MOVE_ON, FAIL }

    // configuration, before entry (guarded by this)
    private long relativeNanos;
    private Instant absolute;
    private boolean relative;
    private volatile boolean shield;
    private volatile boolean cancelCalled;
    // runtime
    private volatile int state = NEW;
    private Scope scope;
    private Clock clock;
    private TimerEntry timer; // guarded by this
    private long enteredAt;
    private volatile boolean cancelledCaught;
    private volatile boolean expired;
    private final Object label; // a String, or the Duration / Instant the label is made of (built lazily)

    private CancelScope(Object label) {
        this.label = label;
    }

    private String label() {
        return label instanceof Duration d ? "CancelScope(after " + d + ")"
                : label instanceof Instant i ? "CancelScope(at " + i + ")" : (String) label;
    }

    /**
     * A scope with no deadline (it ends by {@link #cancel()} or not at all).
     *
     * @return a new, unentered scope without a deadline
     */
    public static CancelScope create() {
        return new CancelScope("CancelScope");
    }

    /**
     * A scope whose deadline is {@code timeout} after it is entered.
     *
     * @param timeout how long the body may run, counted from entry; zero or negative cancels the scope
     *     on entry, a value too large to represent means no deadline
     * @return a new, unentered scope
     * @throws NullPointerException if {@code timeout} is null (use {@link #create()} for no deadline)
     */
    public static CancelScope after(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null; use CancelScope.create() for a scope without a deadline");
        CancelScope s = new CancelScope(timeout);
        s.relative = true;
        s.relativeNanos = VirtualTime.saturatedNanos(timeout);
        return s;
    }

    /**
     * A scope with an absolute deadline on the time source in force when it is entered.
     *
     * @param deadline the instant at which the scope is cancelled, read on the time source in force at
     *     entry; an instant already past cancels the scope on entry
     * @return a new, unentered scope
     * @throws NullPointerException if {@code deadline} is null (use {@link #create()} for no deadline)
     */
    public static CancelScope at(Instant deadline) {
        Objects.requireNonNull(deadline, "deadline must not be null; use CancelScope.create() for a scope without a deadline");
        CancelScope s = new CancelScope(deadline);
        s.absolute = deadline;
        return s;
    }

    /**
     * Makes this scope shielded from outside cancellation; returns this.
     *
     * @return this scope, for chaining
     */
    public CancelScope shielded() {
        setShield(true);
        return this;
    }

    /**
     * Turns shielding on or off, also while the scope is active (an outer cancellation pending then reaches the body).
     *
     * @param on {@code true} to ignore cancellation from enclosing scopes, {@code false} to let it in
     */
    public void setShield(boolean on) {
        shield = on;
        Scope s;
        synchronized (this) {
            s = state == ACTIVE ? scope : null;
        }
        if (s != null) {
            s.shielded = on;
            s.owner.redeliver();
        }
    }

    /**
     * Whether this scope ignores cancellation from enclosing scopes (see {@link #shielded()}).
     * @return {@code true} if shielded
     */
    public boolean isShielded() {
        return shield;
    }

    /**
     * Runs {@code body} in this scope; returns its value, or empty if this scope's cancellation (its
     * deadline or {@link #cancel()}) stopped it. A body that returns null also gives empty: use
     * {@link #cancelledCaught()} to tell the two apart.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param body the code to run; it runs on the calling thread
     * @return the body's value, or empty if this scope's own cancellation cut it short (or the body
     *     returned null)
     * @throws E what the body throws, unchanged, apart from this scope's own cancellation
     */
    public <T, E extends Exception> Optional<T> run(Work<T, E> body) throws E {
        Objects.requireNonNull(body, "body");
        return Optional.ofNullable(execute(Mode.MOVE_ON, body, null));
    }

    /**
     * As {@link #run(Work)}, with the body receiving this scope.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param body the code to run, given this scope (to reschedule or cancel it from inside)
     * @return the body's value, or empty if this scope's own cancellation cut it short (or the body
     *     returned null)
     * @throws E what the body throws, unchanged, apart from this scope's own cancellation
     */
    public <T, E extends Exception> Optional<T> run(ScopedWork<T, E> body) throws E {
        Objects.requireNonNull(body, "body");
        return Optional.ofNullable(execute(Mode.MOVE_ON, null, body));
    }

    /**
     * Runs {@code body} in this scope and returns its value.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param body the code to run; it runs on the calling thread
     * @return the body's value (null if the body returned null)
     * @throws DeadlineExceededException if this scope's deadline stopped the body
     * @throws CancellationException if {@link #cancel()} stopped the body
     * @throws E what the body throws, unchanged, apart from this scope's own cancellation
     */
    public <T, E extends Exception> T call(Work<T, E> body) throws E {
        Objects.requireNonNull(body, "body");
        return execute(Mode.FAIL, body, null);
    }

    /**
     * As {@link #call(Work)}, with the body receiving this scope.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param body the code to run, given this scope (to reschedule or cancel it from inside)
     * @return the body's value (null if the body returned null)
     * @throws E what the body throws, unchanged, apart from this scope's own cancellation
     */
    public <T, E extends Exception> T call(ScopedWork<T, E> body) throws E {
        Objects.requireNonNull(body, "body");
        return execute(Mode.FAIL, null, body);
    }

    /**
     * Enters this scope for a try-with-resources block; {@link #close()} leaves it. In this form
     * nothing is converted: an interruption caused by this scope propagates as it is (Java cannot
     * let {@code close()} replace the block's exception). Meant for shields and cancellation
     * containers; use {@link #run} or {@link #call} for timeouts.
     *
     * @return this scope, now active on the calling thread; close it on the same thread
     */
    public CancelScope open() {
        enter();
        return this;
    }

    /** Leaves a scope entered with {@link #open()}; retracts the interrupt it caused. */
    @Override
    public void close() {
        if (state != ACTIVE) {
            return;
        }
        leave();
    }

    @SuppressWarnings("unchecked")
    private <T, E extends Exception> T execute(Mode mode, Work<T, E> work, ScopedWork<T, E> scoped) throws E {
        enter();
        T value;
        try {
            value = work != null ? work.call() : scoped.call(this);
        } catch (Throwable t) {
            Throwable toThrow = exitWith(mode, t);
            if (toThrow == null) {
                return null; // caught our own cancellation: move on
            }
            throw (E) toThrow;
        }
        leave();
        return value;
    }

    private void enter() {
        ThreadState st = ThreadState.current();
        Clock c = st.clock();
        Scope s = new Scope(st, c) {
            @Override
            public String toString() {
                return label();
            }
        };
        synchronized (this) {
            if (state != NEW) {
                throw new IllegalStateException(state == ACTIVE
                        ? "this CancelScope is already active: a scope can be entered only once"
                        : "this CancelScope has already been used: create a new one for each block");
            }
            long now = c.nanoTime();
            long d = Clock.NONE;
            if (relative) {
                d = Clock.plus(now, relativeNanos);
            } else if (absolute != null) {
                d = c.toNanos(absolute);
            }
            s.shielded = shield;
            s.deadline = d;
            if (cancelCalled) {
                s.markCancelled(Scope.EXPLICIT);
            }
            if (d != Clock.NONE && d - now <= 0) {
                s.markCancelled(Scope.DEADLINE);
            }
            clock = c;
            enteredAt = now;
            scope = s;
            state = ACTIVE;
        }
        st.push(s);
        if (DebugHooks.ON) {
            DebugHooks.scopeEntered(s);
        }
        synchronized (this) {
            long d = s.deadline;
            if (d != Clock.NONE && !s.isCancelled()) {
                timer = c.schedule(d, s::expire);
            }
        }
    }

    /** Normal exit (and open/close exit): cancel the timer, pop. */
    private void leave() {
        Scope s = scope;
        stopTimer();
        if (s.cancelReason() == Scope.DEADLINE) {
            expired = true;
        }
        if (DebugHooks.ON) {
            DebugHooks.scopeExited(s);
        }
        s.owner.pop(s);
        state = DONE;
    }

    private synchronized void stopTimer() {
        if (timer != null) {
            clock.cancel(timer);
            timer = null;
        }
    }

    /** Exit with an exception: returns what to throw (or null for "caught, no value"). */
    private Throwable exitWith(Mode mode, Throwable error) {
        Scope s = scope;
        stopTimer();
        boolean signal = Weft.isCancellation(error);
        long now = clock.nanoTime();
        if (!s.isCancelled() && s.deadline != Clock.NONE && s.deadline - now <= 0) {
            s.markCancelled(Scope.DEADLINE); // the timer had not fired yet
        }
        boolean outer = !s.shielded && s.parent != null && Scope.firstCancelledNow(s.parent) != null;
        int reason = s.cancelReason();
        if (reason == Scope.DEADLINE) {
            expired = true;
        }
        if (DebugHooks.ON) {
            DebugHooks.scopeExited(s);
        }
        s.owner.pop(s);
        state = DONE;
        if (signal) {
            if (outer || reason == Scope.NOT_CANCELLED) {
                return error;
            }
            cancelledCaught = true;
            if (mode == Mode.MOVE_ON) {
                return null;
            }
            if (mode == Mode.FAIL) {
                return reason == Scope.DEADLINE ? timeoutException(now, error) : cancelledException(error);
            }
            return error;
        }
        if (mode == Mode.FAIL && reason == Scope.DEADLINE && !outer) {
            error.addSuppressed(timeoutException(now, null));
        }
        return error;
    }

    private DeadlineExceededException timeoutException(long now, Throwable cause) {
        return new DeadlineExceededException("the block", clock.toInstant(scope.deadline),
                Duration.ofNanos(now - enteredAt), cause);
    }

    private static CancellationException cancelledException(Throwable cause) {
        CancellationException e = new CancellationException("the block was cancelled by CancelScope.cancel()");
        e.initCause(cause);
        return e;
    }

    /** Cancels this scope: the body and every task spawned in it. Before entry, it is cancelled on entry. */
    public void cancel() {
        cancelCalled = true;
        Scope s;
        synchronized (this) {
            s = state == ACTIVE ? scope : null;
        }
        if (s != null) {
            s.cancel(Scope.EXPLICIT);
        }
    }

    /**
     * Moves the deadline to {@code deadline} (null: no deadline). Moving it into the past cancels
     * the scope now; a scope already cancelled stays cancelled.
     *
     * @param deadline the new deadline, or null for none
     * @throws IllegalStateException if the scope has finished
     */
    public void reschedule(Instant deadline) {
        synchronized (this) {
            if (state == DONE) {
                throw new IllegalStateException(expired
                        ? "cannot reschedule a CancelScope that has expired: its deadline passed and the block ended"
                        : "cannot reschedule a CancelScope that has finished: its block already ended");
            }
            if (state == NEW) {
                relative = false;
                absolute = deadline;
                return;
            }
            setActiveDeadline(deadline == null ? Clock.NONE : clock.toNanos(deadline));
        }
    }

    /**
     * Moves the deadline to {@code timeout} from now; see {@link #reschedule(Instant)}.
     *
     * @param timeout the new deadline, counted from now on the scope's time source
     */
    public void rescheduleAfter(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout must not be null; use clearDeadline() to remove the deadline");
        synchronized (this) {
            if (state == NEW) {
                relative = true;
                absolute = null;
                relativeNanos = VirtualTime.saturatedNanos(timeout);
                return;
            }
            if (state == DONE) {
                reschedule(null); // throws with the right words
            }
            setActiveDeadline(Clock.plus(clock.nanoTime(), VirtualTime.saturatedNanos(timeout)));
        }
    }

    /** Removes the deadline. */
    public void clearDeadline() {
        reschedule(null);
    }

    private void setActiveDeadline(long d) { // holds this
        Scope s = scope;
        if (timer != null) {
            clock.cancel(timer);
            timer = null;
        }
        s.deadline = d;
        if (d == Clock.NONE || s.isCancelled()) {
            return;
        }
        if (d - clock.nanoTime() <= 0) {
            s.cancel(Scope.DEADLINE);
        } else {
            timer = clock.schedule(d, s::expire);
        }
    }

    /**
     * The deadline as an instant, if there is one.
     *
     * @return the deadline, or empty if the scope has none
     */
    public Optional<Instant> deadline() {
        synchronized (this) {
            if (state == NEW) {
                if (absolute != null) {
                    return Optional.of(absolute);
                }
                if (relative) {
                    Clock c = ThreadState.current().clock();
                    long d = Clock.plus(c.nanoTime(), relativeNanos);
                    return d == Clock.NONE ? Optional.empty() : Optional.of(c.toInstant(d));
                }
                return Optional.empty();
            }
            long d = scope.deadline;
            return d == Clock.NONE ? Optional.empty() : Optional.of(clock.toInstant(d));
        }
    }

    /**
     * Whether {@link #cancel()} was called or the deadline passed.
     *
     * @return {@code true} once {@link #cancel()} was called or the deadline passed, even if the body
     *     finished first
     */
    public boolean cancelCalled() {
        Scope s = scope;
        return cancelCalled || (s != null && s.isCancelled()) || expired;
    }

    /**
     * Whether this scope caught its own cancellation at its boundary (the body was cut short).
     *
     * @return {@code true} if the body was cut short by this scope's own cancellation and the scope
     *     converted it
     */
    public boolean cancelledCaught() {
        return cancelledCaught;
    }

    @Override
    public String toString() {
        return label() + (state == NEW ? " [new]" : state == ACTIVE ? " [active]" : " [finished]");
    }
}
