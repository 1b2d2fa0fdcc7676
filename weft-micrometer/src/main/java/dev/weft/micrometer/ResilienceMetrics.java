package dev.weft.micrometer;

import dev.weft.resilience.BulkheadFullException;
import dev.weft.resilience.CircuitBreaker;
import dev.weft.resilience.CircuitBreakerOpenException;
import dev.weft.resilience.RateLimitedException;
import dev.weft.resilience.RejectedException;
import dev.weft.resilience.ResilienceListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts resilience events as Micrometer counters: a {@link ResilienceListener} to attach to a
 * {@code Policy}, a {@code Retry}, a {@code CircuitBreaker}, a {@code RateLimiter} or a
 * {@code Bulkhead} (their builders' {@code listener(...)}). Each counter is tagged {@code name}
 * with the name of the component that raised the event, and registered the first time it counts.
 *
 * {@snippet :
 * ResilienceMetrics events = new ResilienceMetrics(registry);
 * Policy policy = Policy.builder().retry(Retry.builder().name("api").build()).listener(events).build();
 * }
 *
 * <p>Meters (all counters): {@code weft.retry.attempts}, {@code weft.retry.retries},
 * {@code weft.retry.giveups} (tag {@code reason}: {@code max_attempts}, {@code max_duration},
 * {@code deadline}, {@code budget_spent}, {@code not_retryable}, {@code circuit_breaker_open},
 * {@code other}), {@code weft.resilience.rejections} (tag {@code kind}: {@code circuitbreaker},
 * {@code bulkhead}, {@code ratelimiter}), {@code weft.circuitbreaker.transitions} (tags
 * {@code from}, {@code to}), {@code weft.hedge.attempts}, {@code weft.fallback.calls}.
 * {@code docs/metrics.md} describes each.
 *
 * <h2>Cost</h2> One map look-up per event (no allocation once the counter exists), then a
 * counter increment. Events are raised on the caller's thread, never under a component's lock.
 */
public final class ResilienceMetrics implements ResilienceListener {
    private record Key(String meter, String name, String tag) {
    }

    private final MeterRegistry registry;
    private final Tags tags;
    private final ConcurrentHashMap<Key, Counter> counters = new ConcurrentHashMap<>();

    /**
     * Counts into {@code registry}.
     *
     * @param registry where the counters are registered
     * @throws NullPointerException if {@code registry} is null
     */
    public ResilienceMetrics(MeterRegistry registry) {
        this(registry, Tags.empty());
    }

    /**
     * Counts into {@code registry}, with {@code tags} on every counter.
     *
     * @param registry where the counters are registered
     * @param tags more tags for every counter
     * @throws NullPointerException if {@code registry} or {@code tags} is null
     */
    public ResilienceMetrics(MeterRegistry registry, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Tags.of(Objects.requireNonNull(tags, "tags must not be null (pass Tags.empty())"));
    }

    private void count(String meter, String name, String tagKey, String tagValue, String description) {
        Key k = new Key(meter, name, tagValue);
        Counter c = counters.get(k);
        if (c == null) {
            c = counters.computeIfAbsent(k, x -> {
                Counter.Builder b = Counter.builder(meter).tags(tags).tag("name", name).description(description);
                if (tagKey != null) {
                    b.tag(tagKey, tagValue);
                }
                return b.register(registry);
            });
        }
        c.increment();
    }

    /**
     * Counts an attempt.
     *
     * @param name the retry's name
     * @param attempt the attempt number (1 for the first)
     */
    @Override
    public void onAttempt(String name, int attempt) {
        count("weft.retry.attempts", name, null, null, "Attempts started by retries, first attempts included");
    }

    /**
     * Counts a retry.
     *
     * @param name the retry's name
     * @param attempt the attempt that failed
     * @param delay the back-off before the next
     * @param failure what failed (null: a retryable result)
     */
    @Override
    public void onRetry(String name, int attempt, Duration delay, Throwable failure) {
        count("weft.retry.retries", name, null, null, "Retries scheduled (attempts after the first)");
    }

    /**
     * Counts a give-up under a stable reason tag (see the class comment).
     *
     * @param name the retry's name
     * @param attempts attempts made
     * @param reason why it stopped, in words
     * @param failure the last failure (may be null)
     */
    @Override
    public void onGiveUp(String name, int attempts, String reason, Throwable failure) {
        count("weft.retry.giveups", name, "reason", reasonTag(reason), "Retries that stopped without success, by reason");
    }

    /**
     * Counts a rejection under its kind.
     *
     * @param name the rejecting component's name
     * @param rejection what it threw
     */
    @Override
    public void onRejected(String name, RejectedException rejection) {
        String kind = switch (rejection) {
            case CircuitBreakerOpenException e -> "circuitbreaker";
            case BulkheadFullException e -> "bulkhead";
            case RateLimitedException e -> "ratelimiter";
        };
        count("weft.resilience.rejections", name, "kind", kind, "Calls refused without running, by component kind");
    }

    /**
     * Counts a breaker's state change.
     *
     * @param name the breaker's name
     * @param from the state it left
     * @param to the state it entered
     */
    @Override
    public void onStateChange(String name, CircuitBreaker.State from, CircuitBreaker.State to) {
        String f = from.name().toLowerCase(Locale.ROOT);
        String t = to.name().toLowerCase(Locale.ROOT);
        Key k = new Key("weft.circuitbreaker.transitions", name, f + ">" + t);
        counters.computeIfAbsent(k, x -> Counter.builder("weft.circuitbreaker.transitions").tags(tags)
                .tag("name", name).tag("from", f).tag("to", t).description("Circuit breaker state changes")
                .register(registry)).increment();
    }

    /**
     * Counts a hedged attempt.
     *
     * @param name the hedge's name
     * @param attempt the attempt number (2 for the first hedge)
     */
    @Override
    public void onHedge(String name, int attempt) {
        count("weft.hedge.attempts", name, null, null, "Hedged attempts started (after the first)");
    }

    /**
     * Counts a fallback.
     *
     * @param name the fallback's name
     * @param failure the failure it replaced
     */
    @Override
    public void onFallback(String name, Throwable failure) {
        count("weft.fallback.calls", name, null, null, "Failures replaced by a fallback value");
    }

    /**
     * The stable tag value for a retry's give-up reason (the reason text carries numbers, which
     * would make one time series per configuration).
     *
     * @param reason the reason passed to {@link #onGiveUp}
     * @return {@code max_attempts}, {@code max_duration}, {@code deadline}, {@code budget_spent},
     *     {@code not_retryable}, {@code circuit_breaker_open} or {@code other}
     */
    static String reasonTag(String reason) {
        if (reason == null) {
            return "other";
        } else if (reason.startsWith("max attempts")) {
            return "max_attempts";
        } else if (reason.startsWith("max duration")) {
            return "max_duration";
        } else if (reason.contains("deadline")) {
            return "deadline";
        } else if (reason.contains("budget")) {
            return "budget_spent";
        } else if (reason.startsWith("not retryable")) {
            return "not_retryable";
        } else if (reason.contains("circuit breaker open")) {
            return "circuit_breaker_open";
        }
        return "other";
    }
}
