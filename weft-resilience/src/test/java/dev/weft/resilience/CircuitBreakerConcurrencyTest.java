package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.TimeSource;
import dev.weft.VirtualTime;
import dev.weft.resilience.CircuitBreaker.State;
import dev.weft.resilience.TestSupport.Boom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** Semantics 4 (concurrent trials) and 8 (8 threads hammering one breaker: counts add up exactly). */
class CircuitBreakerConcurrencyTest {
    private static final int THREADS = 8;

    private static void hammer(int threads, Runnable body) throws Exception {
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Thread> ts = new ArrayList<>();
        List<Throwable> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int i = 0; i < threads; i++) {
            ts.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    body.run();
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        for (Thread t : ts) {
            t.join();
        }
        assertTrue(errors.isEmpty(), "errors: " + errors);
    }

    @RepeatedTest(5)
    void exactlyTheTrialCallsAreAdmittedInHalfOpenUnderConcurrency() throws Exception {
        VirtualTime time = VirtualTime.manual();
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).trialCalls(3)
                .waitInOpen(Duration.ofSeconds(1)).clock(time).build();
        cb.onFailure(Duration.ZERO, new Boom("x"));
        assertEquals(State.OPEN, cb.state());
        time.advance(Duration.ofSeconds(1));
        AtomicInteger admitted = new AtomicInteger();
        hammer(THREADS, () -> {
            for (int i = 0; i < 100; i++) {
                if (cb.tryAcquirePermission()) {
                    admitted.incrementAndGet();
                }
            }
        });
        assertEquals(3, admitted.get());
        assertEquals(THREADS * 100 - 3, cb.metrics().notPermitted());
        assertEquals(State.HALF_OPEN, cb.state());
    }

    @Test
    void eightThreadsHammeringAClosedBreakerLoseNoCount() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(100).minimumCalls(100).failureRateThreshold(100)
                .clock(TimeSource.system()).build();
        int perThread = 200_000;
        hammer(THREADS, () -> {
            for (int i = 0; i < perThread; i++) {
                int n = i;
                try {
                    cb.call(() -> {
                        if (n % 10 == 0) {
                            throw new Boom("every tenth");
                        }
                        return n;
                    });
                } catch (Boom expected) {
                    // counted by the breaker
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
        CircuitBreaker.Metrics m = cb.metrics();
        assertEquals(State.CLOSED, cb.state());
        assertEquals(THREADS * perThread / 10, m.failures());
        assertEquals(THREADS * perThread / 10 * 9, m.successes());
        assertEquals(0, m.notPermitted());
        assertEquals(100, m.bufferedCalls());
        // which calls are "the last 100" is not defined for calls racing on 8 threads: only bounds hold
        assertTrue(m.failedCalls() >= 0 && m.failedCalls() <= 100, "failed in window: " + m.failedCalls());
    }

    @Test
    void eightThreadsHammeringABreakerThatKeepsChangingStateLoseNoCount() throws Exception {
        ResilienceCounters counters = new ResilienceCounters();
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(20).minimumCalls(10).failureRateThreshold(30)
                .trialCalls(5).waitInOpen(Duration.ZERO).clock(TimeSource.system())
                .listener(counters).build();
        int perThread = 100_000;
        LongAdder ok = new LongAdder();
        LongAdder failed = new LongAdder();
        LongAdder rejected = new LongAdder();
        CircuitBreaker watched = cb;
        hammer(THREADS, () -> {
            for (int i = 0; i < perThread; i++) {
                int n = i;
                try {
                    watched.call(() -> {
                        if (n % 3 == 0) {
                            throw new Boom("every third");
                        }
                        return n;
                    });
                    ok.increment();
                } catch (Boom expected) {
                    failed.increment();
                } catch (CircuitBreakerOpenException e) {
                    rejected.increment();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
        CircuitBreaker.Metrics m = cb.metrics();
        assertEquals(ok.sum(), m.successes());
        assertEquals(failed.sum(), m.failures());
        assertEquals(rejected.sum(), m.notPermitted());
        assertEquals((long) THREADS * perThread, m.successes() + m.failures() + m.notPermitted() + m.ignored());
        assertTrue(rejected.sum() > 0, "the breaker opened at some point");
        assertEquals(rejected.sum(), counters.rejections(), "every rejection was reported once");
        assertTrue(counters.stateChanges() >= 2, "state changes: " + counters.stateChanges());
    }
}
