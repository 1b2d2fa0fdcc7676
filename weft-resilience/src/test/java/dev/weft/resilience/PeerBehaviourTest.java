package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import dev.weft.resilience.CircuitBreaker.State;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Behaviours of the peers (Resilience4j, Failsafe, Polly) that Weft lacked or got wrong (issue 11,
 * issue 18), each test named after the peer behaviour it checks.
 */
class PeerBehaviourTest {
    private final VirtualTime time = VirtualTime.autoAdvancing();

    /** An HTTP-like result: status 503 is a failure of the dependency, though nothing was thrown. */
    private record Reply(int status) {
    }

    // ---- Retry.maxDuration ----

    @Test
    void retry_maxDuration_countsFromTheStartOfTheFirstAttempt_likeFailsafeMaxDuration() {
        AtomicInteger attempts = new AtomicInteger();
        Retry retry = Retry.builder().maxAttempts(10).backoff(Backoff.fixed(Duration.ofMillis(10)))
                .maxDuration(Duration.ofMillis(150)).build();
        assertThrows(IOException.class, () -> time.run(() -> retry.call(() -> {
            attempts.incrementAndGet();
            Weft.sleep(Duration.ofMillis(100)); // each attempt takes 100 ms, then fails
            throw new IOException("slow failure");
        })));
        // attempt 1: 0-100 ms; attempt 2 starts at 110 (within 150 of the start); attempt 3 would start
        // at 220, past 150 from the start of the first attempt (counting from its end, 120 < 150, it ran)
        assertEquals(2, attempts.get());
        assertEquals(Duration.ofMillis(210), time.elapsed());
    }

    // ---- CircuitBreaker.recordResult ----

    private static CircuitBreaker resultBreaker(List<String> transitions) {
        return CircuitBreaker.builder().name("api").countWindow(4).minimumCalls(4).failureRateThreshold(50)
                .trialCalls(2).waitInOpen(Duration.ofSeconds(10))
                .recordResult(r -> r instanceof Reply(int status) && status >= 500)
                .listener(new ResilienceListener() {
                    @Override
                    public void onStateChange(String name, State from, State to) {
                        transitions.add(from + "->" + to);
                    }
                }).build();
    }

    @Test
    void breaker_recordResult_aMatchingResultIsAFailureAndTheCallerStillGetsIt_likeResilience4jRecordResult()
            throws Exception {
        List<String> transitions = new CopyOnWriteArrayList<>();
        CircuitBreaker cb = resultBreaker(transitions);
        Reply bad = new Reply(503);
        assertSame(bad, cb.call(() -> bad), "the result is returned, only counted as a failure");
        assertEquals(new Reply(200), cb.call(() -> new Reply(200)));
        assertEquals(new Reply(200), cb.call(() -> new Reply(200)));
        assertEquals(State.CLOSED, cb.state());
        cb.call(() -> bad); // 2 failures in 4: 50%
        assertEquals(State.OPEN, cb.state());
        assertEquals(List.of("CLOSED->OPEN"), transitions);
        CircuitBreaker.Metrics m = cb.metrics();
        assertEquals(2, m.failures(), "failed results count as failures");
        assertEquals(2, m.failedResults(), "and, on their own, as failed results");
        assertEquals(2, m.successes());
        assertThrows(CircuitBreakerOpenException.class, () -> cb.call(() -> new Reply(200)));
    }

    @Test
    void breaker_recordResult_aFailedResultInHalfOpenReopens_likeFailsafeHandleResult() throws Exception {
        List<String> transitions = new CopyOnWriteArrayList<>();
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).trialCalls(2)
                .waitInOpen(Duration.ofSeconds(10)).recordResult(r -> "bad".equals(r)).listener(new ResilienceListener() {
                    @Override
                    public void onStateChange(String name, State from, State to) {
                        transitions.add(from + "->" + to);
                    }
                }).build();
        time.run(() -> {
            cb.call(() -> "bad");
            Weft.sleep(Duration.ofSeconds(10));
            cb.call(() -> "good");
            cb.call(() -> "bad"); // 1 of 2 trials failed: 50% reaches the threshold
            return null;
        });
        assertEquals(List.of("CLOSED->OPEN", "OPEN->HALF_OPEN", "HALF_OPEN->OPEN"), transitions);
        assertEquals(2, cb.metrics().failedResults());
    }

    @Test
    void breaker_recordResult_nullResultsAndExceptionsAreJudgedSeparately_likePollyHandleResult() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(10).minimumCalls(10)
                .recordResult(r -> r == null).recordFailure(t -> !(t instanceof IllegalArgumentException)).build();
        cb.call(() -> null);
        assertThrows(IllegalArgumentException.class, () -> cb.call(() -> {
            throw new IllegalArgumentException("counted as a success by recordFailure");
        }));
        cb.call(() -> "fine");
        CircuitBreaker.Metrics m = cb.metrics();
        assertEquals(1, m.failures());
        assertEquals(1, m.failedResults());
        assertEquals(2, m.successes());
    }

    @Test
    void breaker_recordResult_aThrowingPredicateGivesTheTrialPermitBackAndPropagates() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).trialCalls(1)
                .waitInOpen(Duration.ZERO).recordResult(r -> {
                    if ("boom".equals(r)) {
                        throw new IllegalStateException("predicate failed");
                    }
                    return "bad".equals(r);
                }).build();
        cb.call(() -> "bad");
        assertEquals(State.OPEN, cb.state());
        assertThrows(IllegalStateException.class, () -> cb.call(() -> "boom")); // the one trial: not counted
        assertEquals(State.HALF_OPEN, cb.state());
        assertEquals("ok", cb.call(() -> "ok"), "the trial permit was given back");
        assertEquals(State.CLOSED, cb.state());
        assertEquals(1, cb.metrics().ignored());
    }

    @Test
    void breaker_onResult_recordsByHand_likeResilience4jOnResult() {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(2).minimumCalls(2).failureRateThreshold(100)
                .recordResult(r -> r instanceof Reply(int s) && s >= 500).build();
        cb.onResult(Duration.ZERO, new Reply(502));
        assertEquals(State.CLOSED, cb.state());
        cb.onResult(Duration.ZERO, new Reply(500));
        assertEquals(State.OPEN, cb.state());
        assertEquals(2, cb.metrics().failedResults());
    }

    // ---- Bulkhead.waiting ----

    @Test
    void bulkhead_waiting_countsCallersWaitingForASlot_likeResilience4jBulkheadMetrics() throws Exception {
        Bulkhead bh = Bulkhead.of("db", 1, Duration.ofHours(1));
        Bulkhead noWait = Bulkhead.of("cache", 1, Duration.ZERO);
        time.run(() -> TaskGroup.run(g -> {
            Task<String> holder = g.spawn(() -> bh.call(() -> {
                Weft.sleep(Duration.ofSeconds(1));
                return "held";
            }));
            TestSupport.await("the holder is in", () -> bh.inFlight() == 1);
            assertEquals(0, bh.waiting());
            Task<String> w1 = g.spawn(() -> bh.call(() -> "w1"));
            Task<String> w2 = g.spawn(() -> bh.call(() -> "w2"));
            TestSupport.await("two callers wait", () -> bh.waiting() == 2);
            assertTrue(bh.toString().contains("2 waiting"), bh.toString());
            w2.cancel();
            TestSupport.await("a cancelled waiter no longer waits", () -> bh.waiting() == 1);
            assertEquals("held", holder.join());
            assertEquals("w1", w1.join());
            assertEquals(0, bh.waiting());
            assertEquals(0, bh.inFlight());
            return null;
        }));
        assertEquals(0, noWait.waiting(), "with no maximum wait nobody ever waits");
    }

    // ---- checked exception types kept (issue 18) ----

    /** Compiles only because each call keeps IOException as its checked type: no {@code throws Exception}. */
    private static String everyStepKeepsTheCheckedType(Policy policy, Retry retry, CircuitBreaker cb, Bulkhead bh,
            RateLimiter rl, Fallback<String> fb, IOException toThrow) throws IOException, InterruptedException {
        Work io = () -> {
            throw toThrow;
        };
        String s = cb.call(() -> "breaker: no InterruptedException to declare");
        s += retry.call(() -> "retry");
        s += bh.call(() -> "bulkhead");
        s += rl.call(() -> "rate limiter");
        s += fb.call(() -> "fallback");
        s += policy.call(() -> "policy");
        s += policy.call(io::call, fb);
        return s + policy.call(io::call);
    }

    /** A call that throws IOException. */
    @FunctionalInterface
    private interface Work {
        String call() throws IOException;
    }

    @Test
    void policy_call_keepsTheCallsCheckedExceptionType_likeWeftWork() throws Exception {
        IOException io = new IOException("disk");
        Policy policy = Policy.builder().retry(Retry.builder().maxAttempts(1).build()).build();
        Fallback<String> fb = Fallback.value("fell back");
        IOException e = assertThrows(IOException.class, () -> time.run(() -> everyStepKeepsTheCheckedType(policy,
                Retry.ofDefaults(), CircuitBreaker.ofDefaults("cb"), Bulkhead.of("bh", 1, Duration.ZERO),
                RateLimiter.of(100, Duration.ofSeconds(1)), fb, io)));
        assertSame(io, e, "the call's own exception, unchanged");
        IOException viaBreaker = assertThrows(IOException.class, () -> CircuitBreaker.ofDefaults("x").call(() -> {
            throw io;
        }));
        assertSame(io, viaBreaker);
    }
}
