package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.GroupScope;
import dev.weft.internal.Latch;
import dev.weft.internal.Scope;
import dev.weft.internal.TaskCounters;
import dev.weft.internal.ThreadState;
import dev.weft.internal.debug.DebugHooks;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A nursery: owns the tasks spawned into it and does not end until every one of them has ended.
 * asyncio's {@code TaskGroup}, Trio's nursery.
 *
 * {@snippet :
 * List<String> pages = TaskGroup.run(group -> {
 *     Task<String> a = group.spawn(() -> fetch("a"));
 *     Task<String> b = group.spawn(() -> fetch("b"));
 *     return List.of(a.join(), b.join());
 * });
 * }
 *
 * <h2>Failure</h2> In a default group the first failure of a task (or of the body) cancels the
 * group: every other task and the body. The group then waits for all of them and throws one
 * {@link TaskGroupException} carrying every failure (the first as cause, all in
 * {@link TaskGroupException#failures()} and as suppressed). Cancellations are never failures.
 * A fatal JVM error ({@link VirtualMachineError}) is not aggregated: once the other tasks have been
 * cancelled and joined it propagates as it is. A {@linkplain #supervisor() supervisor} group cancels
 * nothing: each task's {@link Task#outcome()} says how it ended, and a failure nobody read is
 * logged as a WARNING when its task is garbage-collected (asyncio's "exception was never
 * retrieved"): reading the outcome in any way ({@code outcome()}, {@code join()},
 * {@code outcomeNow()}, {@code state()}), also after the group has closed, counts as reading it.
 *
 * <h2>Two forms</h2> {@link #run(GroupWork)} (preferred) runs the body and sees its exception, so a
 * body failure cancels the tasks and becomes one of the group's failures. The try-with-resources
 * form, {@code try (var g = TaskGroup.open()) { ... }}, waits for every task in {@link #close()};
 * Java gives {@code close()} no way to see the block's exception, so (1) a block that throws does
 * not cancel the tasks (cancel the group yourself, or use {@code run}), and (2) when a task failure
 * cancels the block, the block's {@code InterruptedException} propagates with the
 * {@code TaskGroupException} attached as suppressed. {@link #join()} waits inside the block.
 *
 * <h2>Spawning</h2> Any thread holding the group may spawn into it, also while the group waits for
 * its tasks; spawning into a group that is failing, or that has closed, throws
 * {@link IllegalStateException} and the work never runs.
 *
 * <h2>Context</h2> A task runs with a snapshot of its spawner's context taken in {@code spawn}: its
 * {@link Deadline#current()} and cancellation always, and whatever is registered with
 * {@link ContextPropagation} ({@code ScopedValue} keys, thread-locals such as the logging MDC or an
 * OpenTelemetry span). Changes a task makes never reach its spawner or its siblings.
 *
 * <h2>Interrupt behaviour</h2> A group that fails because of a task retracts its cancellation of
 * the body completely: after catching the group's exception the thread's next blocking call is not
 * interrupted. A cancellation that came from outside (the task running the body was cancelled, an
 * enclosing scope was cancelled) is never swallowed: {@code run} and {@code join} then throw
 * {@code InterruptedException}, or the group's exception if it has failures, and the interrupt flag
 * stays set. An interruption from outside Weft (the body's thread was interrupted directly, for
 * example a platform thread's {@link Thread#interrupt()}, and the body ended with the
 * {@code InterruptedException}) is the caller's cancellation too, never a failure of the group:
 * {@code run} cancels the tasks, joins them, and throws that {@code InterruptedException} (or the
 * group's exception if a task had failed first). The same holds when the interrupt arrives while
 * {@code run} waits for the tasks after the body returned: the tasks are cancelled and joined, and
 * {@code run} throws {@code InterruptedException}.
 *
 * <h2>Thread safety</h2> {@link #spawn}, {@link #cancel()} and the queries may be called from any
 * thread; the group is entered by {@link #open()} and left by {@link #close()} on the same thread.
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="task-group"}
 */
public final class TaskGroup implements AutoCloseable {
    private static final AtomicLong GROUP_SEQ = new AtomicLong();
    private static final ThreadFactory VIRTUAL = Thread.ofVirtual().factory();
    private static final int OPEN = 0;
    private static final int JOINED = 1;
    private static final int CLOSED = 2;

    private final String name;
    private final boolean supervisor;
    private final GroupScope scope;
    private final ThreadState owner;
    private final Clock clock;
    /** The body plus every live task; reaching zero ends the group for good. */
    private final AtomicInteger members = new AtomicInteger(1);
    private final AtomicInteger taskSeq = new AtomicInteger();
    private final Latch allDone = new Latch();
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private volatile Throwable fatal;
    private volatile String failingBecause;
    private volatile int phase = OPEN;
    private volatile boolean bodyDone;
    /** False for Weft's own helpers that hand every outcome back to the caller. */
    private boolean reportUnobservedFailures = true;

    private TaskGroup(String name, boolean supervisor) {
        this.name = name;
        this.supervisor = supervisor;
        this.owner = ThreadState.current();
        this.clock = owner.clock();
        this.scope = new GroupScope(owner, clock, name);
        owner.push(scope);
        if (DebugHooks.ON) {
            DebugHooks.groupOpened(scope, name);
        }
    }

    /**
     * Opens a fail-fast group on the calling thread, for try-with-resources.
     *
     * @return the open group; close it on the same thread
     */
    public static TaskGroup open() {
        return new TaskGroup("group-" + GROUP_SEQ.incrementAndGet(), false);
    }

    /**
     * As {@link #open()}, with a name for its tasks and messages.
     *
     * @param name the group's name, used in task names and messages
     * @return the open group; close it on the same thread
     */
    public static TaskGroup open(String name) {
        return new TaskGroup(Objects.requireNonNull(name, "name"), false);
    }

    /**
     * Opens a supervisor group: failures cancel nothing and are handed back as outcomes.
     *
     * @return the open supervisor group; close it on the same thread
     */
    public static TaskGroup supervisor() {
        return new TaskGroup("supervisor-" + GROUP_SEQ.incrementAndGet(), true);
    }

    /**
     * Runs {@code body} in a new fail-fast group and returns its value once every task has ended.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param body the block that spawns the tasks; it runs on the calling thread
     * @return the body's value (null if the group was cancelled by {@link #cancel()} and the body ended
     *     by it)
     * @throws TaskGroupException if a task or the body failed
     * @throws InterruptedException if the caller was cancelled from outside (the tasks were cancelled
     *     and joined first)
     * @throws E declared so that a body with checked exceptions type-checks; a body's exception is
     *     reported as a failure, in the {@link TaskGroupException}
     */
    public static <T, E extends Exception> T run(GroupWork<T, E> body) throws E, InterruptedException {
        return runIn(new TaskGroup("group-" + GROUP_SEQ.incrementAndGet(), false), body);
    }

    /**
     * As {@link #run(GroupWork)} with a supervisor group: task failures are outcomes, not exceptions.
     *
     * @param <T> the body's result type
     * @param <E> the checked exception the body may throw
     * @param body the block that spawns the tasks; it runs on the calling thread
     * @return the body's value
     * @throws E declared so that a body with checked exceptions type-checks; a body's exception is
     *     reported in a {@link TaskGroupException}
     * @throws InterruptedException if the caller was cancelled from outside (the tasks were cancelled
     *     and joined first)
     */
    public static <T, E extends Exception> T supervise(GroupWork<T, E> body) throws E, InterruptedException {
        return runIn(new TaskGroup("supervisor-" + GROUP_SEQ.incrementAndGet(), true), body);
    }

    /** A supervisor run whose caller reads every task's outcome (gatherOutcomes, mapOutcomes, race). */
    static <T, E extends Exception> T superviseAll(GroupWork<T, E> body) throws E, InterruptedException {
        TaskGroup g = new TaskGroup("supervisor-" + GROUP_SEQ.incrementAndGet(), true);
        g.reportUnobservedFailures = false;
        return runIn(g, body);
    }

    private static <T, E extends Exception> T runIn(TaskGroup g, GroupWork<T, E> body) throws E, InterruptedException {
        Objects.requireNonNull(body, "body");
        T result = null;
        Throwable bodyError = null;
        try {
            result = body.run(g);
        } catch (Throwable t) {
            bodyError = t;
        }
        boolean bodyCancelled = false;
        boolean interruptedFromOutside = false;
        if (bodyError != null) {
            if (bodyError instanceof VirtualMachineError) {
                g.fail(null, bodyError, true);
            } else if (Weft.isCancellation(bodyError) && Scope.firstCancelledNow(g.scope) != null) {
                bodyCancelled = true;
            } else if (bodyError instanceof SpawnRefused r && r.group == g) {
                bodyCancelled = true; // a consequence of the group's failure, not a failure of its own
            } else if (Weft.isInterruption(bodyError)) {
                // Interrupted from outside Weft (a platform thread's interrupt, no scope cancelled): the
                // caller is being cancelled, as asyncio's TaskGroup treats a CancelledError of its body.
                // Cancel the tasks, join them, and let the interruption itself propagate.
                interruptedFromOutside = true;
                g.scope.cancel(Scope.EXPLICIT);
            } else {
                g.fail(null, bodyError, false);
            }
        }
        boolean interruptedWhileWaiting = g.awaitTasksOrOutsideInterrupt();
        g.leave();
        g.throwFailures();
        g.checkOuterCancellation(bodyError);
        if (interruptedFromOutside) {
            throw Sneaky.rethrow(bodyError); // an interruption the body threw: declared (InterruptedException) or its own
        }
        if (interruptedWhileWaiting) {
            throw new InterruptedException("interrupted from outside Weft while TaskGroup '" + g.name
                    + "' waited for its tasks; they were cancelled and have ended");
        }
        if (bodyCancelled) {
            return null; // the group was cancelled by cancel() and the body ended by it
        }
        return result;
    }

    /**
     * Spawns {@code work} as a new task of this group.
     *
     * @param <T> the task's result type
     * @param work the task's code; it runs on a new virtual thread, as a child of this group's scope
     * @return the new task
     * @throws IllegalStateException if the group is failing or has closed (the work does not run)
     */
    public <T> Task<T> spawn(Callable<? extends T> work) {
        return spawn(null, work);
    }

    /**
     * Spawns {@code work} as a new task named {@code name} (null: a generated name).
     *
     * @param <T> the task's result type
     * @param name the task's name, or null for a generated one
     * @param work the task's code; it runs on a new virtual thread, as a child of this group's scope
     * @return the new task
     * @throws IllegalStateException if the group is failing or has closed (the work does not run)
     */
    public <T> Task<T> spawn(String name, Callable<? extends T> work) {
        String why = failingBecause;
        if (why != null) { // refused before the context is captured: a refused spawn runs no propagator
            throw new SpawnRefused(this, "cannot spawn into TaskGroup '" + this.name + "': it is failing (" + why
                    + ") and accepts no new tasks");
        }
        work = ContextPropagation.wrap(work); // the spawner's context, captured now (itself when none registered)
        int m;
        do {
            m = members.get();
            if (m == 0) {
                throw new IllegalStateException("cannot spawn into TaskGroup '" + this.name
                        + "': it has closed; spawn into a group that is still open");
            }
        } while (!members.compareAndSet(m, m + 1));
        ThreadState st = ThreadState.newTaskThread(VIRTUAL);
        Task<T> task = new Task<>(this, taskSeq.incrementAndGet(), name, work, st);
        if (name != null) {
            st.thread.setName(name);
        }
        Scope ts = task.scope;
        scope.addTask(ts);
        clock.taskStarting();
        TaskCounters.STARTED.increment(); // before start: the task may end before start() returns
        try {
            st.start((Runnable) ts);
        } catch (Throwable t) {
            TaskCounters.STARTED.decrement();
            scope.removeTask(ts);
            task.startFailed();
            clock.taskEnded();
            memberDone();
            throw t;
        }
        return task;
    }

    /**
     * Spawns {@code work}, which returns nothing, as a new task: Kotlin's {@code launch} beside
     * {@code async}, without the {@code return null;} a {@link Callable} needs. The task's value is
     * {@code null}; joining it, failure, cancellation and ownership are as for {@link #spawn(Callable)}.
     * (A distinct name rather than a {@code spawn} overload, so that {@code spawn(() -> foo())} never
     * depends on overload resolution; ADR 0020.)
     *
     * @param work the task's body
     * @return the task
     * @throws IllegalStateException if the group is failing or has closed (the work does not run)
     */
    public Task<Void> launch(ThrowingRunnable work) {
        return launch(null, work);
    }

    /**
     * As {@link #launch(ThrowingRunnable)}, with a name for the task (null: a generated name).
     *
     * @param name the task's name, or null
     * @param work the task's body
     * @return the task
     * @throws IllegalStateException if the group is failing or has closed (the work does not run)
     */
    public Task<Void> launch(String name, ThrowingRunnable work) {
        Objects.requireNonNull(work, "work");
        return spawn(name, () -> {
            work.run();
            return null;
        });
    }

    /** Spawning into a failing group: an IllegalStateException that the group itself knows is no new failure. */
    private static final class SpawnRefused extends IllegalStateException {
        private final transient TaskGroup group;

        SpawnRefused(TaskGroup group, String message) {
            super(message);
            this.group = group;
        }
    }

    /** Cancels every task of the group and the body (the group ends normally once they have ended). */
    public void cancel() {
        scope.cancel(Scope.EXPLICIT);
    }

    /**
     * Whether the group was cancelled (by {@link #cancel()}, a failure, or from outside).
     *
     * @return {@code true} once the group has been cancelled, for any reason
     */
    public boolean isCancelled() {
        return Scope.chainCancelled(scope);
    }

    /**
     * The group's name.
     *
     * @return the name given at open, or a generated one
     */
    public String name() {
        return name;
    }

    /**
     * Tasks that have been spawned and have not ended yet.
     *
     * @return the number of tasks spawned into the group that have not ended
     */
    public int liveTasks() {
        int m = members.get();
        return bodyDone ? m : Math.max(0, m - 1);
    }

    /**
     * Waits, inside a try-with-resources block, for every task (including those spawned while it
     * waits); then the group accepts no more tasks.
     *
     * @throws TaskGroupException if a task failed
     * @throws InterruptedException if the caller was cancelled from outside
     */
    public void join() throws InterruptedException {
        checkOwner("join()");
        if (phase != OPEN) {
            throw new IllegalStateException("join() was already called on TaskGroup '" + name + "'");
        }
        awaitTasks();
        phase = JOINED;
        throwFailures();
        checkOuterCancellation(null);
    }

    /**
     * Waits for every task, leaves the group, and throws {@link TaskGroupException} if a task failed
     * (unless {@link #join()} already did). Does not throw for an outside cancellation: the
     * interrupt flag stays set for the next blocking call.
     */
    @Override
    public void close() {
        if (phase == CLOSED) {
            return;
        }
        checkOwner("close()");
        boolean joined = phase == JOINED;
        if (!joined) {
            awaitTasks();
        }
        leave();
        if (!joined) {
            throwFailures();
        }
    }

    private void checkOwner(String what) {
        if (Thread.currentThread() != owner.thread) {
            throw new IllegalStateException(what + " must be called by the thread that opened TaskGroup '" + name
                    + "' (" + owner.thread + "), not " + Thread.currentThread());
        }
    }

    /**
     * The body of {@code run} is done: wait for the tasks. An interrupt from outside Weft (no scope
     * on the chain cancelled) meanwhile is the caller's cancellation: cancel the tasks, then wait for
     * them whatever happens; returns whether that happened. A Weft cancellation reaches the tasks
     * through the scope chain by itself: then wait as {@link #awaitTasks()} does.
     */
    private boolean awaitTasksOrOutsideInterrupt() {
        bodyDone = true;
        if (members.decrementAndGet() == 0) {
            return false;
        }
        if (DebugHooks.ON) {
            DebugHooks.groupClosing(scope); // the watchdog's slow-close check, as in awaitTasks()
            String prev = DebugHooks.beginWait("close of group '" + name + "'");
            try {
                return joinOrOutsideInterrupt();
            } finally {
                DebugHooks.endWait(prev);
            }
        }
        return joinOrOutsideInterrupt();
    }

    /** {@link #awaitTasksOrOutsideInterrupt()} once the body has left: waits for the tasks. */
    private boolean joinOrOutsideInterrupt() {
        if (Scope.firstCancelledNow(scope) == null) {
            try {
                allDone.await();
                return false;
            } catch (InterruptedException e) {
                if (Scope.firstCancelledNow(scope) == null) {
                    scope.cancel(Scope.EXPLICIT);
                    allDone.awaitUninterruptibly();
                    return true;
                }
            }
        }
        allDone.awaitUninterruptibly();
        return false;
    }

    /** The body is done: wait for the tasks, whatever happens to the caller meanwhile. */
    private void awaitTasks() {
        bodyDone = true;
        if (members.decrementAndGet() != 0) {
            if (DebugHooks.ON) {
                DebugHooks.groupClosing(scope);
                String prev = DebugHooks.beginWait("close of group '" + name + "'");
                allDone.awaitUninterruptibly();
                DebugHooks.endWait(prev);
                return;
            }
            allDone.awaitUninterruptibly();
        }
    }

    private void leave() {
        phase = CLOSED;
        scope.dropEndedTasks(); // the tasks have ended: their handles must not keep their threads alive
        if (DebugHooks.ON) {
            DebugHooks.groupClosed(scope);
        }
        owner.pop(scope);
    }

    private void checkOuterCancellation(Throwable bodyError) throws InterruptedException {
        Scope top = scope.isActive() ? scope.parent : owner.top();
        Scope outer = top == null ? null : Scope.firstCancelledNow(top);
        if (outer != null) {
            if (bodyError instanceof InterruptedException ie) {
                throw ie;
            }
            InterruptedException ie = new InterruptedException(outer.describeCancellation());
            if (bodyError != null) {
                ie.initCause(bodyError);
            }
            throw ie;
        }
    }

    private void throwFailures() {
        Throwable f = fatal;
        if (f != null) {
            throw Sneaky.rethrow(f);
        }
        if (!failures.isEmpty()) {
            List<Throwable> list = new ArrayList<>(failures);
            throw new TaskGroupException(describe(list), list);
        }
    }

    private String describe(List<Throwable> list) {
        StringBuilder sb = new StringBuilder("TaskGroup '").append(name).append("' failed: ")
                .append(list.size()).append(list.size() == 1 ? " failure" : " failures");
        int shown = 0;
        for (Throwable t : list) {
            if (shown++ == 5) {
                sb.append("; ...");
                break;
            }
            sb.append(shown == 1 ? ": " : "; ").append(t);
        }
        return sb.toString();
    }

    GroupScope scope() {
        return scope;
    }

    /** Records a failure of a task (task != null) or the body; cancels the group unless supervising. */
    private void fail(Task<?> task, Throwable error, boolean isFatal) {
        if (isFatal) {
            synchronized (this) {
                if (fatal == null) {
                    fatal = error;
                }
            }
        } else if (supervisor && task != null) {
            if (reportUnobservedFailures && !DebugHooks.ON) { // debug mode reports it, with the spawn site
                task.watchUnread(name, error); // reported if the task is collected with its outcome unread
            }
            return;
        } else {
            failures.add(error);
        }
        if (failingBecause == null) {
            failingBecause = (task == null ? "its body" : "task '" + task.name() + "'") + " failed with " + error;
        }
        scope.cancel(Scope.FAILURE);
    }

    /** Whether a task's failure is not thrown by this group and must be read by somebody (debug mode). */
    boolean failuresUnread() {
        return supervisor && reportUnobservedFailures;
    }

    /** Called on the task's thread as it ends, before its joiners are woken. */
    void taskEnding(Task<?> task, Outcome<?> outcome, Throwable fatalError) {
        scope.removeTask(task.scope);
        if (outcome instanceof Outcome.Failure<?> f) {
            fail(task, f.error(), fatalError != null);
        }
    }

    /** Called on the task's thread last of all. */
    void taskEnded(Task<?> task) {
        memberDone();
        clock.taskEnded();
    }

    private void memberDone() {
        if (members.decrementAndGet() == 0) {
            allDone.open();
        }
    }

    @Override
    public String toString() {
        return "TaskGroup[" + name + (supervisor ? ", supervisor" : "") + ", live=" + liveTasks() + "]";
    }
}
