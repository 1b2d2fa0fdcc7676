package dev.weft.resilience;

import dev.weft.Limiter;
import dev.weft.Work;
import dev.weft.resilience.internal.Support;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Bounds the calls in flight to one dependency, so a slow dependency cannot take every thread
 * (or every connection) with it. Weft's {@link Limiter} (FIFO, no permit lost on cancel, waits bounded
 * by {@link dev.weft.Deadline#current()}) with a maximum wait.
 *
 * {@snippet :
 * Bulkhead bulkhead = Bulkhead.of("payments", 32, Duration.ofMillis(50));
 * Receipt r = bulkhead.call(() -> payments.charge(order)); // or BulkheadFullException
 * }
 *
 * <p>A call waits at most {@link #maxWait()} for a slot (zero: not at all), then is refused with
 * {@link BulkheadFullException}. Thread safe.
 *
 * <h2>Design</h2> With a maximum wait, slots come from a {@link Limiter} (FIFO among waiters, no
 * barging). With a zero maximum wait nobody ever queues, so FIFO has nothing to order: the slots
 * are one atomic counter taken by compare-and-set and given back by decrement, the same semantics
 * without the limiter's lock on the hot path. The counter is padded onto a cache line of its own
 * (the middle of an {@link AtomicIntegerArray}), so that the read-mostly fields of this object and
 * its neighbours in memory are not invalidated by every call on another core (false sharing).
 */
public final class Bulkhead {
    private final String name;
    private final int maxConcurrent;
    private final Duration maxWait;
    private final Limiter limiter; // null when maxWait is zero
    private static final int SLOT = 16; // 64 bytes of padding on each side of the counter
    private final AtomicIntegerArray inUse; // null when maxWait is positive; the counter is inUse[SLOT]
    private final List<ResilienceListener> listeners;

    private Bulkhead(String name, int maxConcurrent, Duration maxWait, List<ResilienceListener> listeners) {
        this.name = name;
        this.maxConcurrent = maxConcurrent;
        this.maxWait = maxWait;
        boolean noWait = maxWait.isZero();
        this.limiter = noWait ? null : Limiter.of(maxConcurrent);
        this.inUse = noWait ? new AtomicIntegerArray(2 * SLOT + 1) : null;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * A bulkhead admitting {@code maxConcurrent} calls at once, others waiting up to {@code maxWait}.
     *
     * @param name the name in rejections and events
     * @param maxConcurrent the most calls in flight at once, at least 1
     * @param maxWait how long a call waits for a slot before it is rejected; zero rejects at once
     * @return a new bulkhead with no call in flight
     * @throws IllegalArgumentException if {@code maxConcurrent} is less than 1 or {@code maxWait} is negative
     */
    public static Bulkhead of(String name, int maxConcurrent, Duration maxWait) {
        return of(name, maxConcurrent, maxWait, List.of());
    }

    /**
     * As {@link #of(String, int, Duration)}, with listeners for its rejections.
     *
     * @param name the name in rejections and events
     * @param maxConcurrent the most calls in flight at once, at least 1
     * @param maxWait how long a call waits for a slot before it is rejected; zero rejects at once
     * @param listeners told of each rejection; a listener's exception is logged, never thrown
     * @return a new bulkhead with no call in flight
     * @throws IllegalArgumentException if {@code maxConcurrent} is less than 1 or {@code maxWait} is negative
     */
    public static Bulkhead of(String name, int maxConcurrent, Duration maxWait, List<ResilienceListener> listeners) {
        Objects.requireNonNull(name, "name must not be null");
        Support.atLeast("bulkhead maxConcurrent", maxConcurrent, 1);
        Support.notNegative("bulkhead maxWait", maxWait);
        return new Bulkhead(name, maxConcurrent, maxWait, listeners);
    }

    /**
     * The name.
     *
     * @return the name given at creation
     */
    public String name() {
        return name;
    }

    /**
     * Calls allowed in flight at once.
     *
     * @return the most calls in flight at once
     */
    public int maxConcurrent() {
        return maxConcurrent;
    }

    /**
     * How long a call waits for a slot.
     *
     * @return the longest a call waits for a slot
     */
    public Duration maxWait() {
        return maxWait;
    }

    /**
     * Calls in flight now.
     *
     * @return the number of calls holding a slot now
     */
    public int inFlight() {
        return limiter != null ? limiter.inUse() : inUse.get(SLOT);
    }

    /**
     * Callers waiting for a slot now (Resilience4j's available-vs-waiting metrics): always 0 with a
     * zero maximum wait, where nobody queues. A snapshot, exact at the instant it is read.
     *
     * @return the number of callers waiting for a slot
     */
    public int waiting() {
        return limiter != null ? limiter.waiting() : 0;
    }

    /**
     * Runs {@code call} in a slot. The call's own checked exception type passes through.
     *
     * @param <T> the type of the result
     * @param <E> the checked exception the call may throw ({@code RuntimeException} if none)
     * @param call the call
     * @return what {@code call} returned
     * @throws BulkheadFullException if no slot freed within the maximum wait (the call did not run)
     * @throws E what {@code call} threw
     * @throws InterruptedException if the caller was cancelled while waiting
     */
    public <T, E extends Exception> T call(Work<? extends T, E> call) throws E, InterruptedException {
        return execute(Step.CALL, Objects.requireNonNull(call, "call"), null);
    }

    <T, E extends Exception> T execute(Step next, Work<? extends T, E> call, ResilienceListener extra)
            throws E, InterruptedException {
        AtomicIntegerArray slots = inUse;
        if (slots != null) {
            int n;
            do {
                n = slots.get(SLOT);
                if (n >= maxConcurrent) {
                    throw reject(extra);
                }
            } while (!slots.compareAndSet(SLOT, n, n + 1));
            try {
                return next.run(call);
            } finally {
                slots.decrementAndGet(SLOT);
            }
        }
        Optional<Limiter.Permit> p = limiter.tryAcquire(maxWait);
        if (p.isEmpty()) {
            throw reject(extra);
        }
        try (Limiter.Permit _ = p.get()) {
            return next.run(call);
        }
    }

    private BulkheadFullException reject(ResilienceListener extra) {
        BulkheadFullException e = new BulkheadFullException(name, maxConcurrent, maxWait);
        if (extra != null || !listeners.isEmpty()) {
            Support.emit(listeners, extra, l -> l.onRejected(name, e));
        }
        return e;
    }

    @Override
    public String toString() {
        return "Bulkhead[" + name + ", " + inFlight() + "/" + maxConcurrent + " in flight, " + waiting()
                + " waiting, maxWait " + maxWait + "]";
    }
}
