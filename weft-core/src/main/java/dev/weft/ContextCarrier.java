package dev.weft;

import java.util.concurrent.Callable;

/**
 * One kind of context that follows Weft's tasks (asyncio's {@code contextvars}, Kotlin's
 * {@code ThreadContextElement}): a carrier {@linkplain #capture() captures} its context on the
 * spawning thread when a task is started, and the task's body runs inside the
 * {@linkplain Snapshot#call(Callable) snapshot}, which installs that context on the task's thread and
 * restores the thread's previous context when the body ends, normally, by failure or by
 * cancellation.
 *
 * <p>Register a carrier with {@link ContextPropagation#register(ContextCarrier)}. Weft's own
 * carriers: {@link ContextPropagation#inherit(ScopedValue)} ({@code ScopedValue} keys) and, in the
 * {@code weft-context} module, one for every {@code ThreadLocal} registered with Micrometer's
 * {@code context-propagation} library (SLF4J MDC, OpenTelemetry, your own).
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>{@link #capture()} runs on the spawning thread, at spawn time, and must not change that
 *       thread's context. It returns an immutable snapshot (later changes on the spawning thread are
 *       not seen by the task), or null when there is nothing to carry.</li>
 *   <li>{@link Snapshot#call(Callable)} runs on the task's thread. It must restore the thread's
 *       previous context before returning or throwing: offload threads are reused.</li>
 *   <li>A snapshot may be applied on several threads at once (sibling tasks never share a copy of a
 *       mutable context; each works on its own).</li>
 * </ul>
 * A carrier whose {@code capture()} throws is logged as a WARNING and the task runs without its
 * context; an exception thrown by {@code call} outside the body fails the task.
 */
public interface ContextCarrier {
    /**
     * Captures the calling thread's context.
     *
     * @return an immutable snapshot of it, or null when there is nothing to carry
     */
    Snapshot capture();

    /** A captured context, applied around a task's body on the task's thread. */
    interface Snapshot {
        /**
         * Runs {@code body} on the calling thread with this context installed, then restores the
         * thread's previous context (also when {@code body} throws).
         *
         * @param <T> the body's result type
         * @param body the work to run, exactly once
         * @return what {@code body} returned
         * @throws Exception whatever {@code body} threw, unchanged
         */
        <T> T call(Callable<T> body) throws Exception;
    }
}
