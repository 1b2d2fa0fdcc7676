package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Semantics 7: bad configuration fails while building, with a precise message. */
class ValidationTest {
    private static void fails(String message, Executable build) {
        Throwable e = assertThrows(RuntimeException.class, build);
        assertEquals(message, e.getMessage());
    }

    @Test
    void retry() {
        fails("maxAttempts must be >= 1, got 0", () -> Retry.builder().maxAttempts(0));
        fails("maxDuration must be positive, got PT-1S", () -> Retry.builder().maxDuration(Duration.ofSeconds(-1)));
        fails("maxDuration must be positive, got PT0S", () -> Retry.builder().maxDuration(Duration.ZERO));
        fails("retryOn needs at least one exception type", () -> Retry.builder().retryOn());
    }

    @Test
    void backoff() {
        fails("back-off base delay must be positive, got PT-0.001S", () -> Backoff.exponential(Duration.ofMillis(-1), Duration.ofSeconds(1)));
        fails("back-off cap (PT1S) must be >= the base delay (PT2S)", () -> Backoff.equalJitter(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        fails("fixed back-off delay must not be negative, got PT-1S", () -> Backoff.fixed(Duration.ofSeconds(-1)));
        fails("back-off multiplier must be a finite number >= 1, got 0.5", () -> Backoff.defaults().withMultiplier(0.5));
        fails("back-off multiplier must be a finite number >= 1, got NaN", () -> Backoff.defaults().withMultiplier(Double.NaN));
    }

    @Test
    void retryBudget() {
        fails("retry budget ratio must be in [0, 1] (0.1 = 10% of requests), got 1.5", () -> RetryBudget.of(1.5, 3, Duration.ofSeconds(10)));
        fails("retry budget minRetriesPerSecond must be >= 0, got -1", () -> RetryBudget.of(0.1, -1, Duration.ofSeconds(10)));
        fails("retry budget window must be positive, got PT0S", () -> RetryBudget.of(0.1, 1, Duration.ZERO));
    }

    @Test
    void circuitBreaker() {
        fails("failureRateThreshold must be in (0, 100] percent, got 120.0", () -> CircuitBreaker.builder().failureRateThreshold(120));
        fails("failureRateThreshold must be in (0, 100] percent, got 0.0", () -> CircuitBreaker.builder().failureRateThreshold(0));
        fails("failureRateThreshold must be in (0, 100] percent, got -5.0", () -> CircuitBreaker.builder().failureRateThreshold(-5));
        fails("slowCallRateThreshold must be in (0, 100] percent, got 101.0",
                () -> CircuitBreaker.builder().slowCalls(Duration.ofSeconds(1), 101));
        fails("slow call duration must be positive, got PT-1S", () -> CircuitBreaker.builder().slowCalls(Duration.ofSeconds(-1), 50));
        fails("waitInOpen must not be negative, got PT-1S", () -> CircuitBreaker.builder().waitInOpen(Duration.ofSeconds(-1)));
        fails("trialCalls must be >= 1, got 0", () -> CircuitBreaker.builder().trialCalls(0));
        fails("countWindow size must be >= 1, got 0", () -> CircuitBreaker.builder().countWindow(0));
        fails("minimumCalls must be >= 1, got 0", () -> CircuitBreaker.builder().minimumCalls(0));
        fails("timeWindow must be positive, got PT0S", () -> CircuitBreaker.builder().timeWindow(Duration.ZERO));
        fails("minimumCalls (200) must be <= the countWindow size (100): the breaker could never open",
                () -> CircuitBreaker.builder().countWindow(100).minimumCalls(200).build());
    }

    @Test
    void rateLimiterBulkheadHedgeFallback() {
        fails("rate permits must be >= 1, got 0", () -> RateLimiter.builder().rate(0, Duration.ofSeconds(1)));
        fails("rate period must be positive, got PT0S", () -> RateLimiter.builder().rate(1, Duration.ZERO));
        fails("burst must be >= 1, got 0", () -> RateLimiter.builder().burst(0));
        fails("maxWait must not be negative, got PT-1S", () -> RateLimiter.builder().maxWait(Duration.ofSeconds(-1)));
        fails("a RateLimiter needs a rate: call rate(permits, period)", () -> RateLimiter.builder().build());
        fails("bulkhead maxConcurrent must be >= 1, got 0", () -> Bulkhead.of("b", 0, Duration.ZERO));
        fails("bulkhead maxWait must not be negative, got PT-1S", () -> Bulkhead.of("b", 1, Duration.ofSeconds(-1)));
        fails("hedge maxAttempts must be >= 2 (the first attempt and at least one hedge), got 1",
                () -> Hedge.builder().maxAttempts(1));
        fails("hedge delay must not be negative, got PT-1S", () -> Hedge.builder().delay(Duration.ofSeconds(-1)));
        fails("a Hedge needs a delay: call delay(Duration)", () -> Hedge.builder().build());
        fails("handling needs at least one exception type", () -> Fallback.value("x").handling());
    }

    @Test
    void theLimitsThemselvesAreAccepted() {
        Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(1)); // cap equal to the base
        Backoff.defaults().withMultiplier(1); // no growth
        fails("back-off multiplier must be a finite number >= 1, got Infinity",
                () -> Backoff.defaults().withMultiplier(Double.POSITIVE_INFINITY));
        fails("retry number must be >= 1, got 0", () -> Backoff.fixed(Duration.ofMillis(1)).delay(0, null, new java.util.SplittableRandom(1)));
        RetryBudget.of(0, 0, Duration.ofMillis(1)); // ratio 0, the shortest window
        RetryBudget.of(1, 0, Duration.ofSeconds(1)); // ratio 1
        fails("retry budget window must be >= 1ms, got PT0.0005S", () -> RetryBudget.of(0.1, 1, Duration.ofNanos(500_000)));
        fails("attemptTimeout (PT2S) must be shorter than timeout (PT2S): the outer timeout would always cut the first "
                + "attempt, leaving nothing to retry",
                () -> Policy.builder().timeout(Duration.ofSeconds(2)).attemptTimeout(Duration.ofSeconds(2)).build());
        fails("hedge delay (PT0.5S) must be shorter than attemptTimeout (PT0.5S): every attempt would time out before a hedge starts",
                () -> Policy.builder().hedge(Hedge.builder().delay(Duration.ofMillis(500)).build())
                        .attemptTimeout(Duration.ofMillis(500)).build());
    }

    @Test
    void policy() {
        fails("timeout must be positive, got PT-1S", () -> Policy.builder().timeout(Duration.ofSeconds(-1)));
        fails("attemptTimeout must be positive, got PT0S", () -> Policy.builder().attemptTimeout(Duration.ZERO));
        fails("attemptTimeout (PT5S) must be shorter than timeout (PT2S): the outer timeout would always cut the first "
                + "attempt, leaving nothing to retry",
                () -> Policy.builder().timeout(Duration.ofSeconds(2)).attemptTimeout(Duration.ofSeconds(5)).build());
        fails("hedge delay (PT1S) must be shorter than attemptTimeout (PT0.5S): every attempt would time out before a hedge starts",
                () -> Policy.builder().hedge(Hedge.builder().delay(Duration.ofSeconds(1)).build())
                        .attemptTimeout(Duration.ofMillis(500)).build());
        Retry r = Retry.ofDefaults();
        fails("retry is already set to " + r + "; a policy has at most one", () -> Policy.builder().retry(r).retry(r));
    }
}
