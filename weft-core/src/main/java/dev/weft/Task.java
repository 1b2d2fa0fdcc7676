package dev.weft;

import dev.weft.internal.GroupScope;
import dev.weft.internal.Latch;
import dev.weft.internal.Scope;
import dev.weft.internal.TaskCounters;
import dev.weft.internal.ThreadState;
import dev.weft.internal.debug.DebugHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

/**
 * A unit of concurrent work: one virtual thread, owned by the {@link TaskGroup} it was spawned
 * into. asyncio's {@code Task}, Trio's child task.
 *
 * <h2>States</h2> {@link State#RUNNING} until the work returns or throws, then one of
 * {@link State#SUCCESS}, {@link State#FAILED}, {@link State#CANCELLED} for good (see {@link Outcome}).
 *
 * <h2>Cancellation</h2> {@link #cancel()} interrupts the task's thread (and every task it spawned
 * into groups inside it); the task ends {@code CANCELLED} if it then ends by that interruption. A task
 * that catches the interrupt and returns a value ends {@code SUCCESS}; one that throws something
 * else ends {@code FAILED}: errors raised during cancellation are never dropped.
 *
 * <h2>Thread safety</h2> All methods may be called from any thread. Joining happens-after
 * everything the task did.
 *
 * @param <T> the type of the task's value
 */
public final class Task<T> {
    /** The lifecycle of a task. */
    public enum State {
        /** Not ended yet. */
        RUNNING,
        /** Returned a value (see {@link Outcome.Success}). */
        SUCCESS,
        /** Threw an exception other than its own cancellation (see {@link Outcome.Failure}). */
        FAILED,
        /** Ended by its cancellation (see {@link Outcome.Cancelled}). */
        CANCELLED
    }

    private final TaskGroup group;
    private final int index;
    private final String givenName;
    // dropped once the task has ended, so a finished task retains only its outcome (not its thread,
    // stack, scope or callable): callers often keep a million finished tasks until they read them
    private Callable<? extends T> work;
    Scope scope;
    ThreadState state;
    private final Latch done = new Latch();
    private volatile Outcome<T> outcome;
    private volatile boolean observed;
    private volatile UnreadFailures.Watch unread; // set when a failure is watched (supervisor groups)
    private List<Runnable> callbacks; // guarded by this; null once done
    /** Debug mode only: the registry's token for this task (null when debug mode is off). */
    private final Object debug;

    Task(TaskGroup group, int index, String name, Callable<? extends T> work, ThreadState state) {
        this.group = group;
        this.index = index;
        this.givenName = name;
        this.work = work;
        this.state = state;
        this.scope = new TaskScope(group.scope(), state, this);
        this.debug = DebugHooks.ON ? DebugHooks.taskSpawned(this, scope, state.thread, group.name()) : null;
    }

    /**
     * The task's node of the cancellation tree, which is also what its thread runs (one object where a
     * holder, a lambda and an anonymous scope were). It lets go of the task once the task has ended:
     * the group's list of task scopes may keep an ended scope until its next sweep.
     */
    static final class TaskScope extends Scope implements Runnable {
        private Task<?> task; // written by the task's own thread once it has ended
        private final GroupScope group;
        private final String givenName;
        private final int index;

        TaskScope(GroupScope group, ThreadState state, Task<?> task) {
            super(group, null, state, group.clock);
            this.task = task;
            this.group = group;
            this.givenName = task.givenName;
            this.index = task.index;
        }

        @Override
        public void run() {
            task.runBound();
        }

        @Override
        public String toString() {
            return "task '" + (givenName != null ? givenName : group.groupName() + "-" + index) + "'";
        }
    }

    /**
     * The task's name: the one given to spawn, or the group's name and a number.
     *
     * @return the task's name, never null
     */
    public String name() {
        return givenName != null ? givenName : group.name() + "-" + index;
    }

    /**
     * Where the task is in its lifecycle. Once it has ended, this counts as reading its outcome.
     *
     * @return the current state; {@link State#RUNNING} until the task has ended
     */
    public State state() {
        State st = stateNow();
        if (st != State.RUNNING) {
            markObserved();
        }
        return st;
    }

    private State stateNow() {
        return switch (outcome) {
            case null -> State.RUNNING;
            case Outcome.Success<T> s -> State.SUCCESS;
            case Outcome.Failure<T> f -> State.FAILED;
            case Outcome.Cancelled<T> c -> State.CANCELLED;
        };
    }

    /**
     * Whether the task has ended.
     *
     * @return {@code true} once the task has ended, in any way
     */
    public boolean isDone() {
        return outcome != null;
    }

    /**
     * Requests cancellation: interrupts the task's thread. Returns whether this call had any effect
     * (false if the task had already ended or was already cancelled).
     *
     * @return {@code true} if this call requested the cancellation, {@code false} if the task had ended
     *     or was already cancelled
     */
    public boolean cancel() {
        Scope s = scope;
        if (outcome != null || s == null) {
            return false;
        }
        return s.cancel(Scope.EXPLICIT);
    }

    /**
     * Waits for the task and returns its value.
     *
     * @return the task's value (possibly null)
     * @throws TaskFailedException if the task failed (its exception is the cause)
     * @throws CancellationException if the task was cancelled
     * @throws InterruptedException if the caller is cancelled or interrupted while waiting (the task
     *     goes on; it belongs to its group)
     */
    public T join() throws InterruptedException {
        return outcome().getOrThrow();
    }

    /**
     * Waits for the task and returns how it ended; throws only if the caller is cancelled while waiting.
     *
     * @return the task's outcome: success, failure or cancellation
     * @throws InterruptedException if the caller is cancelled or interrupted while waiting (the task
     *     goes on; it belongs to its group)
     */
    public Outcome<T> outcome() throws InterruptedException {
        if (DebugHooks.ON) {
            return outcomeDebug();
        }
        done.await();
        markObserved();
        return outcome;
    }

    private Outcome<T> outcomeDebug() throws InterruptedException {
        String prev = DebugHooks.beginWait("join task '" + name() + "'");
        try {
            done.await();
        } finally {
            DebugHooks.endWait(prev);
        }
        markObserved();
        return outcome;
    }

    /**
     * How the task ended, or empty while it runs. Does not wait.
     *
     * @return the outcome, or empty while the task runs
     */
    public Optional<Outcome<T>> outcomeNow() {
        Outcome<T> o = outcome;
        if (o != null) {
            markObserved();
        }
        return Optional.ofNullable(o);
    }

    private void markObserved() {
        observed = true;
        if (DebugHooks.ON) {
            DebugHooks.observed(debug);
        }
        UnreadFailures.Watch w = unread;
        if (w != null) {
            w.markRead();
        }
    }

    /** Reports this failed task if it is garbage-collected before anyone read its outcome. */
    void watchUnread(String groupName, Throwable error) {
        UnreadFailures.Watch w = UnreadFailures.watch(this, groupName, error);
        unread = w;
        if (observed) {
            w.markRead(); // read in the meantime
        }
    }

    /**
     * The group that owns this task.
     *
     * @return the group the task was spawned into
     */
    public TaskGroup group() {
        return group;
    }

    boolean observed() {
        return observed;
    }

    /** Threads waiting in join/outcome now, plus given-up waiters not yet unlinked (for tests). */
    int joinWaiters() {
        return done.linkedWaiters();
    }

    /** Runs {@code r} once the task is done (at once if it is); r must be short and must not throw. */
    void whenDone(Runnable r) {
        synchronized (this) {
            if (callbacks != null || outcome == null) {
                if (callbacks == null) {
                    callbacks = new ArrayList<>(2);
                }
                callbacks.add(r);
                return;
            }
        }
        r.run();
    }

    /** Debug mode: the registry forgets a task whose thread could not be started. */
    void startFailed() {
        if (DebugHooks.ON) {
            DebugHooks.taskStartFailed(scope);
        }
    }

    /** The body of the task's thread (through its {@link TaskScope}, bound to its {@link ThreadState}). */
    private void runBound() {
        Outcome<T> o = null;
        Throwable fatal = null;
        try {
            state.push(scope);
            try {
                o = new Outcome.Success<>(work.call());
            } catch (Throwable e) {
                if (e instanceof VirtualMachineError) {
                    fatal = e;
                    o = new Outcome.Failure<>(e);
                } else if (Weft.isCancellation(e) && Scope.firstCancelledNow(scope) != null) {
                    o = new Outcome.Cancelled<>();
                } else {
                    o = new Outcome.Failure<>(e);
                }
            }
            if (state.top() != scope) {
                state.unwindTo(scope);
                IllegalStateException leak = new IllegalStateException("task '" + name()
                        + "' returned with a CancelScope or TaskGroup it opened still open: close every scope you open"
                        + " (try-with-resources), or use the lambda forms");
                if (o instanceof Outcome.Failure<T> f) {
                    leak.addSuppressed(f.error());
                }
                o = new Outcome.Failure<>(leak);
            } else {
                state.pop(scope);
            }
        } catch (Throwable unexpected) { // Weft's own bookkeeping failed: still end the task, never hang the group
            o = new Outcome.Failure<>(unexpected);
        }
        complete(o, fatal);
    }

    private void complete(Outcome<T> o, Throwable fatal) {
        (o instanceof Outcome.Success<T> ? TaskCounters.SUCCEEDED
                : o instanceof Outcome.Failure<T> ? TaskCounters.FAILED : TaskCounters.CANCELLED).increment();
        if (DebugHooks.ON) {
            DebugHooks.taskEnded(debug, scope, o, group.failuresUnread());
        }
        group.taskEnding(this, o, fatal);
        List<Runnable> cbs;
        synchronized (this) {
            outcome = o;
            cbs = callbacks;
            callbacks = null;
        }
        done.open();
        if (cbs != null) {
            for (Runnable r : cbs) {
                r.run();
            }
        }
        work = null;
        state = null;
        ((TaskScope) scope).task = null;
        scope = null;
        group.taskEnded(this);
    }

    @Override
    public String toString() {
        return "Task[" + name() + ", " + stateNow() + "]";
    }
}
