package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.ThreadState;
import dev.weft.internal.debug.DebugHooks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Weft's entry points: asyncio's module-level functions for Java virtual threads.
 *
 * <table class="striped">
 *   <caption>From asyncio to Weft</caption>
 *   <tr><th>asyncio / Trio</th><th>Weft</th></tr>
 *   <tr><td>{@code asyncio.run(main())}</td><td>{@link #run(Work)}</td></tr>
 *   <tr><td>{@code gather(*aws)}</td><td>{@link #gather(Callable[])} (fail-fast, structured)</td></tr>
 *   <tr><td>{@code gather(*aws, return_exceptions=True)}</td><td>{@link #gatherOutcomes(Callable[])}</td></tr>
 *   <tr><td>{@code wait(FIRST_COMPLETED)} + cancel the rest</td><td>{@link #race(Callable[])}</td></tr>
 *   <tr><td>{@code as_completed(aws, timeout)}</td><td>{@link #asCompleted(Collection, Duration)}</td></tr>
 *   <tr><td>{@code wait(aws, timeout=...)}: done and pending</td><td>{@link #gatherOutcomes(Duration, Collection)},
 *       {@link #mapOutcomes(Collection, int, Duration, ThrowingFunction)} (unfinished: {@code Cancelled})</td></tr>
 *   <tr><td>{@code shield(aw)}</td><td>{@link #shield(Work)}</td></tr>
 *   <tr><td>semaphore-bounded fan-out</td><td>{@link #map(Collection, int, ThrowingFunction)}</td></tr>
 *   <tr><td>{@code to_thread}, {@code run_in_executor}</td><td>{@link #offload(Work)}</td></tr>
 *   <tr><td>{@code sleep}, {@code trio.lowlevel.checkpoint}</td><td>{@link #sleep(Duration)}, {@link #checkpoint()}</td></tr>
 * </table>
 *
 * <p>Every operation here that starts tasks is structured: it returns only when every task it
 * started has ended, whatever happened.
 */
public final class Weft {
    private Weft() {
    }

    /**
     * A function that may throw.
     *
     * @param <A> the argument type
     * @param <R> the result type
     */
    @FunctionalInterface
    public interface ThrowingFunction<A, R> {
        /**
         * Applies the function.
         * @param a the argument
         * @return the result
         * @throws Exception any failure, reported by the operation that called the function
         */
        R apply(A a) throws Exception;
    }

    /**
     * asyncio.run: runs {@code main} on a new virtual thread inside a root scope and returns its value.
     * SIGINT and SIGTERM cancel the root scope (the first signal; a second one exits the process at
     * once with status 130). When it returns, nothing {@code main} started in Weft is still running.
     *
     * @param <T> the result type of {@code main}
     * @param <E> the checked exception {@code main} may throw
     * @param main the program's body; it runs on a new virtual thread in the root scope
     * @return the value {@code main} returned
     * @throws InterruptedException if a signal (or an interrupt of the calling thread) cancelled
     *     {@code main} and it ended by that cancellation
     * @throws IllegalStateException if {@code main} returned with a {@code TaskGroup} or
     *     {@code CancelScope} it opened still open: their tasks are cancelled (not waited for), and in
     *     debug mode they are listed ({@code dev.weft.debug.DebugReport.Kind#RUNNING_AT_EXIT})
     * @throws E {@code main}'s own exception, unchanged
     */
    public static <T, E extends Exception> T run(Work<T, E> main) throws E, InterruptedException {
        return Root.run(main);
    }

    /** The body of a program's {@code main}: {@link #main(String[], Program)} runs it. */
    @FunctionalInterface
    public interface Program {
        /**
         * Runs the program.
         *
         * @param args the command-line arguments
         * @throws Exception anything: an exception that ends the program is printed and exits with 1
         */
        void run(String[] args) throws Exception;
    }

    /**
     * The one line a {@code main} needs: runs {@code program} under {@link #run(Work)} and exits the
     * JVM with its status, as Python does for a script. No catch of {@code InterruptedException}
     * is left in the user's {@code main} (so {@code weft scan} has nothing to flag):
     *
     * {@snippet :
     * public static void main(String[] args) {
     *     Weft.main(args, App::run);   // static void run(String[] args) throws Exception { ... }
     * }
     * }
     *
     * <p>Exit status: 0 when {@code program} returns; 130 when SIGINT (Ctrl-C) cancelled it and it
     * ended by that cancellation, 143 for SIGTERM (128 + the signal's number, what a shell reports for
     * a process killed by it), 130 for any other cancellation of the run; 1 when it threw (the stack
     * trace is printed on standard error first). A second signal exits at once with 130, as under
     * {@link #run(Work)}. See {@link #exitStatus} for the same without exiting.
     *
     * @param args the command-line arguments, passed on to {@code program}
     * @param program the program
     */
    public static void main(String[] args, Program program) {
        int status = exitStatus(args, program);
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * As {@link #main(String[], Program)} but returns the exit status instead of exiting (for tests,
     * and programs that do more after it). Never throws: a failure of {@code program} is printed on
     * standard error and gives 1.
     *
     * @param args the command-line arguments, passed on to {@code program}
     * @param program the program
     * @return 0 (returned), 130 (SIGINT, or cancelled otherwise), 143 (SIGTERM), 1 (threw)
     */
    public static int exitStatus(String[] args, Program program) {
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(program, "program");
        String[] signal = new String[1];
        try {
            Root.run(() -> {
                program.run(args);
                return null;
            }, signal);
            return 0;
        } catch (InterruptedException e) { // weft: ignore[WEFT303] the run ended by its cancellation: that is the status
            return "TERM".equals(signal[0]) ? 143 : 130;
        } catch (Throwable t) {
            if (signal[0] != null && isCancellation(t)) {
                return "TERM".equals(signal[0]) ? 143 : 130;
            }
            System.err.print("Exception in Weft.main: ");
            t.printStackTrace();
            return 1;
        }
    }

    /**
     * Runs every callable as a task and returns their values in argument order. The first failure
     * cancels the others, waits for them, and throws a {@link TaskGroupException} holding every
     * failure (the first as cause). <b>Unlike asyncio's {@code gather}</b>, whose siblings run on as
     * orphans after the first exception, nothing started here outlives the call.
     *
     *
     * <p>Example, from the compiled and tested {@code examples} module:
     * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="gather"}
     *
     * @param <T> the result type
     * @param calls the work to run, one task each
     * @return the values, in argument order
     * @throws InterruptedException if the caller is cancelled (the tasks are cancelled and joined first)
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through Arrays.asList
    public static <T> List<T> gather(Callable<? extends T>... calls) throws InterruptedException {
        return gather(Arrays.asList(calls));
    }

    /**
     * As {@link #gather(Callable[])} for a collection.
     *
     * @param <T> the result type
     * @param calls the work to run, one task each, in iteration order
     * @return the values, in iteration order
     * @throws InterruptedException if the caller is cancelled (the tasks are cancelled and joined first)
     */
    public static <T> List<T> gather(Collection<? extends Callable<? extends T>> calls) throws InterruptedException {
        List<Task<T>> tasks = TaskGroup.run(g -> spawnAll(g, calls));
        List<T> out = new ArrayList<>(tasks.size());
        for (Task<T> t : tasks) {
            out.add(t.outcomeNow().orElseThrow().getOrThrow());
        }
        return out;
    }

    /**
     * asyncio's {@code gather(..., return_exceptions=True)}: runs every callable, waits for all of
     * them, and returns their outcomes in argument order. Failures cancel nothing.
     *
     * @param <T> the result type
     * @param calls the work to run, one task each
     * @return one outcome per callable, in argument order
     * @throws InterruptedException if the caller is cancelled: every task is cancelled and joined,
     *     and the caller still ends cancelled (outcomes never swallow the caller's own cancellation)
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through Arrays.asList
    public static <T> List<Outcome<T>> gatherOutcomes(Callable<? extends T>... calls) throws InterruptedException {
        return gatherOutcomes(Arrays.asList(calls));
    }

    /**
     * As {@link #gatherOutcomes(Callable[])} for a collection.
     *
     * @param <T> the result type
     * @param calls the work to run, one task each, in iteration order
     * @return one outcome per callable, in iteration order
     * @throws InterruptedException if the caller is cancelled: every task is cancelled and joined, and
     *     the caller still ends cancelled
     */
    public static <T> List<Outcome<T>> gatherOutcomes(Collection<? extends Callable<? extends T>> calls)
            throws InterruptedException {
        List<Task<T>> tasks = TaskGroup.superviseAll(g -> spawnAll(g, calls));
        List<Outcome<T>> out = new ArrayList<>(tasks.size());
        for (Task<T> t : tasks) {
            out.add(t.outcomeNow().orElseThrow());
        }
        return out;
    }

    /**
     * asyncio's {@code wait(tasks, timeout=...)} with nothing lost: runs every callable, and when
     * {@code timeout} passes cancels the ones still running and waits for them; returns every
     * outcome in argument order. Those that finished in time are {@code Success} or
     * {@code Failure}; those cut short by the timeout end as {@code Cancelled} (or as whatever they
     * did when cancelled: a task that catches the cancellation and returns a value is a
     * {@code Success}). The timeout is not an error: this returns normally.
     *
     * <p>Use this instead of {@code Timeouts.moveOnAfter(t, () -> gatherOutcomes(calls))}: there
     * the timeout cancels the whole call and its finished results are lost with the unfinished.
     *
     * @param timeout how long the callables may run (zero or negative: cancelled at once)
     * @param calls the callables
     * @param <T> the type of the values
     * @return the outcomes, in argument order; as many as there are callables
     * @throws InterruptedException if the caller itself is cancelled (an enclosing scope, a signal):
     *     every task is cancelled and joined first, and the caller still ends cancelled
     */
    public static <T> List<Outcome<T>> gatherOutcomes(Duration timeout, Collection<? extends Callable<? extends T>> calls)
            throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        List<Task<T>> tasks = new ArrayList<>(calls.size());
        CancelScope.after(timeout).run(() -> TaskGroup.superviseAll(g -> {
            for (Callable<? extends T> c : calls) {
                tasks.add(g.spawn(Objects.requireNonNull(c, "callable")));
            }
            return null;
        }));
        return outcomesOf(tasks, calls.size());
    }

    /**
     * {@link #mapOutcomes(Collection, int, ThrowingFunction)} under an overall timeout, with nothing
     * lost: at most {@code limit} items run at once; when {@code timeout} passes, the running items
     * are cancelled and joined and the items not started yet are not started. Every item gets an
     * outcome, in item order: {@code Success} or {@code Failure} for those that finished in time,
     * {@code Cancelled} for those cut short or never started. The timeout is not an error: this
     * returns normally.
     *
     * {@snippet :
     * List<Outcome<Response>> all = Weft.mapOutcomes(urls, 64, Duration.ofSeconds(5), session::get);
     * // all.size() == urls.size(): the 199 that finished are Success, the one that hung is Cancelled
     * }
     *
     * <p>Use this instead of wrapping {@code mapOutcomes} in {@code Timeouts.moveOnAfter}: there the
     * timeout cancels the whole call, and the finished results are lost with the unfinished.
     *
     * @param items the items
     * @param limit how many run at once, at least 1
     * @param timeout how long the whole map may take (zero or negative: nothing runs; all Cancelled)
     * @param fn applied to each item
     * @param <I> the type of the items
     * @param <R> the type of the results
     * @return one outcome per item, in item order
     * @throws IllegalArgumentException if {@code limit} is less than 1
     * @throws InterruptedException if the caller itself is cancelled (an enclosing scope, a signal):
     *     every task is cancelled and joined first
     */
    public static <I, R> List<Outcome<R>> mapOutcomes(Collection<? extends I> items, int limit, Duration timeout,
            ThrowingFunction<? super I, ? extends R> fn) throws InterruptedException {
        checkMapArguments(limit, fn);
        Objects.requireNonNull(timeout, "timeout");
        List<Task<R>> tasks = new ArrayList<>(items.size());
        CancelScope.after(timeout).run(() -> TaskGroup.superviseAll(g -> {
            spawnLimited(g, items, limit, fn, tasks);
            return null;
        }));
        return outcomesOf(tasks, items.size());
    }

    /** The outcomes of ended tasks; positions past the spawned ones (never started) are Cancelled. */
    private static <T> List<Outcome<T>> outcomesOf(List<Task<T>> tasks, int size) {
        List<Outcome<T>> out = new ArrayList<>(size);
        for (Task<T> t : tasks) {
            out.add(t.outcomeNow().orElseThrow());
        }
        while (out.size() < size) {
            out.add(new Outcome.Cancelled<>());
        }
        return out;
    }

    private static <T> List<Task<T>> spawnAll(TaskGroup g, Collection<? extends Callable<? extends T>> calls) {
        List<Task<T>> tasks = new ArrayList<>(calls.size());
        for (Callable<? extends T> c : calls) {
            tasks.add(g.spawn(Objects.requireNonNull(c, "callable")));
        }
        return tasks;
    }

    /**
     * Runs the callables concurrently; the first <em>successful</em> result wins. The losers are
     * cancelled and joined before this returns.
     *
     *
     * <p>Example, from the compiled and tested {@code examples} module:
     * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="race"}
     *
     * @param <T> the result type
     * @param calls the competing work, at least one
     * @return the value of the first callable to succeed
     * @throws TaskGroupException if every callable failed (all failures, first as cause)
     * @throws IllegalArgumentException if there are no callables
     * @throws InterruptedException if the caller is cancelled
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through Arrays.asList
    public static <T> T race(Callable<? extends T>... calls) throws InterruptedException {
        return race(Arrays.asList(calls));
    }

    /**
     * As {@link #race(Callable[])} for a collection.
     *
     * @param <T> the result type
     * @param calls the competing work, at least one
     * @return the value of the first callable to succeed
     * @throws InterruptedException if the caller is cancelled (the tasks are cancelled and joined first)
     */
    public static <T> T race(Collection<? extends Callable<? extends T>> calls) throws InterruptedException {
        if (calls.isEmpty()) {
            throw new IllegalArgumentException("race needs at least one callable");
        }
        AtomicBoolean won = new AtomicBoolean();
        AtomicReference<T> winner = new AtomicReference<>();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Task<T>> tasks = new ArrayList<>(calls.size());
        TaskGroup.superviseAll(g -> {
            for (Callable<? extends T> c : calls) {
                Objects.requireNonNull(c, "callable");
                tasks.add(g.spawn(() -> {
                    T v;
                    try {
                        v = c.call();
                    } catch (Throwable t) {
                        if (!won.get() || !isCancellation(t)) {
                            failures.add(t);
                        }
                        throw t;
                    }
                    if (won.compareAndSet(false, true)) {
                        winner.set(v);
                        g.cancel();
                    }
                    return v;
                }));
            }
            return null;
        });
        tasks.forEach(Task::outcomeNow); // every outcome is accounted for: the winner, or all failures below
        if (won.get()) {
            return winner.get();
        }
        List<Throwable> list = new ArrayList<>(failures);
        throw new TaskGroupException("race: all " + calls.size() + " callables failed", list);
    }

    /**
     * The tasks in the order they finish (asyncio's {@code as_completed}), with no time limit.
     *
     * @param <T> the tasks' result type
     * @param tasks the tasks to wait for (they keep running in their own groups)
     * @return an iterator over the tasks in completion order
     */
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Task<? extends T>> tasks) {
        return asCompleted(tasks, null);
    }

    /**
     * The tasks in the order they finish. When {@code timeout} (null: none) passes, the iteration
     * throws {@link DeadlineExceededException}; the unfinished tasks are <em>not</em> cancelled.
     *
     * @param <T> the tasks' result type
     * @param tasks the tasks to wait for (they keep running in their own groups)
     * @param timeout the time limit for the whole iteration, from now, or null for none
     * @return an iterator over the tasks in completion order
     */
    @SuppressWarnings("unchecked")
    public static <T> AsCompleted<T> asCompleted(Collection<? extends Task<? extends T>> tasks, Duration timeout) {
        List<Task<T>> list = new ArrayList<>(tasks.size());
        for (Task<? extends T> t : tasks) {
            list.add((Task<T>) Objects.requireNonNull(t, "task"));
        }
        return new AsCompleted<>(list, timeout);
    }

    /**
     * Runs {@code work} to completion even if the caller is cancelled meanwhile (the work is not
     * interrupted by outside cancellation); the caller observes its own cancellation afterwards (its
     * interrupt flag is set again and Weft's blocking calls fail).
     *
     *
     * <p>Example, from the compiled and tested {@code examples} module:
     * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="shield"}
     *
     * @param <T> the work's result type
     * @param <E> the checked exception the work may throw
     * @param work the code to run on the calling thread, shielded from outside cancellation
     * @return the work's value
     * @throws E the work's own exception, unchanged
     */
    public static <T, E extends Exception> T shield(Work<T, E> work) throws E {
        return CancelScope.create().shielded().call(work);
    }

    /**
     * Applies {@code fn} to every item with at most {@code limit} running at once and returns the
     * results in item order. Fail-fast like {@link #gather}: the first failure cancels the rest.
     *
     * @param <I> the item type
     * @param <R> the result type
     * @param items the inputs, one task each
     * @param limit the most tasks running at once, at least 1
     * @param fn the function applied to each item; its exception fails the whole call
     * @return the results, in item order
     * @throws IllegalArgumentException if {@code limit} is less than 1
     * @throws InterruptedException if the caller is cancelled (the tasks are cancelled and joined first)
     */
    public static <I, R> List<R> map(Collection<? extends I> items, int limit, ThrowingFunction<? super I, ? extends R> fn)
            throws InterruptedException {
        checkMapArguments(limit, fn);
        List<Task<R>> tasks = TaskGroup.run(g -> spawnLimited(g, items, limit, fn));
        List<R> out = new ArrayList<>(tasks.size());
        for (Task<R> t : tasks) {
            out.add(t.outcomeNow().orElseThrow().getOrThrow());
        }
        return out;
    }

    /**
     * As {@link #map} but failures cancel nothing: outcomes in item order.
     *
     * @param <I> the item type
     * @param <R> the result type
     * @param items the inputs, one task each
     * @param limit the most tasks running at once, at least 1
     * @param fn the function applied to each item
     * @return one outcome per item, in item order
     * @throws IllegalArgumentException if {@code limit} is less than 1
     * @throws InterruptedException if the caller is cancelled: every task is cancelled and joined, and
     *     the caller still ends cancelled
     */
    public static <I, R> List<Outcome<R>> mapOutcomes(Collection<? extends I> items, int limit,
            ThrowingFunction<? super I, ? extends R> fn) throws InterruptedException {
        checkMapArguments(limit, fn);
        List<Task<R>> tasks = TaskGroup.superviseAll(g -> spawnLimited(g, items, limit, fn));
        List<Outcome<R>> out = new ArrayList<>(tasks.size());
        for (Task<R> t : tasks) {
            out.add(t.outcomeNow().orElseThrow());
        }
        return out;
    }

    private static void checkMapArguments(int limit, ThrowingFunction<?, ?> fn) {
        if (limit < 1) {
            throw new IllegalArgumentException("map limit must be >= 1, got " + limit);
        }
        Objects.requireNonNull(fn, "fn");
    }

    /**
     * Spawns one task per item, at most {@code limit} alive at once. A permit is released only once
     * its task's outcome is recorded (Task.whenDone runs after the group saw a failure), so after a
     * failure the spawning loop is cancelled before it can start another item.
     */
    private static <I, R> List<Task<R>> spawnLimited(TaskGroup g, Collection<? extends I> items, int limit,
            ThrowingFunction<? super I, ? extends R> fn) throws InterruptedException {
        return spawnLimited(g, items, limit, fn, new ArrayList<>(items.size()));
    }

    /** As above, adding each task to {@code tasks} as it is spawned (the caller keeps them if this is cut short). */
    private static <I, R> List<Task<R>> spawnLimited(TaskGroup g, Collection<? extends I> items, int limit,
            ThrowingFunction<? super I, ? extends R> fn, List<Task<R>> tasks) throws InterruptedException {
        Limiter limiter = Limiter.of(limit);
        for (I item : items) {
            Limiter.Permit p = limiter.acquire();
            Task<R> t;
            try {
                checkpoint();
                t = g.spawn(() -> fn.apply(item));
            } catch (Throwable e) {
                p.close();
                throw e;
            }
            t.whenDone(p::close);
            tasks.add(t);
        }
        return tasks;
    }

    /**
     * Runs CPU-bound {@code work} on a bounded pool of platform threads (one per core), like
     * asyncio's {@code to_thread}, and waits for it. Cancelling the caller interrupts the work and
     * waits for it to end before this throws. {@link Deadline#current()} inside the work is the
     * caller's.
     *
     *
     * <p>Example, from the compiled and tested {@code examples} module:
     * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="offload"}
     *
     * @param <T> the work's result type
     * @param <E> the checked exception the work may throw
     * @param work the CPU-bound code to run on the pool
     * @return the work's value
     * @throws E the work's own exception, unchanged
     * @throws InterruptedException if the caller is cancelled (the work is interrupted and has ended
     *     when this throws)
     */
    public static <T, E extends Exception> T offload(Work<T, E> work) throws E, InterruptedException {
        return Offload.run(work);
    }

    /**
     * Sleeps for {@code duration} on the time source in force (virtual time in tests). A Weft
     * blocking point: fails at once in a cancelled scope.
     *
     * @param duration how long to sleep; zero or negative returns at once (after the cancellation
     *     check)
     * @throws InterruptedException if the caller is cancelled or interrupted
     */
    public static void sleep(Duration duration) throws InterruptedException {
        Objects.requireNonNull(duration, "duration");
        ThreadState st = ThreadState.current();
        st.checkCancelled();
        Clock c = st.clock();
        long until = Clock.plus(c.nanoTime(), VirtualTime.saturatedNanos(duration));
        String prev = DebugHooks.ON ? DebugHooks.beginWait("sleep " + duration) : null;
        try {
            while (until - c.nanoTime() > 0) {
                st.park(Weft.class, until);
            }
        } finally {
            if (DebugHooks.ON) {
                DebugHooks.endWait(prev);
            }
        }
    }

    /**
     * A Weft cancellation point (Trio's {@code checkpoint}): throws if the caller's scope is cancelled
     * (also when an enclosing deadline has passed but its timer has not fired yet) or the thread was
     * interrupted. Long CPU loops call it to stay cancellable.
     *
     * @throws InterruptedException if the caller's scope chain is cancelled or the thread was
     *     interrupted
     */
    public static void checkpoint() throws InterruptedException {
        ThreadState.current().checkCancelled();
    }

    /**
     * Sets the calling thread's interrupt flag again after it caught an {@code InterruptedException}
     * it cannot propagate: use it instead of {@code Thread.currentThread().interrupt()}. The flag is
     * recorded as Weft's own when a scope on the thread's chain is cancelled, so that scope retracts
     * it when it ends (no stray interrupt after a timeout that fired as the call completed), and as
     * a foreign interrupt otherwise, which Weft never clears. See {@link CancelScope} for the rule.
     */
    public static void restoreInterrupt() {
        ThreadState.current().restoreInterrupt();
    }

    /**
     * Whether the calling thread's scope chain is cancelled now.
     *
     * @return {@code true} if a scope on the calling thread's chain (up to the nearest shield) is
     *     cancelled
     */
    public static boolean isCancelled() {
        return ThreadState.current().cancelledNow();
    }

    /**
     * Whether {@code t} reports a cancellation: Weft's one rule, used by the core (tasks, groups,
     * cancel scopes) and by {@code weft-resilience} alike.
     *
     * <p>A <em>cancellation signal</em> is how a blocking call reports that its thread was
     * interrupted or its work cancelled: an {@link InterruptedException}, a
     * {@link java.util.concurrent.CancellationException}, a
     * {@link java.nio.channels.ClosedByInterruptException}, or an {@link java.io.InterruptedIOException}
     * other than {@link java.net.SocketTimeoutException} (which is a timeout of the socket, not an
     * interruption). This method answers true when {@code t} <b>or any of its causes</b> (at most 32
     * deep) is one, so that a wrapper such as {@code new RuntimeException(interruptedException)} still
     * reports the cancellation it carries. That is the question to ask when it is known that a
     * cancellation happened (a task or scope that is cancelled ended with {@code t}: did it end
     * <em>by</em> the cancellation?). Where nothing says that the caller is cancelled, a wrapped
     * interruption may be the report of an inner block that was cancelled and has ended (a
     * {@link DeadlineExceededException} carries the interruption that stopped its block): ask
     * {@link #isCallerCancellation(Throwable)} instead.
     *
     * @param t the throwable to classify (null: false)
     * @return whether {@code t} or a cause of it is a cancellation signal
     */
    public static boolean isCancellation(Throwable t) {
        for (int i = 0; t != null && i < 32; i++) {
            if (isCancellationSignal(t)) {
                return true;
            }
            Throwable cause = t.getCause();
            t = cause == t ? null : cause;
        }
        return false;
    }

    /**
     * Whether {@code t}, thrown by a call the calling thread made, means that the <em>caller</em> is
     * being cancelled, so that the failure must not be retried, counted against a dependency, or
     * replaced by a fallback: the caller's scope chain is cancelled ({@link #isCancelled()}) or its
     * thread is interrupted, whatever {@code t} is; or {@code t} <b>itself</b> (not a cause) is a
     * cancellation signal (see {@link #isCancellation(Throwable)}).
     *
     * <p>Causes are not walked, on purpose: while the caller is not cancelled, an exception that
     * merely wraps an interruption reports a block that was cancelled and has ended, such as the
     * {@link DeadlineExceededException} of a per-attempt timeout (its cause is the interruption that
     * stopped the attempt). That is a failure of the call, and a retry may try again. Everything
     * {@code isCallerCancellation} accepts, {@code isCancellation} accepts too, or the caller is
     * cancelled.
     *
     * @param t the throwable a call ended with (null: only the caller's state is checked)
     * @return whether the caller is cancelled or {@code t} itself is a cancellation signal
     */
    public static boolean isCallerCancellation(Throwable t) {
        return (t != null && isCancellationSignal(t)) || isCancelled() || Thread.currentThread().isInterrupted();
    }

    /** One level: the types that report an interruption or a cancellation. */
    private static boolean isCancellationSignal(Throwable t) {
        return isInterruption(t) || t instanceof java.util.concurrent.CancellationException;
    }

    /** Whether {@code t} is an interruption of the thread itself (not a cancellation reported by other means). */
    static boolean isInterruption(Throwable t) {
        return t instanceof InterruptedException
                || t instanceof java.nio.channels.ClosedByInterruptException
                || (t instanceof java.io.InterruptedIOException && !(t instanceof java.net.SocketTimeoutException));
    }

}
