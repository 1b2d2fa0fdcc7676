package dev.weft.bench;

import dev.weft.Limiter;
import dev.weft.Work;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Added cost of {@code Limiter.run(() -> x)} around an empty call, against the bare call, with 1 and
 * 8 threads sharing one limiter. The capacity (default 64) is above the thread count, so nobody ever
 * waits: the figure is the acquire/release path itself (plus, at 8 threads, contention on the
 * limiter's one lock; on a 2-core machine 8 threads also time-share the cores, which the bare
 * call at 8 threads sees too and the ratio cancels).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-preview"})
public class LimiterBench {

    @Param({"64"})
    public int capacity;

    private Limiter limiter;
    private Work<Integer, RuntimeException> body;
    public int x = 42;

    @Setup
    public void setUp() {
        limiter = Limiter.of(capacity);
        body = () -> x;
    }

    @Benchmark
    @Threads(1)
    public Integer bare_t1() {
        return body.call();
    }

    @Benchmark
    @Threads(1)
    public Integer limiter_t1() throws InterruptedException {
        return limiter.run(body);
    }

    @Benchmark
    @Threads(8)
    public Integer bare_t8() {
        return body.call();
    }

    @Benchmark
    @Threads(8)
    public Integer limiter_t8() throws InterruptedException {
        return limiter.run(body);
    }
}
