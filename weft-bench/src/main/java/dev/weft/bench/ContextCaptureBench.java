package dev.weft.bench;

import dev.weft.ContextPropagation;
import dev.weft.context.MicrometerContext;
import io.micrometer.context.ContextRegistry;
import java.util.Map;
import java.util.concurrent.Callable;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What context propagation adds to one spawn, without the scheduler's noise: on one thread,
 * {@code ContextPropagation.wrap(work)} (the capture {@code TaskGroup.spawn} does) and then the
 * wrapped callable's {@code call()} (the apply-and-restore around the task's body). Same three
 * settings as {@link ContextSpawnBench}; nanoseconds per capture-and-apply.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class ContextCaptureBench {
    private static final ScopedValue<String> REQUEST = ScopedValue.newInstance();
    private static final ThreadLocal<Map<String, String>> MDC_LIKE = new ThreadLocal<>();
    private static final ThreadLocal<String> TENANT = new ThreadLocal<>();
    private static final ThreadLocal<String> USER = new ThreadLocal<>();

    /** What is registered: none, scopedValue, micrometer. */
    @Param({"none", "scopedValue", "micrometer"})
    public String contexts;

    private ContextPropagation.Registration registration;
    private final Callable<String> work = TENANT::get;

    @Setup
    public void register() {
        registration = switch (contexts) {
            case "none" -> null;
            case "scopedValue" -> ContextPropagation.inherit(REQUEST);
            case "micrometer" -> MicrometerContext.install(new ContextRegistry()
                    .registerThreadLocalAccessor("mdc", MDC_LIKE)
                    .registerThreadLocalAccessor("tenant", TENANT)
                    .registerThreadLocalAccessor("user", USER));
            default -> throw new IllegalArgumentException("contexts: none, scopedValue or micrometer, not " + contexts);
        };
        MDC_LIKE.set(Map.of("requestId", "r-1", "route", "/x"));
        TENANT.set("t-1");
        USER.set("u-1");
    }

    @TearDown
    public void unregister() {
        if (registration != null) {
            registration.close();
        }
    }

    /** Inside one outer {@code ScopedValue.where(...).call} in every setting, so the settings differ only in the context. */
    @Benchmark
    public String captureAndApply() throws Exception {
        return ScopedValue.where(REQUEST, "r-1").call(() -> ContextPropagation.wrap(work).call());
    }
}
