package dev.weft.micrometer;

import dev.weft.channel.WorkQueue;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A {@link WorkQueue}'s depth, items in and out, and time waiting ({@link WorkQueue#stats()}),
 * tagged {@code name}.
 *
 * {@snippet :
 * WorkQueue<Job> jobs = WorkQueue.fifo(1000);
 * new WorkQueueMetrics(jobs, "jobs").bindTo(registry);
 * }
 *
 * <p>Meters: {@code weft.workqueue.size}, {@code weft.workqueue.capacity} (0: unbounded),
 * {@code weft.workqueue.unfinished}, {@code weft.workqueue.waiting} (tag {@code operation}:
 * {@code get}, {@code put}) (gauges); {@code weft.workqueue.items.added},
 * {@code weft.workqueue.items.taken}, {@code weft.workqueue.items.done} (counters);
 * {@code weft.workqueue.wait} (function timer, tag {@code operation}). {@code docs/metrics.md}
 * describes each. The registry holds the queue weakly.
 */
public final class WorkQueueMetrics implements MeterBinder {
    private final WorkQueue<?> queue;
    private final Tags tags;

    /**
     * Metrics for {@code queue}, tagged {@code name=name}.
     *
     * @param queue the queue
     * @param name its name in the tag {@code name}
     * @throws NullPointerException if {@code queue} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public WorkQueueMetrics(WorkQueue<?> queue, String name) {
        this(queue, name, Tags.empty());
    }

    /**
     * Metrics for {@code queue}, tagged {@code name=name} and {@code tags}.
     *
     * @param queue the queue
     * @param name its name in the tag {@code name}
     * @param tags more tags for every meter
     * @throws NullPointerException if {@code queue} or {@code tags} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public WorkQueueMetrics(WorkQueue<?> queue, String name, Iterable<Tag> tags) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.tags = Names.tags("work queue", name, tags);
    }

    private static ToDoubleFunction<WorkQueue<?>> stat(ToDoubleFunction<WorkQueue.Stats> f) {
        return q -> f.applyAsDouble(q.stats());
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry to register them with
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("weft.workqueue.size", queue, stat(WorkQueue.Stats::size)).tags(tags)
                .description("Items queued now").register(registry);
        Gauge.builder("weft.workqueue.capacity", queue, q -> q.maxSize()).tags(tags)
                .description("The queue's bound (0: unbounded)").register(registry);
        Gauge.builder("weft.workqueue.unfinished", queue, stat(WorkQueue.Stats::unfinished)).tags(tags)
                .description("Items put and not yet marked done").register(registry);
        Gauge.builder("weft.workqueue.waiting", queue, stat(WorkQueue.Stats::waitingGetters)).tags(tags)
                .tag("operation", "get").description("Callers blocked now").register(registry);
        Gauge.builder("weft.workqueue.waiting", queue, stat(WorkQueue.Stats::waitingPutters)).tags(tags)
                .tag("operation", "put").description("Callers blocked now").register(registry);
        FunctionCounter.builder("weft.workqueue.items.added", queue, stat(WorkQueue.Stats::added)).tags(tags)
                .description("Items accepted by put or tryPut").register(registry);
        FunctionCounter.builder("weft.workqueue.items.taken", queue, stat(WorkQueue.Stats::taken)).tags(tags)
                .description("Items handed to get or tryGet").register(registry);
        FunctionCounter.builder("weft.workqueue.items.done", queue, stat(WorkQueue.Stats::done)).tags(tags)
                .description("Items marked done (taskDone)").register(registry);
        FunctionTimer.builder("weft.workqueue.wait", queue, q -> q.stats().getWaits(), q -> q.stats().getWaitNanos(),
                        TimeUnit.NANOSECONDS).tags(tags).tag("operation", "get")
                .description("Blocked calls that have ended, and their time").register(registry);
        FunctionTimer.builder("weft.workqueue.wait", queue, q -> q.stats().putWaits(), q -> q.stats().putWaitNanos(),
                        TimeUnit.NANOSECONDS).tags(tags).tag("operation", "put")
                .description("Blocked calls that have ended, and their time").register(registry);
    }
}
