package dev.weft;

import java.util.ArrayDeque;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.ThreadIdGen;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of {@link Limiter}'s non-blocking operations, checked by Lincheck against
 * {@link Spec}, a plain sequential counter. Each thread keeps the permits it acquired in its own
 * stack (indexed by Lincheck's thread id), so {@code release} closes a permit its own thread holds
 * and the bookkeeping of the test itself is never racy.
 *
 * <p>Blocking {@code acquire} is not modelled here (Lincheck's blocking support does not fit a
 * parked waiter that a release hands a permit to); {@link LimiterTest} covers waiters, FIFO hand-off
 * and cancellation.
 */
@Param(name = "capacity", gen = IntGen.class, conf = "0:3")
public class LimiterLincheckTest {
    private static final int MAX_THREADS = 8;

    private final Limiter limiter = Limiter.of(2);
    @SuppressWarnings("unchecked")
    private final ArrayDeque<Limiter.Permit>[] held = new ArrayDeque[MAX_THREADS];

    public LimiterLincheckTest() {
        for (int i = 0; i < MAX_THREADS; i++) {
            held[i] = new ArrayDeque<>();
        }
    }

    @Operation
    public boolean tryAcquire(@Param(gen = ThreadIdGen.class) int thread) {
        var permit = limiter.tryAcquire();
        permit.ifPresent(held[thread]::push);
        return permit.isPresent();
    }

    @Operation
    public boolean release(@Param(gen = ThreadIdGen.class) int thread) {
        Limiter.Permit p = held[thread].poll();
        if (p == null) {
            return false;
        }
        p.close();
        return true;
    }

    @Operation
    public void setCapacity(@Param(name = "capacity") int capacity) {
        limiter.setCapacity(capacity);
    }

    @Operation
    public int inUse() {
        return limiter.inUse();
    }

    @Operation
    public int available() {
        return limiter.available();
    }

    @Operation
    public int capacity() {
        return limiter.capacity();
    }

    @Operation
    public int waiting() {
        return limiter.waiting();
    }

    @Test
    void nonBlockingOperationsAreLinearizableUnderStress() {
        new StressOptions()
                .sequentialSpecification(Spec.class)
                .iterations(8)
                .invocationsPerIteration(300)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .check(getClass());
    }

    @Test
    void nonBlockingOperationsAreLinearizableUnderModelChecking() {
        new ModelCheckingOptions()
                .sequentialSpecification(Spec.class)
                .iterations(8)
                .invocationsPerIteration(40)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(2)
                .check(getClass());
    }

    /** The sequential specification: a capacity, a count in use, and how many permits each thread holds. */
    public static final class Spec {
        private int capacity = 2;
        private int inUse;
        private final int[] held = new int[MAX_THREADS];

        public boolean tryAcquire(int thread) {
            if (inUse < capacity) {
                inUse++;
                held[thread]++;
                return true;
            }
            return false;
        }

        public boolean release(int thread) {
            if (held[thread] == 0) {
                return false;
            }
            held[thread]--;
            inUse--;
            return true;
        }

        public void setCapacity(int capacity) {
            this.capacity = capacity;
        }

        public int inUse() {
            return inUse;
        }

        public int available() {
            return Math.max(0, capacity - inUse);
        }

        public int capacity() {
            return capacity;
        }

        public int waiting() {
            return 0;
        }
    }
}
