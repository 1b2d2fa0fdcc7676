package dev.weft.micrometer;

import dev.weft.resilience.RateLimiter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * A {@link RateLimiter}'s tokens and waiters, with Resilience4j's names
 * ({@code weft.ratelimiter.available.permissions}, {@code weft.ratelimiter.waiting.threads}),
 * tagged {@code name}. Rejections are counted by {@link ResilienceMetrics} (attach it as the rate
 * limiter's listener).
 *
 * {@snippet :
 * new RateLimiterMetrics(rateLimiter).bindTo(registry);
 * }
 */
public final class RateLimiterMetrics implements MeterBinder {
    private final RateLimiter limiter;
    private final Tags tags;

    /**
     * Metrics for {@code limiter}, tagged {@code name=limiter.name()}.
     *
     * @param limiter the rate limiter
     * @throws NullPointerException if {@code limiter} is null
     */
    public RateLimiterMetrics(RateLimiter limiter) {
        this(limiter, Tags.empty());
    }

    /**
     * Metrics for {@code limiter}, tagged {@code name=limiter.name()} and {@code tags}.
     *
     * @param limiter the rate limiter
     * @param tags more tags for every meter
     * @throws NullPointerException if {@code limiter} or {@code tags} is null
     */
    public RateLimiterMetrics(RateLimiter limiter, Iterable<Tag> tags) {
        this.limiter = Objects.requireNonNull(limiter, "limiter");
        this.tags = Names.tags("rate limiter", limiter.name(), tags);
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry to register them with
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("weft.ratelimiter.available.permissions", limiter, RateLimiter::availablePermits).tags(tags)
                .description("Tokens that could be taken now without waiting").register(registry);
        Gauge.builder("weft.ratelimiter.waiting.threads", limiter, RateLimiter::waiting).tags(tags)
                .description("Callers sleeping until their token is due").register(registry);
    }
}
