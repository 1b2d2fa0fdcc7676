package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.ThreadState;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Tasks in the order they finish: asyncio's {@code as_completed}. Made by
 * {@link Weft#asCompleted(java.util.Collection)}.
 *
 * {@snippet :
 * AsCompleted<String> done = Weft.asCompleted(tasks, Duration.ofSeconds(10));
 * while (done.hasNext()) {
 *     Task<String> t = done.next(); // the next task to finish; t.outcomeNow() is present
 * }
 * }
 *
 * <p>The optional overall timeout bounds the waiting only: when it passes, {@link #next()} throws
 * {@link DeadlineExceededException} and the unfinished tasks go on running (they belong to their
 * group); {@link #pending()} lists them. Single consumer: one thread iterates. To run callables
 * under a deadline and get every outcome back (unfinished ones cancelled), use
 * {@link Weft#gatherOutcomes(Duration, java.util.Collection)} instead.
 *
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.ConcurrencyPatterns" region="as-completed"}
 *
 * @param <T> the type of the tasks' values
 */
public final class AsCompleted<T> implements Iterable<Task<T>> {
    private final ArrayDeque<Task<T>> finished = new ArrayDeque<>(); // guarded by this
    private final List<Task<T>> all;
    private final java.util.Set<Task<T>> returnedTasks = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()); // guarded by this
    private final int total;
    private final Clock clock;
    private final long deadline;
    private final long start;
    private int returned;
    private ThreadState waiter; // guarded by this

    AsCompleted(List<Task<T>> tasks, Duration timeout) {
        ThreadState st = ThreadState.current();
        this.clock = st.clock();
        this.start = clock.nanoTime();
        this.deadline = timeout == null ? Clock.NONE : Clock.plus(start, VirtualTime.saturatedNanos(timeout));
        this.total = tasks.size();
        this.all = tasks;
        for (Task<T> t : tasks) {
            t.whenDone(() -> arrived(t));
        }
    }

    private void arrived(Task<T> t) {
        ThreadState w;
        synchronized (this) {
            finished.add(t);
            w = waiter;
            waiter = null;
        }
        if (w != null) {
            w.wake();
        }
    }

    /**
     * Whether more tasks remain to be returned.
     *
     * @return {@code true} while some task has not been returned by {@link #next()} yet
     */
    public boolean hasNext() {
        return returned < total;
    }

    /**
     * Waits for the next task to finish and returns it.
     *
     * @return the next task to end, already done (its outcome can be read without waiting)
     * @throws NoSuchElementException if every task was returned
     * @throws DeadlineExceededException if the overall timeout passed (the tasks are not cancelled)
     * @throws InterruptedException if the caller is cancelled while waiting
     */
    public Task<T> next() throws InterruptedException {
        if (!hasNext()) {
            throw new NoSuchElementException("all " + total + " tasks have been returned");
        }
        ThreadState st = ThreadState.current();
        while (true) {
            synchronized (this) {
                Task<T> t = finished.poll();
                if (t != null) {
                    returned++;
                    returnedTasks.add(t);
                    return t;
                }
                waiter = st;
            }
            long now = clock.nanoTime();
            if (deadline != Clock.NONE && deadline - now <= 0) {
                synchronized (this) {
                    waiter = null;
                }
                throw new DeadlineExceededException("asCompleted", clock.toInstant(deadline),
                        Duration.ofNanos(now - start), null);
            }
            st.park(this, deadline);
        }
    }

    /**
     * The tasks {@link #next()} has not returned yet, in the order they were given: after the
     * overall timeout passed, these are asyncio's {@code pending} (those still running, and any that
     * finished since the last {@code next()}). Nothing is lost: returned plus pending is every task.
     *
     * {@snippet :
     * AsCompleted<String> done = Weft.asCompleted(tasks, Duration.ofSeconds(5));
     * try {
     *     while (done.hasNext()) {
     *         use(done.next());
     *     }
     * } catch (DeadlineExceededException e) {
     *     done.pending().forEach(Task::cancel); // or keep waiting for them elsewhere
     * }
     * }
     *
     * @return a snapshot of the tasks not returned yet
     */
    public List<Task<T>> pending() {
        List<Task<T>> out = new java.util.ArrayList<>(total - returned);
        synchronized (this) {
            for (Task<T> t : all) {
                if (!returnedTasks.contains(t)) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /**
     * An iterator over the remaining tasks. Its {@code next()} turns an interruption into a
     * {@link CancellationException} (with the interrupt flag set again), since {@link Iterator}
     * cannot throw {@code InterruptedException}.
     */
    @Override
    public Iterator<Task<T>> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return AsCompleted.this.hasNext();
            }

            @Override
            public Task<T> next() {
                try {
                    return AsCompleted.this.next();
                } catch (InterruptedException e) {
                    dev.weft.internal.ThreadState.current().restoreInterrupt();
                    CancellationException ce = new CancellationException("interrupted while waiting in asCompleted");
                    ce.initCause(e);
                    throw ce;
                }
            }
        };
    }

    /**
     * The remaining tasks as a sequential stream, in completion order.
     *
     * @return a stream that calls {@link #next()} for each element, so each element may wait
     */
    public Stream<Task<T>> stream() {
        return StreamSupport.stream(Spliterators.spliterator(iterator(), total - returned,
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    @Override
    public String toString() {
        return "AsCompleted[" + returned + "/" + total + (deadline == Clock.NONE ? "" : ", until "
                + clock.toInstant(deadline)) + "]";
    }

}
