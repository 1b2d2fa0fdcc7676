package dev.weft.micrometer;

import dev.weft.channel.Channel;
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
 * A {@link Channel}'s depth, items in and out, and time waiting ({@link Channel#stats()}), tagged
 * {@code name}.
 *
 * {@snippet :
 * Channel<Line> lines = Channel.buffered(64);
 * new ChannelMetrics(lines, "lines").bindTo(registry);
 * }
 *
 * <p>Meters: {@code weft.channel.size}, {@code weft.channel.capacity} (0: rendezvous; unbounded
 * channels report {@code Integer.MAX_VALUE}), {@code weft.channel.waiting} (tag {@code operation}:
 * {@code send}, {@code receive}) (gauges); {@code weft.channel.items.sent},
 * {@code weft.channel.items.received}, {@code weft.channel.items.undelivered} (counters);
 * {@code weft.channel.wait} (function timer, tag {@code operation}). {@code docs/metrics.md}
 * describes each. The registry holds the channel weakly.
 */
public final class ChannelMetrics implements MeterBinder {
    private final Channel<?> channel;
    private final Tags tags;

    /**
     * Metrics for {@code channel}, tagged {@code name=name}.
     *
     * @param channel the channel
     * @param name its name in the tag {@code name}
     * @throws NullPointerException if {@code channel} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public ChannelMetrics(Channel<?> channel, String name) {
        this(channel, name, Tags.empty());
    }

    /**
     * Metrics for {@code channel}, tagged {@code name=name} and {@code tags}.
     *
     * @param channel the channel
     * @param name its name in the tag {@code name}
     * @param tags more tags for every meter
     * @throws NullPointerException if {@code channel} or {@code tags} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public ChannelMetrics(Channel<?> channel, String name, Iterable<Tag> tags) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.tags = Names.tags("channel", name, tags);
    }

    private static ToDoubleFunction<Channel<?>> stat(ToDoubleFunction<Channel.Stats> f) {
        return c -> f.applyAsDouble(c.stats());
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry to register them with
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("weft.channel.size", channel, stat(Channel.Stats::size)).tags(tags)
                .description("Items buffered now").register(registry);
        Gauge.builder("weft.channel.capacity", channel, c -> c.capacity()).tags(tags)
                .description("Buffer capacity (0: rendezvous)").register(registry);
        Gauge.builder("weft.channel.waiting", channel, stat(Channel.Stats::waitingSenders)).tags(tags)
                .tag("operation", "send").description("Callers blocked now").register(registry);
        Gauge.builder("weft.channel.waiting", channel, stat(Channel.Stats::waitingReceivers)).tags(tags)
                .tag("operation", "receive").description("Callers blocked now").register(registry);
        FunctionCounter.builder("weft.channel.items.sent", channel, stat(Channel.Stats::sent)).tags(tags)
                .description("Items that entered the channel").register(registry);
        FunctionCounter.builder("weft.channel.items.received", channel, stat(Channel.Stats::received)).tags(tags)
                .description("Items handed to receivers").register(registry);
        FunctionCounter.builder("weft.channel.items.undelivered", channel, stat(Channel.Stats::undelivered))
                .tags(tags).description("Items dropped by the overflow policy or discarded by fail").register(registry);
        FunctionTimer.builder("weft.channel.wait", channel, c -> c.stats().sendWaits(),
                        c -> c.stats().sendWaitNanos(), TimeUnit.NANOSECONDS).tags(tags).tag("operation", "send")
                .description("Blocked calls that have ended, and their time").register(registry);
        FunctionTimer.builder("weft.channel.wait", channel, c -> c.stats().receiveWaits(),
                        c -> c.stats().receiveWaitNanos(), TimeUnit.NANOSECONDS).tags(tags).tag("operation", "receive")
                .description("Blocked calls that have ended, and their time").register(registry);
    }
}
