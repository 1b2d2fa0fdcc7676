package dev.weft.channel;

import java.util.ArrayDeque;
import java.util.Optional;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Linearizability of a buffered(2) channel's non-blocking operations (trySend, tryReceive, done,
 * size, closed-ness) against a sequential bounded FIFO. Blocking send/receive and select are covered
 * by the concurrent tests in {@link ChannelTest} and {@link SelectTest}.
 */
@Param(name = "v", gen = IntGen.class, conf = "1:5")
public class ChannelLincheckTest {
    private final Channel<Integer> ch = Channel.buffered(2);

    @Operation
    public boolean trySend(@Param(name = "v") int v) {
        return ch.trySend(v);
    }

    @Operation
    public Integer tryReceive() {
        return ch.tryReceive().orElse(null);
    }

    @Operation
    public boolean done() {
        return ch.done();
    }

    @Operation
    public int size() {
        return ch.size();
    }

    @Operation
    public boolean isClosedForReceive() {
        return ch.isClosedForReceive();
    }

    @Test
    void bufferedChannelIsLinearizableUnderStress() {
        new StressOptions().sequentialSpecification(Spec.class).iterations(20).invocationsPerIteration(500)
                .threads(3).actorsPerThread(3).check(getClass());
    }

    @Test
    void bufferedChannelIsLinearizableUnderModelChecking() {
        new ModelCheckingOptions().sequentialSpecification(Spec.class).iterations(10).invocationsPerIteration(100)
                .threads(3).actorsPerThread(3).check(getClass());
    }

    /** A bounded FIFO with a done flag. */
    public static final class Spec {
        private final ArrayDeque<Integer> q = new ArrayDeque<>();
        private boolean done;

        public boolean trySend(int v) {
            if (done) {
                throw new ChannelDoneException("spec");
            }
            if (q.size() == 2) {
                return false;
            }
            q.add(v);
            return true;
        }

        public Integer tryReceive() {
            Integer v = q.poll();
            if (v == null && done) {
                throw new ChannelDoneException("spec");
            }
            return Optional.ofNullable(v).orElse(null);
        }

        public boolean done() {
            boolean was = done;
            done = true;
            return !was;
        }

        public int size() {
            return q.size();
        }

        public boolean isClosedForReceive() {
            return done && q.isEmpty();
        }
    }
}
