package dev.weft.micrometer;

import dev.weft.resilience.CircuitBreaker;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Locale;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * A {@link CircuitBreaker}'s state and calls by outcome, with Resilience4j's meter names
 * ({@code resilience4j.circuitbreaker.*} becomes {@code weft.circuitbreaker.*}), tagged
 * {@code name} with the breaker's name.
 *
 * {@snippet :
 * CircuitBreaker breaker = CircuitBreaker.ofDefaults("payments");
 * new CircuitBreakerMetrics(breaker).bindTo(registry);
 * }
 *
 * <p>Meters: {@code weft.circuitbreaker.state} (gauge per {@code state} tag: {@code closed},
 * {@code open}, {@code half_open}, {@code forced_open}; 1 for the current state, 0 for the others,
 * as in Resilience4j); {@code weft.circuitbreaker.calls} (counter, tag {@code kind}:
 * {@code successful}, {@code failed}, {@code ignored}, {@code not_permitted});
 * {@code weft.circuitbreaker.failure.rate}, {@code weft.circuitbreaker.slow.call.rate} (gauges,
 * percent; -1 until the minimum number of calls), {@code weft.circuitbreaker.buffered.calls},
 * {@code weft.circuitbreaker.waiting} (gauges). {@code docs/metrics.md} describes each. The
 * registry holds the breaker weakly.
 */
public final class CircuitBreakerMetrics implements MeterBinder {
    private final CircuitBreaker breaker;
    private final Tags tags;

    /**
     * Metrics for {@code breaker}, tagged {@code name=breaker.name()}.
     *
     * @param breaker the breaker
     * @throws NullPointerException if {@code breaker} is null
     */
    public CircuitBreakerMetrics(CircuitBreaker breaker) {
        this(breaker, Tags.empty());
    }

    /**
     * Metrics for {@code breaker}, tagged {@code name=breaker.name()} and {@code tags}.
     *
     * @param breaker the breaker
     * @param tags more tags for every meter
     * @throws NullPointerException if {@code breaker} or {@code tags} is null
     */
    public CircuitBreakerMetrics(CircuitBreaker breaker, Iterable<Tag> tags) {
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.tags = Names.tags("circuit breaker", breaker.name(), tags);
    }

    private static ToDoubleFunction<CircuitBreaker> metric(ToDoubleFunction<CircuitBreaker.Metrics> f) {
        return b -> f.applyAsDouble(b.metrics());
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry to register them with
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        for (CircuitBreaker.State s : CircuitBreaker.State.values()) {
            Gauge.builder("weft.circuitbreaker.state", breaker, b -> b.state() == s ? 1 : 0).tags(tags)
                    .tag("state", s.name().toLowerCase(Locale.ROOT))
                    .description("1 for the breaker's current state, 0 for the others").register(registry);
        }
        calls(registry, "successful", CircuitBreaker.Metrics::successes);
        calls(registry, "failed", CircuitBreaker.Metrics::failures);
        calls(registry, "ignored", CircuitBreaker.Metrics::ignored);
        calls(registry, "not_permitted", CircuitBreaker.Metrics::notPermitted);
        Gauge.builder("weft.circuitbreaker.failure.rate", breaker, metric(CircuitBreaker.Metrics::failureRate))
                .tags(tags).description("Failures per 100 calls in the window; -1 below the minimum number of calls").register(registry);
        Gauge.builder("weft.circuitbreaker.slow.call.rate", breaker, metric(CircuitBreaker.Metrics::slowCallRate))
                .tags(tags).description("Slow calls per 100 calls in the window; -1 below the minimum number of calls").register(registry);
        Gauge.builder("weft.circuitbreaker.buffered.calls", breaker, metric(CircuitBreaker.Metrics::bufferedCalls))
                .tags(tags).description("Calls in the current window (closed) or trial calls ended (half-open)").register(registry);
        Gauge.builder("weft.circuitbreaker.waiting", breaker, CircuitBreaker::waiting).tags(tags)
                .description("Calls waiting for a trial period or its verdict (waitForTrial only)").register(registry);
    }

    private void calls(MeterRegistry registry, String kind, ToDoubleFunction<CircuitBreaker.Metrics> f) {
        FunctionCounter.builder("weft.circuitbreaker.calls", breaker, metric(f)).tags(tags).tag("kind", kind)
                .description("Calls through the breaker since it was built, by kind")
                .register(registry);
    }
}
