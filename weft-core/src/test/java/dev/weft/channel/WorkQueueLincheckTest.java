package dev.weft.channel;

import java.util.PriorityQueue;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of a bounded priority WorkQueue's non-blocking operations (tryPut, tryGet,
 * taskDone, shutdown, size, unfinished) against a sequential model of asyncio's Queue.
 */
@Param(name = "v", gen = IntGen.class, conf = "1:5")
public class WorkQueueLincheckTest {
    private final WorkQueue<Integer> q = WorkQueue.priority(2);

    @Operation
    public boolean tryPut(@Param(name = "v") int v) {
        return q.tryPut(v);
    }

    @Operation
    public Integer tryGet() {
        return q.tryGet().orElse(null);
    }

    @Operation
    public void taskDone() {
        q.taskDone();
    }

    @Operation
    public void shutdown() {
        q.shutdown();
    }

    @Operation
    public int size() {
        return q.size();
    }

    @Operation
    public long unfinished() {
        return q.unfinished();
    }

    @Test
    void workQueueIsLinearizableUnderStress() {
        new StressOptions().sequentialSpecification(Spec.class).iterations(20).invocationsPerIteration(500)
                .threads(3).actorsPerThread(3).check(getClass());
    }

    @Test
    void workQueueIsLinearizableUnderModelChecking() {
        new ModelCheckingOptions().sequentialSpecification(Spec.class).iterations(10).invocationsPerIteration(100)
                .threads(3).actorsPerThread(3).check(getClass());
    }

    /** asyncio.Queue(maxsize=2) as a priority queue, with 3.13's shutdown (not immediate). */
    public static final class Spec {
        private final PriorityQueue<Integer> items = new PriorityQueue<>();
        private long unfinished;
        private boolean shutdown;

        public boolean tryPut(int v) {
            if (shutdown) {
                throw new QueueShutdownException("spec");
            }
            if (items.size() == 2) {
                return false;
            }
            items.add(v);
            unfinished++;
            return true;
        }

        public Integer tryGet() {
            Integer v = items.poll();
            if (v == null && shutdown) {
                throw new QueueShutdownException("spec");
            }
            return v;
        }

        public void taskDone() {
            if (unfinished == 0) {
                throw new IllegalStateException("spec");
            }
            unfinished--;
        }

        public void shutdown() {
            shutdown = true;
        }

        public int size() {
            return items.size();
        }

        public long unfinished() {
            return unfinished;
        }
    }
}
