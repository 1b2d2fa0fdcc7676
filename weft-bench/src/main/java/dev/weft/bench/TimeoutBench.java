package dev.weft.bench;

import dev.weft.CancelScope;
import dev.weft.Timeouts;
import dev.weft.Work;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Added cost of a timeout scope that never fires: {@code Timeouts.failAfter(10 s, () -> x)} and
 * {@code CancelScope.create().run(() -> x)} (no deadline), against the bare call, per call in ns,
 * at 1 thread (the figure of record, DESIGN §4: at most 0.5 µs added) and 8 threads (secondary:
 * every thread enters and leaves its own scopes; anything shared, such as a timer, shows up here).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-preview"})
public class TimeoutBench {

    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);

    private Work<Integer, RuntimeException> body;
    public int x = 42;

    @Setup
    public void setUp() {
        body = () -> x;
    }

    @Benchmark
    @Threads(1)
    public Integer bare_t1() {
        return body.call();
    }

    @Benchmark
    @Threads(1)
    public Integer failAfter_t1() {
        return Timeouts.failAfter(TEN_SECONDS, body);
    }

    @Benchmark
    @Threads(1)
    public Optional<Integer> cancelScope_t1() {
        return CancelScope.create().run(body);
    }

    @Benchmark
    @Threads(8)
    public Integer bare_t8() {
        return body.call();
    }

    @Benchmark
    @Threads(8)
    public Integer failAfter_t8() {
        return Timeouts.failAfter(TEN_SECONDS, body);
    }

    @Benchmark
    @Threads(8)
    public Optional<Integer> cancelScope_t8() {
        return CancelScope.create().run(body);
    }
}
