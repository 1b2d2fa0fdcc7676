package dev.weft.bench;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.function.CheckedSupplier;
import dev.weft.Work;
import dev.weft.resilience.Bulkhead;
import dev.weft.resilience.CircuitBreaker;
import dev.weft.resilience.Policy;
import dev.weft.resilience.Retry;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.decorators.Decorators;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * Issue 4's performance target: the added cost (against the bare call, {@code bare_t1} /
 * {@code bare_t8}) of (a) a circuit breaker, (b) a retry, (c) breaker + retry + bulkhead, around a
 * successful no-op call, at 1 and 8 threads, for Weft, Resilience4j 2.4.0 and Failsafe 3.3.2, in one
 * run. Each library with its defaults (Resilience4j: count window 100, slow calls measured; Failsafe:
 * threshold 1 failure; Weft: count window 100, slow calls off), one shared instance per benchmark as
 * a service would share it, decorators built once in {@link #setUp()}. Bulkheads admit 64 at once,
 * never waiting (never full here). Target: Weft's added cost at most 0.5x Resilience4j's, flat from 1
 * to 8 threads. Average time, ns per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {"--enable-preview"})
public class ResilienceBench {
    public int x = 42;

    private Callable<Integer> body;
    private Work<Integer, RuntimeException> work; // the same body, as Weft's calls take it
    private Supplier<Integer> supplier;
    private CheckedSupplier<Integer> checked;

    // Weft
    private CircuitBreaker weftBreaker;
    private Retry weftRetry;
    private Policy weftAll;
    // Resilience4j
    private Supplier<Integer> r4jBreaker;
    private Supplier<Integer> r4jRetry;
    private Supplier<Integer> r4jAll;
    // Failsafe
    private FailsafeExecutor<Integer> fsBreaker;
    private FailsafeExecutor<Integer> fsRetry;
    private FailsafeExecutor<Integer> fsAll;

    @Setup
    public void setUp() {
        body = () -> x;
        work = () -> x;
        supplier = () -> x;
        checked = () -> x;

        weftBreaker = CircuitBreaker.ofDefaults("bench");
        weftRetry = Retry.ofDefaults();
        weftAll = Policy.builder().retry(Retry.ofDefaults()).circuitBreaker(CircuitBreaker.ofDefaults("bench-all"))
                .bulkhead(Bulkhead.of("bench-all", 64, Duration.ZERO)).build();

        io.github.resilience4j.circuitbreaker.CircuitBreaker rcb =
                io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench");
        io.github.resilience4j.retry.Retry rr = io.github.resilience4j.retry.Retry.of("bench", RetryConfig.ofDefaults());
        r4jBreaker = io.github.resilience4j.circuitbreaker.CircuitBreaker.decorateSupplier(rcb, supplier);
        r4jRetry = io.github.resilience4j.retry.Retry.decorateSupplier(rr, supplier);
        r4jAll = Decorators.ofSupplier(supplier)
                .withBulkhead(io.github.resilience4j.bulkhead.Bulkhead.of("bench-all",
                        BulkheadConfig.custom().maxConcurrentCalls(64).maxWaitDuration(Duration.ZERO).build()))
                .withCircuitBreaker(io.github.resilience4j.circuitbreaker.CircuitBreaker.ofDefaults("bench-all"))
                .withRetry(io.github.resilience4j.retry.Retry.of("bench-all", RetryConfig.ofDefaults()))
                .decorate();

        fsBreaker = Failsafe.with(dev.failsafe.CircuitBreaker.<Integer>ofDefaults());
        fsRetry = Failsafe.with(dev.failsafe.RetryPolicy.<Integer>ofDefaults());
        fsAll = Failsafe.with(dev.failsafe.RetryPolicy.<Integer>ofDefaults())
                .compose(dev.failsafe.CircuitBreaker.<Integer>ofDefaults())
                .compose(dev.failsafe.Bulkhead.<Integer>builder(64).build());
    }

    // ---- 1 thread ----

    @Benchmark
    @Threads(1)
    public Integer bare_t1() throws Exception {
        return body.call();
    }

    @Benchmark
    @Threads(1)
    public Integer breaker_weft_t1() throws Exception {
        return weftBreaker.call(work);
    }

    @Benchmark
    @Threads(1)
    public Integer breaker_r4j_t1() {
        return r4jBreaker.get();
    }

    @Benchmark
    @Threads(1)
    public Integer breaker_failsafe_t1() {
        return fsBreaker.get(checked);
    }

    @Benchmark
    @Threads(1)
    public Integer retry_weft_t1() throws Exception {
        return weftRetry.call(work);
    }

    @Benchmark
    @Threads(1)
    public Integer retry_r4j_t1() {
        return r4jRetry.get();
    }

    @Benchmark
    @Threads(1)
    public Integer retry_failsafe_t1() {
        return fsRetry.get(checked);
    }

    @Benchmark
    @Threads(1)
    public Integer all_weft_t1() throws Exception {
        return weftAll.call(work);
    }

    @Benchmark
    @Threads(1)
    public Integer all_r4j_t1() {
        return r4jAll.get();
    }

    @Benchmark
    @Threads(1)
    public Integer all_failsafe_t1() {
        return fsAll.get(checked);
    }

    // ---- 8 threads ----

    @Benchmark
    @Threads(8)
    public Integer bare_t8() throws Exception {
        return body.call();
    }

    @Benchmark
    @Threads(8)
    public Integer breaker_weft_t8() throws Exception {
        return weftBreaker.call(work);
    }

    @Benchmark
    @Threads(8)
    public Integer breaker_r4j_t8() {
        return r4jBreaker.get();
    }

    @Benchmark
    @Threads(8)
    public Integer breaker_failsafe_t8() {
        return fsBreaker.get(checked);
    }

    @Benchmark
    @Threads(8)
    public Integer retry_weft_t8() throws Exception {
        return weftRetry.call(work);
    }

    @Benchmark
    @Threads(8)
    public Integer retry_r4j_t8() {
        return r4jRetry.get();
    }

    @Benchmark
    @Threads(8)
    public Integer retry_failsafe_t8() {
        return fsRetry.get(checked);
    }

    @Benchmark
    @Threads(8)
    public Integer all_weft_t8() throws Exception {
        return weftAll.call(work);
    }

    @Benchmark
    @Threads(8)
    public Integer all_r4j_t8() {
        return r4jAll.get();
    }

    @Benchmark
    @Threads(8)
    public Integer all_failsafe_t8() {
        return fsAll.get(checked);
    }
}
