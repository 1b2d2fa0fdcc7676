package dev.weft.http;

import dev.weft.resilience.Backoff;
import dev.weft.resilience.CircuitBreaker;
import dev.weft.resilience.CircuitBreakerOpenException;
import dev.weft.resilience.Policy;
import dev.weft.resilience.RateLimiter;
import dev.weft.resilience.RejectedException;
import dev.weft.resilience.ResilienceListener;
import dev.weft.resilience.Retry;
import dev.weft.resilience.RetryBudget;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The per-host policies of a {@link BulkFetch} run: for each host key ({@code scheme://host:port})
 * one weft-resilience {@link Policy} (a retry with back-off and the host's own
 * {@link RetryBudget}, then a circuit breaker) and, with a rate, a {@link RateLimiter} taken before
 * the policy so that waits can be reported. Events go to the run's {@link FetchListener}.
 */
final class FetchPolicies {
    /** A host's policy and optional rate limiter. */
    record Host(String key, Policy policy, RateLimiter limiter) {
    }

    private final BulkFetch config;
    private final Predicate<Throwable> retryable;
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();
    private final ResilienceListener events;

    FetchPolicies(BulkFetch config, Predicate<Throwable> retryable, FetchListener listener) {
        this.config = config;
        this.retryable = retryable;
        this.events = new ResilienceListener() {
            @Override
            public void onRetry(String name, int attempt, Duration delay, Throwable failure) {
                FetchRun.inform(() -> listener.onRetry(name, attempt, delay, failure));
            }

            @Override
            public void onGiveUp(String name, int attempts, String reason, Throwable failure) {
                if (reason.contains("budget")) {
                    FetchRun.inform(() -> listener.onRetryBudgetExhausted(name));
                }
            }

            @Override
            public void onRejected(String name, RejectedException rejection) {
                if (rejection instanceof CircuitBreakerOpenException) {
                    FetchRun.inform(() -> listener.onBreakerRejected(name));
                }
            }

            @Override
            public void onStateChange(String name, CircuitBreaker.State from, CircuitBreaker.State to) {
                if (to == CircuitBreaker.State.OPEN) {
                    FetchRun.inform(() -> listener.onBreakerOpened(name));
                }
            }
        };
    }

    Host host(String key) {
        Host h = hosts.get(key);
        return h != null ? h : hosts.computeIfAbsent(key, this::create);
    }

    private Host create(String key) {
        Retry retry = Retry.builder().name(key)
                .maxAttempts(config.retries() + 1)
                .backoff(Backoff.exponential(config.backoff(), config.backoffMax()))
                .budget(RetryBudget.of(config.retryBudget(), 1, Duration.ofSeconds(10)))
                .retryIf(retryable)
                .build();
        CircuitBreaker breaker = CircuitBreaker.builder().name(key)
                .countWindow(50).minimumCalls(20)
                .failureRateThreshold(config.breakerFailureRate())
                .waitInOpen(config.breakerOpen())
                .trialCalls(3)
                .build();
        RateLimiter limiter = null;
        double rate = config.ratePerHost();
        if (rate > 0) {
            int permits = (int) Math.max(1, Math.round(rate));
            Duration period = Duration.ofNanos(Math.max(1, Math.round(permits * 1e9 / rate)));
            limiter = RateLimiter.builder().name(key).rate(permits, period).build();
        }
        return new Host(key, Policy.builder().name(key).retry(retry).circuitBreaker(breaker).listener(events).build(), limiter);
    }
}
