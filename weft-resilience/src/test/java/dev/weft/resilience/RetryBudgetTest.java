package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.VirtualTime;
import dev.weft.resilience.TestSupport.Boom;
import dev.weft.test.WeftTest;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Semantics 3: the retry budget stops retries when exhausted and recovers as requests flow. */
@WeftTest
class RetryBudgetTest {
    private final VirtualTime time = VirtualTime.manual();

    @Test
    void retriesAreAllowedUpToTheRatioOfRequests() throws Exception {
        time.run(() -> {
            RetryBudget budget = RetryBudget.of(0.1, 0, Duration.ofSeconds(10));
            assertFalse(budget.tryAcquireRetry(), "no requests yet: no retries");
            for (int i = 0; i < 25; i++) {
                budget.recordRequest();
            }
            assertTrue(budget.tryAcquireRetry());
            assertTrue(budget.tryAcquireRetry());
            assertFalse(budget.tryAcquireRetry(), "10% of 25 is 2");
            return null;
        });
    }

    @Test
    void aSpentBudgetReturnsTheOriginalFailureAtOnceAndRecoversAsSuccessesFlow() throws Exception {
        RetryBudget budget = RetryBudget.of(0.1, 0, Duration.ofSeconds(10));
        Retry retry = Retry.builder().maxAttempts(3).backoff(Backoff.none()).budget(budget).build();
        AtomicInteger attempts = new AtomicInteger();
        time.run(() -> {
            for (int i = 0; i < 9; i++) {
                retry.call(() -> "ok"); // 9 requests, all successful
            }
            // the 10th request fails: budget is 10% of 10 = 1 retry
            Boom first = assertThrows(Boom.class, () -> retry.call(() -> {
                throw new Boom("attempt " + attempts.incrementAndGet());
            }));
            assertEquals(2, attempts.get(), "one retry allowed, then spent");
            assertEquals("attempt 2", first.getMessage());
            attempts.set(0);
            Boom spent = assertThrows(Boom.class, () -> retry.call(() -> {
                throw new Boom("attempt " + attempts.incrementAndGet());
            }));
            assertEquals("attempt 1", spent.getMessage(), "budget spent: the original failure, no retry");
            for (int i = 0; i < 10; i++) {
                retry.call(() -> "ok"); // successes flow: 21 requests now, budget 2, 1 used
            }
            attempts.set(0);
            assertThrows(Boom.class, () -> retry.call(() -> {
                throw new Boom("attempt " + attempts.incrementAndGet());
            }));
            assertEquals(2, attempts.get(), "the budget recovered by one retry");
            return null;
        });
    }

    @Test
    void theReservePerSecondAllowsRetriesAtLowTrafficAndTheWindowForgetsOldRetries() throws Exception {
        time.run(() -> {
            RetryBudget budget = RetryBudget.of(0.1, 1, Duration.ofSeconds(10)); // reserve: 10 retries per window
            for (int i = 0; i < 10; i++) {
                assertTrue(budget.tryAcquireRetry(), "reserve retry " + i);
            }
            assertFalse(budget.tryAcquireRetry());
            assertEquals(0, budget.available());
            time.advance(Duration.ofSeconds(10));
            assertEquals(10, budget.available(), "the spent retries left the window");
            assertTrue(budget.tryAcquireRetry());
            return null;
        });
    }

    @Test
    void requestsOutsideTheWindowNoLongerCount() throws Exception {
        time.run(() -> {
            RetryBudget budget = RetryBudget.of(0.5, 0, Duration.ofSeconds(10));
            for (int i = 0; i < 10; i++) {
                budget.recordRequest();
            }
            assertEquals(5, budget.available());
            time.advance(Duration.ofSeconds(5));
            assertEquals(5, budget.available());
            time.advance(Duration.ofSeconds(5));
            assertEquals(0, budget.available());
            return null;
        });
    }

    @Test
    void defaultsAreTenPercentWithASmallReserve() throws Exception {
        time.run(() -> {
            RetryBudget budget = RetryBudget.defaults();
            assertEquals(30, budget.available(), "3 per second over 10 s");
            for (int i = 0; i < 100; i++) {
                budget.recordRequest();
            }
            assertEquals(40, budget.available());
            return null;
        });
    }

    @Test
    void retriesTakenEarlierInTheWindowStillCountInALaterBucket() throws Exception {
        time.run(() -> {
            RetryBudget budget = RetryBudget.of(0.1, 1, Duration.ofSeconds(10)); // reserve: 10 retries per window
            for (int i = 0; i < 10; i++) {
                assertTrue(budget.tryAcquireRetry(), "reserve retry " + i);
            }
            time.advance(Duration.ofSeconds(5)); // a later bucket, the same window
            assertFalse(budget.tryAcquireRetry(), "the 10 retries of 5 s ago are still in the window");
            assertEquals(0, budget.available());
            return null;
        });
    }
}
