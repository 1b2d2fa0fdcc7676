package dev.weft;

import dev.weft.internal.Latch;
import dev.weft.internal.Scope;
import dev.weft.internal.ThreadState;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link Weft#offload}: CPU-bound work on a bounded pool of daemon platform threads, one per core.
 *
 * <p>Design: the caller waits on a latch (a Weft wait, so it is cancellable and counted by virtual
 * time). A state word decides the race between start and cancellation: NEW to RUNNING by the
 * worker, NEW to CANCELLED by a cancelled caller (the work then never runs); a cancelled caller
 * that finds it RUNNING interrupts the worker and waits for it to end, so nothing outlives the call.
 */
final class Offload {
    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Runtime.getRuntime().availableProcessors(),
            Thread.ofPlatform().daemon().name("weft-offload-", 1).factory());
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;

    private Offload() {
    }

    static <T, E extends Exception> T run(Work<T, E> work) throws E, InterruptedException {
        java.util.Objects.requireNonNull(work, "work");
        java.util.concurrent.Callable<T> body = ContextPropagation.wrap(work::call); // the caller's context
        ThreadState caller = ThreadState.current();
        caller.checkCancelled();
        Scope callerTop = caller.top();
        AtomicInteger state = new AtomicInteger(NEW);
        Latch done = new Latch();
        Object[] result = new Object[1];
        Throwable[] error = new Throwable[1];
        Thread[] worker = new Thread[1];
        dev.weft.internal.Clock clock = caller.clock();
        clock.taskStarting(); // virtual time: the work counts as running, so time never jumps under it
        POOL.execute(() -> {
            if (!state.compareAndSet(NEW, RUNNING)) {
                clock.taskEnded();
                return;
            }
            ThreadState st = ThreadState.current();
            Scope scope = callerTop == null ? null
                    : new Scope(callerTop, null, st, callerTop.clock);
            synchronized (worker) {
                worker[0] = Thread.currentThread();
            }
            try {
                if (scope != null) {
                    st.push(scope); // Deadline.current() and cancellation checks see the caller's chain
                }
                try {
                    result[0] = body.call();
                } finally {
                    if (scope != null) {
                        st.pop(scope);
                    }
                }
            } catch (Throwable t) {
                error[0] = t;
            } finally {
                synchronized (worker) {
                    worker[0] = null;
                    Thread.interrupted(); // leave the pool thread clean
                }
                done.open();
                clock.taskEnded();
            }
        });
        try {
            done.await();
        } catch (InterruptedException e) {
            if (state.compareAndSet(NEW, CANCELLED)) {
                throw e;
            }
            synchronized (worker) {
                if (worker[0] != null) {
                    worker[0].interrupt();
                }
            }
            done.awaitUninterruptibly(); // keeps a Weft cancellation's flag; a foreign interrupt is in e
            throw e;
        }
        if (error[0] != null) {
            throw Sneaky.rethrow(error[0]);
        }
        @SuppressWarnings("unchecked")
        T r = (T) result[0];
        return r;
    }
}
