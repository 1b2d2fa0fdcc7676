package dev.weft.micrometer;

import dev.weft.Limiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Limiter}'s permits, waiters and wait time, tagged {@code name}.
 *
 * {@snippet :
 * Limiter db = Limiter.of(20);
 * new LimiterMetrics(db, "db").bindTo(registry);
 * }
 *
 * <p>Meters: {@code weft.limiter.permits.capacity}, {@code weft.limiter.permits.in.use},
 * {@code weft.limiter.waiters} (gauges), {@code weft.limiter.permits.acquired} (counter),
 * {@code weft.limiter.wait} (function timer: waits ended and their total time, seconds);
 * {@code docs/metrics.md} describes each. The registry holds the limiter weakly, as Micrometer's
 * gauges do.
 */
public final class LimiterMetrics implements MeterBinder {
    private final Limiter limiter;
    private final Tags tags;

    /**
     * Metrics for {@code limiter}, tagged {@code name=name}.
     *
     * @param limiter the limiter
     * @param name its name in the tag {@code name}
     * @throws NullPointerException if {@code limiter} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public LimiterMetrics(Limiter limiter, String name) {
        this(limiter, name, Tags.empty());
    }

    /**
     * Metrics for {@code limiter}, tagged {@code name=name} and {@code tags}.
     *
     * @param limiter the limiter
     * @param name its name in the tag {@code name}
     * @param tags more tags for every meter
     * @throws NullPointerException if {@code limiter} or {@code tags} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public LimiterMetrics(Limiter limiter, String name, Iterable<Tag> tags) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.tags = Names.tags("limiter", name, tags);
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry to register them with
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("weft.limiter.permits.capacity", limiter, Limiter::capacity).tags(tags)
                .description("Permits the limiter hands out at most at once").register(registry);
        Gauge.builder("weft.limiter.permits.in.use", limiter, Limiter::inUse).tags(tags)
                .description("Permits held now").register(registry);
        Gauge.builder("weft.limiter.waiters", limiter, Limiter::waiting).tags(tags)
                .description("Callers waiting for a permit now").register(registry);
        FunctionCounter.builder("weft.limiter.permits.acquired", limiter, Limiter::acquired).tags(tags)
                .description("Permits handed out, at once or after a wait").register(registry);
        FunctionTimer.builder("weft.limiter.wait", limiter, Limiter::waitCount, Limiter::waitTimeNanos,
                        TimeUnit.NANOSECONDS).tags(tags)
                .description("Waits for a permit that have ended (granted, timed out or cancelled) and their time")
                .register(registry);
    }
}
