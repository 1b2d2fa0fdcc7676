package dev.weft;

import dev.weft.internal.Latch;
import dev.weft.internal.Scope;
import dev.weft.internal.SystemClock;
import dev.weft.internal.ThreadState;
import dev.weft.internal.debug.DebugHooks;
import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * {@link Weft#run}: the root scope. The main work runs on a virtual thread whose chain starts at a
 * root scope; SIGINT/SIGTERM cancel that scope the first time and halt the process (status 130)
 * the second time. The previous signal handlers are restored when the run ends.
 */
final class Root {
    private Root() {
    }

    static <T, E extends Exception> T run(Work<T, E> main) throws E, InterruptedException {
        return run(main, new String[1]);
    }

    /** As {@link #run(Work)}; {@code signalOut[0]} receives the name of the first signal ("INT", "TERM"), if any. */
    static <T, E extends Exception> T run(Work<T, E> main, String[] signalOut) throws E, InterruptedException {
        java.util.Objects.requireNonNull(main, "main");
        java.util.concurrent.Callable<T> work = ContextPropagation.wrap(main::call); // the caller's context
        Latch done = new Latch();
        Object[] result = new Object[1];
        Throwable[] error = new Throwable[1];
        Scope[] rootHolder = new Scope[1];
        ThreadState mainState = ThreadState.newTaskThread(Thread.ofVirtual().name("weft-main").factory());
        Thread thread = mainState.thread;
        Runnable body = () -> {
            ThreadState st = mainState;
            Scope root = rootHolder[0];
            st.push(root);
            try {
                result[0] = work.call();
            } catch (Throwable t) {
                error[0] = t;
            } finally {
                try {
                    if (DebugHooks.ON) {
                        DebugHooks.rootEnding(root);
                    }
                    leave(st, root, error);
                } finally {
                    done.open();
                }
            }
        };
        Scope root = new Scope(null, null, mainState, SystemClock.INSTANCE) {
            @Override
            public String toString() {
                return "Weft.run root scope";
            }
        };
        rootHolder[0] = root;
        if (DebugHooks.ON) {
            DebugHooks.rootStarted(root, thread);
        }
        List<Runnable> restore = installSignals(root, signalOut);
        try {
            mainState.start(body);
            boolean interrupted = false;
            while (!done.isOpen()) {
                try {
                    done.await();
                } catch (InterruptedException e) {
                    interrupted = true;
                    root.cancel(Scope.EXPLICIT); // the caller was interrupted: cancel main, wait for it
                }
            }
            if (interrupted) {
                dev.weft.internal.ThreadState.current().restoreInterrupt();
            }
        } finally {
            restore.forEach(Runnable::run);
        }
        Throwable t = error[0];
        if (t == null) {
            @SuppressWarnings("unchecked")
            T r = (T) result[0];
            return r;
        }
        if (root.isCancelled() && Weft.isCancellation(t)) {
            InterruptedException ie = new InterruptedException(root.describeCancellation());
            ie.initCause(t);
            throw ie;
        }
        throw Sneaky.rethrow(t);
    }

    /**
     * Pops the root scope. If main returned with a group or cancel scope it opened still open, the
     * chain is unwound (else Weft.run would never return), the tasks of those groups are cancelled
     * (not waited for), and the run fails with an IllegalStateException (main's own exception, if any, attached as suppressed).
     */
    private static void leave(ThreadState st, Scope root, Throwable[] error) {
        if (st.top() == root) {
            st.pop(root);
            return;
        }
        root.cancel(Scope.CLOSED); // reaches the tasks of the groups left open: they are cancelled, not waited for
        int open = st.unwindTo(root);
        IllegalStateException leak = new IllegalStateException("Weft.run's main returned with " + open
                + (open == 1 ? " TaskGroup or CancelScope" : " TaskGroups or CancelScopes")
                + " it opened still open (their tasks were cancelled): close every scope you open (try-with-resources), or use the"
                + " lambda forms");
        if (error[0] != null) {
            leak.addSuppressed(error[0]);
        }
        error[0] = leak;
    }

    private static List<Runnable> installSignals(Scope root, String[] signalOut) {
        List<Runnable> restore = new ArrayList<>();
        int[] count = new int[1];
        SignalHandler handler = sig -> {
            synchronized (count) {
                count[0]++;
                if (count[0] > 1) {
                    System.err.println("weft: second " + sig.getName() + " signal, exiting now");
                    Runtime.getRuntime().halt(130);
                }
                signalOut[0] = sig.getName();
            }
            root.cancel(Scope.SIGNAL);
        };
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                SignalHandler previous = Signal.handle(new Signal(name), handler);
                restore.add(() -> Signal.handle(new Signal(name), previous));
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the signal is not available here (for instance -Xrs): run without it
            }
        }
        return restore;
    }
}
