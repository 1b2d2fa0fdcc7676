package dev.weft.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.TaskGroup;
import dev.weft.VirtualTime;
import dev.weft.resilience.Backoff;
import dev.weft.resilience.Bulkhead;
import dev.weft.resilience.CircuitBreaker;
import dev.weft.resilience.CircuitBreakerOpenException;
import dev.weft.resilience.RateLimiter;
import dev.weft.resilience.Retry;
import dev.weft.resilience.RetryBudget;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class ResilienceMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ResilienceMetrics events = new ResilienceMetrics(registry);

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private double counter(String name, String... tags) {
        return registry.get(name).tags(tags).counter().count();
    }

    private double functionCounter(String name, String... tags) {
        return registry.get(name).tags(tags).functionCounter().count();
    }

    @Test
    void breakerOpeningShowsInStateCallsAndTransitions() {
        CircuitBreaker breaker = CircuitBreaker.builder().name("pay").countWindow(4).minimumCalls(2)
                .failureRateThreshold(50).waitInOpen(Duration.ofMinutes(1)).listener(events).build();
        new CircuitBreakerMetrics(breaker).bindTo(registry);
        assertEquals(1, gauge("weft.circuitbreaker.state", "name", "pay", "state", "closed"));
        assertEquals(0, gauge("weft.circuitbreaker.state", "name", "pay", "state", "open"));
        assertEquals(-1, gauge("weft.circuitbreaker.failure.rate", "name", "pay"));
        assertEquals("ok", breaker.call(() -> "ok"));
        assertThrows(IOException.class, () -> breaker.call(() -> {
            throw new IOException("down");
        })); // 1 failure in 2 calls: 50%, the threshold
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertEquals(0, gauge("weft.circuitbreaker.state", "name", "pay", "state", "closed"));
        assertEquals(1, gauge("weft.circuitbreaker.state", "name", "pay", "state", "open"));
        assertThrows(CircuitBreakerOpenException.class, () -> breaker.call(() -> "refused"));
        assertEquals(1, functionCounter("weft.circuitbreaker.calls", "name", "pay", "kind", "successful"));
        assertEquals(1, functionCounter("weft.circuitbreaker.calls", "name", "pay", "kind", "failed"));
        assertEquals(1, functionCounter("weft.circuitbreaker.calls", "name", "pay", "kind", "not_permitted"));
        assertEquals(1, counter("weft.circuitbreaker.transitions", "name", "pay", "from", "closed", "to", "open"));
        assertEquals(1, counter("weft.resilience.rejections", "name", "pay", "kind", "circuitbreaker"));
        breaker.reset();
        assertEquals(1, gauge("weft.circuitbreaker.state", "name", "pay", "state", "closed"));
    }

    @Test
    void retryCountsAttemptsRetriesAndGiveUpsByReason() throws Exception {
        Retry retry = Retry.builder().name("api").maxAttempts(3).backoff(Backoff.fixed(Duration.ofSeconds(1)))
                .listener(events).build();
        VirtualTime time = VirtualTime.autoAdvancing();
        assertThrows(IOException.class, () -> time.run(() -> retry.call(() -> {
            throw new IOException("flaky");
        })));
        Retry strict = Retry.builder().name("api").retryOn(IOException.class).listener(events).build();
        assertThrows(IllegalStateException.class, () -> strict.call(() -> {
            throw new IllegalStateException("a bug, not retried");
        }));
        assertEquals(4, counter("weft.retry.attempts", "name", "api"));
        assertEquals(2, counter("weft.retry.retries", "name", "api"));
        assertEquals(1, counter("weft.retry.giveups", "name", "api", "reason", "max_attempts"));
        assertEquals(1, counter("weft.retry.giveups", "name", "api", "reason", "not_retryable"));
    }

    @Test
    void giveUpReasonsMapToStableTags() {
        assertEquals("max_attempts", ResilienceMetrics.reasonTag("max attempts (3) reached"));
        assertEquals("max_duration", ResilienceMetrics.reasonTag("max duration (PT1S) reached"));
        assertEquals("deadline", ResilienceMetrics.reasonTag("the next attempt cannot start before the deadline"));
        assertEquals("budget_spent", ResilienceMetrics.reasonTag("retry budget spent"));
        assertEquals("not_retryable", ResilienceMetrics.reasonTag("not retryable"));
        assertEquals("circuit_breaker_open", ResilienceMetrics.reasonTag("circuit breaker open"));
        assertEquals("other", ResilienceMetrics.reasonTag("something new"));
    }

    @Test
    void retryBudgetGaugeFollowsTheBudget() {
        RetryBudget budget = RetryBudget.of(0.5, 1, Duration.ofSeconds(10));
        new RetryBudgetMetrics(budget, "api").bindTo(registry);
        for (int i = 0; i < 4; i++) {
            budget.recordRequest();
        }
        long before = budget.available();
        assertEquals(before, gauge("weft.retry.budget.available", "name", "api"));
        budget.tryAcquireRetry();
        assertEquals(before - 1, gauge("weft.retry.budget.available", "name", "api"));
    }

    @Test
    void bulkheadShowsSlotsAndAWaiter() throws Exception {
        Bulkhead bulkhead = Bulkhead.of("bh", 2, Duration.ofMinutes(1));
        new BulkheadMetrics(bulkhead).bindTo(registry);
        assertEquals(2, gauge("weft.bulkhead.available.concurrent.calls", "name", "bh"));
        CountDownLatch release = new CountDownLatch(1);
        TaskGroup.run(g -> {
            for (int i = 0; i < 3; i++) {
                g.launch(() -> bulkhead.call(() -> {
                    release.await();
                    return null;
                }));
            }
            Poll.until("two in flight and one waiting", () -> bulkhead.inFlight() == 2 && bulkhead.waiting() == 1);
            assertEquals(0, gauge("weft.bulkhead.available.concurrent.calls", "name", "bh"));
            assertEquals(2, gauge("weft.bulkhead.max.allowed.concurrent.calls", "name", "bh"));
            assertEquals(1, gauge("weft.bulkhead.waiting", "name", "bh"));
            release.countDown();
            return null;
        });
        assertEquals(2, gauge("weft.bulkhead.available.concurrent.calls", "name", "bh"));
        assertEquals(0, gauge("weft.bulkhead.waiting", "name", "bh"));
    }

    @Test
    void rateLimiterTokensRefillOnItsClockAndRejectionsAreCounted() {
        VirtualTime time = VirtualTime.manual();
        RateLimiter rl = RateLimiter.builder().name("rl").rate(2, Duration.ofSeconds(1)).maxWait(Duration.ZERO)
                .clock(time).listener(events).build();
        new RateLimiterMetrics(rl).bindTo(registry);
        assertEquals(2, gauge("weft.ratelimiter.available.permissions", "name", "rl"));
        assertEquals(true, rl.tryAcquire());
        assertEquals(true, rl.tryAcquire());
        assertEquals(0, gauge("weft.ratelimiter.available.permissions", "name", "rl"));
        assertThrows(dev.weft.resilience.RateLimitedException.class, rl::acquire);
        assertEquals(1, counter("weft.resilience.rejections", "name", "rl", "kind", "ratelimiter"));
        time.advance(Duration.ofMillis(500));
        assertEquals(1, gauge("weft.ratelimiter.available.permissions", "name", "rl"));
        time.advance(Duration.ofSeconds(5));
        assertEquals(2, gauge("weft.ratelimiter.available.permissions", "name", "rl"));
        assertEquals(0, gauge("weft.ratelimiter.waiting.threads", "name", "rl"));
    }
}
