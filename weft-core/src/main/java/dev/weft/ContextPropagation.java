package dev.weft;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;

/**
 * Context that follows the structure: every task Weft starts runs with a snapshot of its spawner's
 * context, taken when it was spawned (asyncio's {@code create_task} copies the current
 * {@code contextvars}; Kotlin's children inherit their {@code CoroutineContext}).
 *
 * <p>What is carried is what is registered here: {@link ContextCarrier}s
 * ({@link #register(ContextCarrier)}; the {@code weft-context} module registers one that carries
 * every {@code ThreadLocal} known to Micrometer's {@code context-propagation} library, so SLF4J's
 * MDC, OpenTelemetry's {@code Context} and your own thread-locals), and {@code ScopedValue} keys
 * ({@link #inherit(ScopedValue)}: declared once, rebound in every task to the value the spawner saw).
 * {@link Deadline#current()} and cancellation always follow the task tree, registered or not.
 *
 * {@snippet :
 * static final ScopedValue<String> REQUEST_ID = ScopedValue.newInstance();
 * static { ContextPropagation.inherit(REQUEST_ID); }
 *
 * ScopedValue.where(REQUEST_ID, "r-42").call(() -> TaskGroup.run(g -> {
 *     g.spawn(() -> REQUEST_ID.get());   // "r-42", also in grandchildren, hedges, offload
 *     return null;
 * }));
 * }
 *
 * <h2>Where it applies</h2> {@link TaskGroup#spawn} and {@link TaskGroup#launch} (so
 * {@code Weft.map}, {@code gather}, {@code race}, {@code asCompleted}, hedge attempts and everything
 * else built on task groups), {@link Weft#offload}, {@link Weft#run} (its main task sees the
 * caller's context), and the threads of other Weft modules (the bulk-fetch runner). Retries run on
 * the calling thread and see its context as it is. {@link #wrap(Callable)} does the same for a
 * thread or executor of your own.
 *
 * <h2>Semantics</h2> The snapshot is taken on the spawning thread at spawn time; a change the
 * spawner makes later is not seen by the task; a change the task makes is seen by the task and by
 * what it spawns afterwards, never by its spawner or its siblings; when the task's body ends
 * (returns, fails or is cancelled) its thread's previous context is put back.
 *
 * <h2>Cost</h2> With nothing registered, spawning pays one volatile read. Registering is meant for
 * start-up; it is thread-safe, and a task spawned concurrently with a registration may or may not
 * carry the new context.
 */
public final class ContextPropagation {
    /** The logger, made on first use: the first logger of a process looks up the logging backend on the
     *  whole class path (every jar opened), which a run that never logs should not pay for at start-up. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(ContextPropagation.class.getName());
    }

    private static final ContextCarrier[] NONE = {};
    private static final Object LOCK = new Object();
    /** The carriers in registration order, copy-on-write under LOCK; the one read on the spawn path. */
    private static volatile ContextCarrier[] carriers = NONE;
    private static final List<Registration> registered = new ArrayList<>(); // guarded by LOCK
    private static final List<ScopedValue<?>> keys = new ArrayList<>(); // guarded by LOCK, with repeats

    private ContextPropagation() {
    }

    /**
     * A registration, undone by {@link #close()} (idempotent). Registrations normally live as long
     * as the application; tests close them.
     */
    public static final class Registration implements AutoCloseable {
        private final ContextCarrier carrier; // null for a ScopedValue key
        private final ScopedValue<?> key;
        private boolean closed; // guarded by LOCK

        private Registration(ContextCarrier carrier, ScopedValue<?> key) {
            this.carrier = carrier;
            this.key = key;
        }

        /** Removes the carrier or key; tasks spawned afterwards no longer carry it. */
        @Override
        public void close() {
            synchronized (LOCK) {
                if (closed) {
                    return;
                }
                closed = true;
                registered.remove(this);
                if (key != null) {
                    keys.remove(key);
                }
                rebuild();
            }
        }
    }

    /**
     * Registers a carrier: every task spawned from now on carries its context. Carriers are applied
     * in registration order, the first registered outermost.
     *
     * @param carrier the carrier
     * @return the registration, to {@linkplain Registration#close() undo} it
     * @throws NullPointerException if {@code carrier} is null
     */
    public static Registration register(ContextCarrier carrier) {
        Objects.requireNonNull(carrier, "carrier");
        synchronized (LOCK) {
            Registration r = new Registration(carrier, null);
            registered.add(r);
            rebuild();
            return r;
        }
    }

    /**
     * Declares a {@code ScopedValue} key whose binding every task inherits: when a task is spawned
     * where {@code key} is bound, the task's body runs with {@code key} bound to the same value
     * (in one {@code ScopedValue.where(...).call(...)} for all keys). An unbound key stays unbound.
     * Declaring a key twice is harmless.
     *
     * @param key the key
     * @return the registration, to {@linkplain Registration#close() undo} it
     * @throws NullPointerException if {@code key} is null
     */
    public static Registration inherit(ScopedValue<?> key) {
        Objects.requireNonNull(key, "key");
        synchronized (LOCK) {
            Registration r = new Registration(null, key);
            registered.add(r);
            keys.add(key);
            rebuild();
            return r;
        }
    }

    /**
     * Whether any carrier or key is registered (when not, spawning carries nothing and costs nothing).
     *
     * @return whether any carrier or key is registered
     */
    public static boolean isActive() {
        return carriers.length != 0;
    }

    /**
     * Captures the calling thread's context now and returns {@code work} bound to it: the returned
     * callable, run on any thread, runs {@code work} with that context installed and then restores
     * the thread's own. With nothing registered, {@code work} itself is returned.
     *
     * @param <T> the result type
     * @param work the work
     * @return {@code work}, or a callable that runs it in the captured context
     * @throws NullPointerException if {@code work} is null
     */
    public static <T> Callable<T> wrap(Callable<T> work) {
        ContextCarrier[] cs = carriers;
        if (cs.length == 0) {
            return Objects.requireNonNull(work, "work");
        }
        return capture(cs, Objects.requireNonNull(work, "work"));
    }

    /**
     * As {@link #wrap(Callable)} for a {@code Runnable}.
     *
     * @param work the work
     * @return {@code work}, or a runnable that runs it in the captured context
     * @throws NullPointerException if {@code work} is null
     */
    public static Runnable wrap(Runnable work) {
        ContextCarrier[] cs = carriers;
        if (cs.length == 0) {
            return Objects.requireNonNull(work, "work");
        }
        Callable<Object> c = capture(cs, Executors.callable(Objects.requireNonNull(work, "work")));
        return () -> {
            try {
                c.call();
            } catch (Exception e) {
                throw Sneaky.rethrow(e); // a Runnable throws only unchecked ones
            }
        };
    }

    private static <T> Callable<T> capture(ContextCarrier[] cs, Callable<T> work) {
        ContextCarrier.Snapshot[] snaps = new ContextCarrier.Snapshot[cs.length];
        int n = 0;
        for (ContextCarrier c : cs) {
            ContextCarrier.Snapshot s;
            try {
                s = c.capture();
            } catch (RuntimeException e) {
                Log.LOG.log(System.Logger.Level.WARNING, "ContextCarrier " + c + " failed to capture; the task runs"
                        + " without its context", e);
                continue;
            }
            if (s != null) {
                snaps[n++] = s;
            }
        }
        return switch (n) {
            case 0 -> work;
            case 1 -> new One<>(snaps[0], work);
            default -> new Many<>(snaps, n, work);
        };
    }

    private record One<T>(ContextCarrier.Snapshot snapshot, Callable<T> work) implements Callable<T> {
        @Override
        public T call() throws Exception {
            return snapshot.call(work);
        }
    }

    private record Many<T>(ContextCarrier.Snapshot[] snaps, int n, Callable<T> work) implements Callable<T> {
        @Override
        public T call() throws Exception {
            return from(0);
        }

        private T from(int i) throws Exception {
            return i == n ? work.call() : snaps[i].call(() -> from(i + 1));
        }
    }

    private static void rebuild() { // under LOCK
        List<ContextCarrier> cs = new ArrayList<>();
        boolean scoped = false;
        for (Registration r : registered) {
            if (r.carrier != null) {
                cs.add(r.carrier);
            } else if (!scoped) {
                scoped = true;
                cs.add(new ScopedValues(keys.stream().distinct().toArray(ScopedValue<?>[]::new)));
            }
        }
        carriers = cs.isEmpty() ? NONE : cs.toArray(ContextCarrier[]::new);
    }

    /** The carrier of the inherited ScopedValue keys: all bound ones in one Carrier. */
    private record ScopedValues(ScopedValue<?>[] keys) implements ContextCarrier {
        @Override
        public Snapshot capture() {
            ScopedValue.Carrier bound = null;
            for (ScopedValue<?> k : keys) {
                if (k.isBound()) {
                    bound = bind(bound, k);
                }
            }
            return bound == null ? null : new Bound(bound);
        }

        private static <V> ScopedValue.Carrier bind(ScopedValue.Carrier c, ScopedValue<V> k) {
            V v = k.get();
            return c == null ? ScopedValue.where(k, v) : c.where(k, v);
        }

        @Override
        public String toString() {
            return "ScopedValue keys " + keys.length;
        }
    }

    private record Bound(ScopedValue.Carrier bindings) implements ContextCarrier.Snapshot {
        @Override
        public <T> T call(Callable<T> body) throws Exception {
            return bindings.call(body::call);
        }
    }
}
