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

    /**
     * A clock that stops one chosen thread inside its next reading, until released: the hook that puts
     * another caller between a caller's look at the open phase and its switch to half-open.
     */
    private static final class PausingClock implements TimeSource {
        private final VirtualTime time = VirtualTime.manual();
        private volatile Thread target;
        private int pass; // readings the target makes before the one it stops in (only the target touches it)
        private final java.util.concurrent.CountDownLatch paused = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);

        @Override
        public long nanoTime() {
            if (Thread.currentThread() == target && pass-- == 0) {
                target = null;
                paused.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            }
            return time.nanoTime();
        }

        @Override
        public java.time.Instant instant() {
            return time.instant();
        }
    }

    /**
     * Starts {@code body} on a thread that the clock stops at its reading number {@code n} (from 1);
     * returns once it is stopped there.
     */
    private static Thread stoppedAtItsClockReading(PausingClock clock, int n, Runnable body) throws InterruptedException {
        Thread t = Thread.ofPlatform().unstarted(body);
        clock.pass = n - 1;
        clock.target = t;
        t.start();
        clock.paused.await();
        return t;
    }

    @Test
    void aCallerThatSawTheOpenPhaseExpireAfterAnotherStartedTheTrialsGetsNoFreshTrialPermits() throws Exception {
        PausingClock clock = new PausingClock();
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).trialCalls(1)
                .waitInOpen(Duration.ofSeconds(1)).clock(clock).build();
        cb.onFailure(Duration.ZERO, new Boom("x"));
        clock.time.advance(Duration.ofSeconds(1));
        java.util.concurrent.atomic.AtomicReference<Boolean> late = new java.util.concurrent.atomic.AtomicReference<>();
        // the late caller has read the OPEN phase and stops at its expiry check (its first clock reading)
        Thread t = stoppedAtItsClockReading(clock, 1, () -> late.set(cb.tryAcquirePermission()));
        assertTrue(cb.tryAcquirePermission(), "the first caller switches to half-open and takes the one trial");
        assertEquals(State.HALF_OPEN, cb.state());
        clock.go.countDown();
        t.join();
        assertEquals(Boolean.FALSE, late.get(), "a second switch to half-open would hand out a second trial permit");
        assertEquals(1, cb.metrics().notPermitted());
        cb.onSuccess(Duration.ZERO);
        assertEquals(State.CLOSED, cb.state());
    }

    @Test
    void aWaitingCallerThatSawTheOpenPhaseExpireLateWaitsForTheTrialInsteadOfStartingItsOwn() throws Exception {
        PausingClock clock = new PausingClock();
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).trialCalls(1)
                .waitInOpen(Duration.ofSeconds(1)).waitForTrial(Duration.ofSeconds(30)).clock(clock).build();
        cb.onFailure(Duration.ZERO, new Boom("x"));
        clock.time.advance(Duration.ofSeconds(1));
        java.util.concurrent.atomic.AtomicReference<Boolean> late = new java.util.concurrent.atomic.AtomicReference<>();
        // reading 1 is the start of its wait; reading 2 is the expiry check, after it has read the OPEN phase
        Thread t = stoppedAtItsClockReading(clock, 2, () -> {
            try {
                late.set(cb.call(() -> true));
            } catch (Exception e) {
                late.set(false);
            }
        });
        assertTrue(cb.tryAcquirePermission(), "the first caller switches to half-open and takes the one trial");
        clock.go.countDown();
        while (cb.waiting() == 0 && t.isAlive()) { // observable state: the late caller either waits or is done
            Thread.onSpinWait();
        }
        assertEquals(1, cb.waiting(), "the late caller must wait for the running trial, not start a second one");
        assertEquals(null, late.get());
        cb.onSuccess(Duration.ZERO); // the trial succeeds: closed, the waiter goes ahead
        t.join();
        assertEquals(Boolean.TRUE, late.get());
        assertEquals(State.CLOSED, cb.state());
    }
}
