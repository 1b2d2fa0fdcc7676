package dev.weft.micrometer;

import dev.weft.debug.TaskStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * Process-wide Weft task counts ({@link TaskStats}): tasks started, running, and ended by outcome.
 * Every task counts, whoever spawned it (task groups, {@code Weft.gather}/{@code map}/{@code race},
 * hedges, the HTTP modules).
 *
 * {@snippet :
 * new TaskMetrics().bindTo(registry);
 * }
 *
 * <p>Meters: {@code weft.tasks.started} (counter), {@code weft.tasks.running} (gauge),
 * {@code weft.tasks.ended} (counter, tag {@code outcome}: {@code success}, {@code failure},
 * {@code cancelled}); {@code docs/metrics.md} describes each.
 *
 * <p>The counts are never reset; binding twice to one registry registers nothing new.
 */
public final class TaskMetrics implements MeterBinder {
    private final Tags tags;

    /** Binds with no extra tags. */
    public TaskMetrics() {
        this(Tags.empty());
    }

    /**
     * Binds with {@code tags} added to every meter.
     *
     * @param tags common tags (for instance the application's name)
     * @throws NullPointerException if {@code tags} is null
     */
    public TaskMetrics(Iterable<Tag> tags) {
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags must not be null (pass Tags.empty())"));
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry to register them with
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("weft.tasks.started", TaskMetrics.class, c -> TaskStats.now().started())
                .tags(tags).description("Weft tasks started").register(registry);
        Gauge.builder("weft.tasks.running", TaskMetrics.class, c -> TaskStats.now().running())
                .tags(tags).description("Weft tasks started and not yet ended")
                .strongReference(true).register(registry);
        FunctionCounter.builder("weft.tasks.ended", TaskMetrics.class, c -> TaskStats.now().succeeded())
                .tags(tags).tag("outcome", "success").description("Weft tasks ended, by outcome")
                .register(registry);
        FunctionCounter.builder("weft.tasks.ended", TaskMetrics.class, c -> TaskStats.now().failed())
                .tags(tags).tag("outcome", "failure").description("Weft tasks ended, by outcome")
                .register(registry);
        FunctionCounter.builder("weft.tasks.ended", TaskMetrics.class, c -> TaskStats.now().cancelled())
                .tags(tags).tag("outcome", "cancelled").description("Weft tasks ended, by outcome")
                .register(registry);
    }
}
