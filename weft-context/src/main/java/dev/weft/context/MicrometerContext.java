package dev.weft.context;

import dev.weft.ContextCarrier;
import dev.weft.ContextPropagation;
import io.micrometer.context.ContextRegistry;
import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The bridge from Micrometer's {@code context-propagation} library to Weft: a {@link ContextCarrier}
 * that carries every {@code ThreadLocal} registered in a {@link ContextRegistry} (through its
 * {@code ThreadLocalAccessor} SPI) into every task Weft starts. Install it once at start-up, and
 * register the accessors you need:
 *
 * {@snippet :
 * ContextRegistry.getInstance()
 *         .registerThreadLocalAccessor(new Slf4jThreadLocalAccessor())   // SLF4J / Logback MDC
 *         .registerThreadLocalAccessor(new OpenTelemetryAccessor())      // OpenTelemetry Context (spans, baggage)
 *         .registerThreadLocalAccessor("tenant", TENANT);                // a ThreadLocal of your own
 * MicrometerContext.install();
 * }
 *
 * <h2>Semantics</h2> At spawn, on the spawning thread, one {@link ContextSnapshot} of every
 * registered accessor is taken ({@code captureAll}). Around the task's body the snapshot is set on
 * the task's thread and, when the body ends (returns, fails or is cancelled), the thread's previous
 * values are restored. A thread-local that had no value at spawn is <em>cleared</em> in the task
 * ({@code clearMissing}): the task sees exactly its spawner's context, also on a reused offload
 * thread that a previous task left something on. Accessors registered after {@code install()} are
 * carried too (the registry is read at every capture); with no accessor registered, a spawn costs
 * one list-emptiness check more.
 *
 * <h2>Thread safety</h2> Immutable; snapshots are taken and applied on any number of threads at once.
 */
public final class MicrometerContext implements ContextCarrier {
    private final ContextRegistry registry;
    private final ContextSnapshotFactory factory;

    private MicrometerContext(ContextRegistry registry) {
        this.registry = registry;
        this.factory = ContextSnapshotFactory.builder().contextRegistry(registry).clearMissing(true).build();
    }

    /**
     * A carrier for the thread-locals of {@code registry}, to register with
     * {@link ContextPropagation#register(ContextCarrier)} (or use {@link #install(ContextRegistry)}).
     *
     * @param registry the registry whose thread-local accessors are carried
     * @return the carrier
     * @throws NullPointerException if {@code registry} is null
     */
    public static MicrometerContext carrier(ContextRegistry registry) {
        return new MicrometerContext(Objects.requireNonNull(registry, "registry"));
    }

    /**
     * Carries the thread-locals of the global {@link ContextRegistry#getInstance()} into every Weft
     * task from now on. Call it once, at start-up.
     *
     * @return the registration, to {@linkplain ContextPropagation.Registration#close() undo} it
     */
    public static ContextPropagation.Registration install() {
        return install(ContextRegistry.getInstance());
    }

    /**
     * Carries the thread-locals of {@code registry} into every Weft task from now on.
     *
     * @param registry the registry whose thread-local accessors are carried
     * @return the registration, to {@linkplain ContextPropagation.Registration#close() undo} it
     * @throws NullPointerException if {@code registry} is null
     */
    public static ContextPropagation.Registration install(ContextRegistry registry) {
        return ContextPropagation.register(carrier(registry));
    }

    /**
     * Captures every registered thread-local of the calling thread.
     *
     * @return the snapshot, or null when the registry has no thread-local accessor
     */
    @Override
    public Snapshot capture() {
        if (registry.getThreadLocalAccessors().isEmpty()) {
            return null;
        }
        return new Captured(factory.captureAll());
    }

    @Override
    public String toString() {
        return "MicrometerContext" + registry;
    }

    private record Captured(ContextSnapshot snapshot) implements Snapshot {
        @Override
        public <T> T call(Callable<T> body) throws Exception {
            try (ContextSnapshot.Scope restore = snapshot.setThreadLocals()) {
                return body.call();
            }
        }
    }
}
