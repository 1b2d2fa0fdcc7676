package dev.weft.micrometer;

import dev.weft.resilience.Bulkhead;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * A {@link Bulkhead}'s slots, with Resilience4j's names ({@code weft.bulkhead.available.concurrent.calls},
 * {@code weft.bulkhead.max.allowed.concurrent.calls}) plus {@code weft.bulkhead.waiting}, tagged
 * {@code name}. Rejections are counted by {@link ResilienceMetrics} (attach it as the bulkhead's
 * listener).
 *
 * {@snippet :
 * new BulkheadMetrics(bulkhead).bindTo(registry);
 * }
 */
public final class BulkheadMetrics implements MeterBinder {
    private final Bulkhead bulkhead;
    private final Tags tags;

    /**
     * Metrics for {@code bulkhead}, tagged {@code name=bulkhead.name()}.
     *
     * @param bulkhead the bulkhead
     * @throws NullPointerException if {@code bulkhead} is null
     */
    public BulkheadMetrics(Bulkhead bulkhead) {
        this(bulkhead, Tags.empty());
    }

    /**
     * Metrics for {@code bulkhead}, tagged {@code name=bulkhead.name()} and {@code tags}.
     *
     * @param bulkhead the bulkhead
     * @param tags more tags for every meter
     * @throws NullPointerException if {@code bulkhead} or {@code tags} is null
     */
    public BulkheadMetrics(Bulkhead bulkhead, Iterable<Tag> tags) {
        this.bulkhead = Objects.requireNonNull(bulkhead, "bulkhead");
        this.tags = Names.tags("bulkhead", bulkhead.name(), tags);
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry to register them with
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("weft.bulkhead.available.concurrent.calls", bulkhead,
                        b -> Math.max(0, b.maxConcurrent() - b.inFlight())).tags(tags)
                .description("Slots free now").register(registry);
        Gauge.builder("weft.bulkhead.max.allowed.concurrent.calls", bulkhead, Bulkhead::maxConcurrent).tags(tags)
                .description("Calls allowed in flight at once").register(registry);
        Gauge.builder("weft.bulkhead.waiting", bulkhead, Bulkhead::waiting).tags(tags)
                .description("Callers waiting for a slot now").register(registry);
    }
}
