package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import dev.weft.channel.Event;
import dev.weft.resilience.CircuitBreaker.State;
import dev.weft.resilience.TestSupport.Boom;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link CircuitBreaker.Builder#waitForTrial}: a refused call waits for the trial period within its
 * limits instead of failing; exactly {@code trialCalls} trials still run; waiters follow the trials'
 * verdict. On virtual time: the clock only moves when the test advances it.
 */
class CircuitBreakerWaitTest {
    private static final Duration OPEN = Duration.ofSeconds(10);

    private static CircuitBreaker breaker(int trials, Duration maxWait) {
        return CircuitBreaker.builder().name("host").countWindow(2).minimumCalls(2).failureRateThreshold(50)
                .waitInOpen(OPEN).trialCalls(trials).waitForTrial(maxWait).build();
    }

    private static List<Outcome<String>> outcomes(List<Task<String>> tasks) throws InterruptedException {
        List<Outcome<String>> all = new ArrayList<>();
        for (Task<String> t : tasks) {
            all.add(t.outcome());
        }
        return all;
    }

    private static void open(CircuitBreaker cb) {
        for (int i = 0; i < 2; i++) {
            assertThrows(Boom.class, () -> cb.call(() -> {
                throw new Boom("down");
            }));
        }
        assertEquals(State.OPEN, cb.state());
    }

    @Test
    void aRefusedCallWaitsForTheTrialAndRunsAsIt() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        CircuitBreaker cb = breaker(1, Duration.ofMinutes(1));
        String r = time.run(() -> {
            open(cb);
            return Timeouts.failAfter(Duration.ofSeconds(30), () -> cb.call(() -> "ok"));
        });
        assertEquals("ok", r);
        assertEquals(OPEN, time.elapsed()); // waited exactly until the trial period
        assertEquals(State.CLOSED, cb.state());
        assertEquals(0, cb.metrics().notPermitted());
    }

    @Test
    void aWaitOfExactlyTheTimeToTheTrialIsLongEnough() throws Exception {
        // as RateLimiter and Retry allow a wait of exactly their maximum
        VirtualTime time = VirtualTime.autoAdvancing();
        CircuitBreaker cb = breaker(1, OPEN);
        String r = time.run(() -> {
            open(cb);
            return cb.call(() -> "ok");
        });
        assertEquals("ok", r);
        assertEquals(OPEN, time.elapsed(), "waited its whole allowance, and the trial started then");
        assertEquals(0, cb.metrics().notPermitted());
        // a nanosecond less is not enough, and it is refused at once, not after waiting in vain
        CircuitBreaker shorter = breaker(1, OPEN.minusNanos(1));
        VirtualTime t2 = VirtualTime.autoAdvancing();
        t2.run(() -> {
            open(shorter);
            return assertThrows(CircuitBreakerOpenException.class, () -> shorter.call(() -> "never"));
        });
        assertEquals(Duration.ZERO, t2.elapsed());
    }

    @Test
    void aCallerWithNoDeadlineMayWaitForTheTrialWithoutALimit() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        CircuitBreaker cb = breaker(1, ChronoUnit.FOREVER.getDuration());
        String r = time.run(() -> {
            Weft.sleep(Duration.ofSeconds(1)); // the clock is past zero: "now + forever" would overflow
            open(cb);
            return cb.call(() -> "ok");
        });
        assertEquals("ok", r);
        assertEquals(OPEN.plusSeconds(1), time.elapsed(), "waited until the trial period, then ran as the trial");
        assertEquals(0, cb.metrics().notPermitted());

        // with no limit of its own, the caller's deadline is the limit: one before the trial refuses at once
        CircuitBreaker again = breaker(1, ChronoUnit.FOREVER.getDuration());
        VirtualTime t2 = VirtualTime.autoAdvancing();
        CircuitBreakerOpenException e = t2.run(() -> {
            Weft.sleep(Duration.ofSeconds(1));
            open(again);
            return assertThrows(CircuitBreakerOpenException.class,
                    () -> Timeouts.failAfter(Duration.ofSeconds(5), () -> again.call(() -> "never")));
        });
        assertEquals(Duration.ofSeconds(1), t2.elapsed(), "no waiting in vain");
        assertEquals(Optional.of(OPEN), e.retryAfter());
    }

    @Test
    void aCallWhoseDeadlineComesBeforeTheTrialFailsAtOnce() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        CircuitBreaker cb = breaker(1, Duration.ofMinutes(1));
        CircuitBreakerOpenException e = time.run(() -> {
            open(cb);
            return assertThrows(CircuitBreakerOpenException.class,
                    () -> Timeouts.failAfter(Duration.ofSeconds(5), () -> cb.call(() -> "never")));
        });
        assertEquals(Duration.ZERO, time.elapsed()); // no waiting in vain
        assertEquals(Optional.of(OPEN), e.retryAfter());
        assertEquals(1, cb.metrics().notPermitted());
        // the configured wait is a limit too
        CircuitBreaker shortWait = breaker(1, Duration.ofSeconds(3));
        VirtualTime t2 = VirtualTime.autoAdvancing();
        t2.run(() -> {
            open(shortWait);
            return assertThrows(CircuitBreakerOpenException.class, () -> shortWait.call(() -> "never"));
        });
        assertEquals(Duration.ZERO, t2.elapsed());
    }

    @Test
    void exactlyTheTrialCallsRunWhileTheOthersWaitForTheirVerdict() throws Exception {
        VirtualTime time = VirtualTime.manual();
        CircuitBreaker cb = breaker(2, Duration.ofMinutes(1));
        Event trialGate = new Event();
        AtomicInteger inHalfOpen = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        int callers = 10;
        List<Outcome<String>> outcomes = time.run(() -> TaskGroup.supervise(g -> {
            open(cb);
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                tasks.add(g.spawn(() -> Timeouts.failAfter(Duration.ofSeconds(50), () -> cb.call(() -> {
                    if (cb.state() == State.HALF_OPEN) {
                        inHalfOpen.incrementAndGet();
                    }
                    running.incrementAndGet();
                    trialGate.await();
                    return "ok";
                }))));
            }
            TestSupport.await("all callers waiting for the trial period", () -> cb.waiting() == callers);
            time.advance(OPEN);
            TestSupport.await("two trials running, the rest waiting",
                    () -> running.get() == 2 && cb.waiting() == callers - 2);
            assertEquals(State.HALF_OPEN, cb.state());
            trialGate.set(); // the trials succeed: the breaker closes and admits everyone
            return outcomes(tasks);
        }));
        assertEquals(2, inHalfOpen.get());
        assertEquals(callers, running.get());
        for (Outcome<String> o : outcomes) {
            assertEquals("ok", assertInstanceOf(Outcome.Success.class, o).value());
        }
        assertEquals(State.CLOSED, cb.state());
        assertEquals(0, cb.metrics().notPermitted());
        assertEquals(0, cb.waiting());
    }

    @Test
    void aFailedTrialReopensAndTheWaitersWaitForTheNextOne() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        CircuitBreaker cb = breaker(1, Duration.ofMinutes(1));
        AtomicInteger calls = new AtomicInteger();
        int callers = 6;
        List<Outcome<String>> outcomes = time.run(() -> TaskGroup.supervise(g -> {
            open(cb);
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                tasks.add(g.spawn(() -> Timeouts.failAfter(Duration.ofSeconds(50), () -> cb.call(() -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new Boom("still down"); // the first trial fails: open for another 10 s
                    }
                    return "ok";
                }))));
            }
            return outcomes(tasks);
        }));
        long failed = outcomes.stream().filter(o -> o instanceof Outcome.Failure<String> f && f.error() instanceof Boom).count();
        long ok = outcomes.stream().filter(o -> o instanceof Outcome.Success<String> s && s.value().equals("ok")).count();
        assertEquals(1, failed);
        assertEquals(callers - 1, ok);
        assertEquals(OPEN.multipliedBy(2), time.elapsed()); // the second trial period admitted them
        assertEquals(State.CLOSED, cb.state());
    }

    @Test
    void waitersGiveUpAtTheirLimitWhileTheTrialIsStillRunning() throws Exception {
        VirtualTime time = VirtualTime.manual();
        CircuitBreaker cb = breaker(1, Duration.ofSeconds(15));
        Event trialGate = new Event();
        AtomicInteger running = new AtomicInteger();
        List<Outcome<String>> outcomes = time.run(() -> TaskGroup.supervise(g -> {
            open(cb);
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                tasks.add(g.spawn(() -> cb.call(() -> {
                    running.incrementAndGet();
                    trialGate.await();
                    return "trial";
                })));
            }
            TestSupport.await("all waiting", () -> cb.waiting() == 3);
            time.advance(OPEN);
            TestSupport.await("one trial running", () -> running.get() == 1 && cb.waiting() == 2);
            time.advance(Duration.ofSeconds(5)); // the waiters' 15 s are up; the trial still runs
            TestSupport.await("waiters gave up", () -> cb.waiting() == 0 && cb.metrics().notPermitted() == 2);
            trialGate.set();
            return outcomes(tasks);
        }));
        assertEquals(1, outcomes.stream().filter(o -> o instanceof Outcome.Success).count());
        for (Outcome<String> o : outcomes) {
            if (o instanceof Outcome.Failure<String> f) {
                assertEquals(State.HALF_OPEN, assertInstanceOf(CircuitBreakerOpenException.class, f.error()).state());
            }
        }
        assertEquals(1, running.get());
        assertEquals(State.CLOSED, cb.state());
    }

    @Test
    void aCancelledWaiterLeavesNothingBehind() throws Exception {
        VirtualTime time = VirtualTime.manual();
        CircuitBreaker cb = breaker(1, Duration.ofMinutes(1));
        time.run(() -> TaskGroup.supervise(g -> {
            open(cb);
            Task<String> t = g.spawn(() -> cb.call(() -> "never"));
            TestSupport.await("waiting", () -> cb.waiting() == 1);
            t.cancel();
            assertInstanceOf(Outcome.Cancelled.class, t.outcome());
            return null;
        }));
        assertEquals(0, cb.waiting());
        assertEquals(State.OPEN, cb.state());
        assertEquals(0, cb.metrics().notPermitted());
        assertFalse(Thread.currentThread().isInterrupted());
        // the trial permit was not consumed: a later caller gets the trial
        time.advance(OPEN);
        assertEquals("ok", time.run(() -> cb.call(() -> "ok")));
        assertTrue(cb.state() == State.CLOSED);
    }

    @Test
    void aTrialPermitGivenBackWakesAWaiter() throws Exception {
        VirtualTime time = VirtualTime.manual();
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(2).minimumCalls(2).waitInOpen(OPEN).trialCalls(1)
                .waitForTrial(Duration.ofMinutes(1)).ignore(IllegalArgumentException.class).build();
        time.run(() -> TaskGroup.supervise(g -> {
            open(cb);
            time.advance(OPEN);
            assertTrue(cb.tryAcquirePermission(), "the one trial permit, taken by hand");
            Task<String> waiter = g.spawn(() -> cb.call(() -> "ran as the trial"));
            TestSupport.await("the waiter waits for a permit", () -> cb.waiting() == 1);
            cb.releasePermission(); // given back unused: the waiter must not sleep until its limit
            assertEquals("ran as the trial", waiter.join());
            assertEquals(State.CLOSED, cb.state());

            open(cb);
            time.advance(OPEN);
            Event trialRunning = new Event();
            Event endTrial = new Event();
            Task<String> trial = g.spawn(() -> cb.call(() -> {
                trialRunning.set();
                endTrial.await();
                throw new IllegalArgumentException("ignored: neither success nor failure");
            }));
            trialRunning.await();
            Task<String> second = g.spawn(() -> cb.call(() -> "ran as the next trial"));
            TestSupport.await("the second caller waits", () -> cb.waiting() == 1);
            endTrial.set(); // the ignored outcome gives the permit back
            assertInstanceOf(IllegalArgumentException.class, ((Outcome.Failure<String>) trial.outcome()).error());
            assertEquals("ran as the next trial", second.join());
            return null;
        }));
        assertEquals(OPEN.multipliedBy(2), time.elapsed(), "no one waited out a limit");
    }

    @Test
    void atMostMaxWaitersWaitTheOthersAreRefusedAtOnce() throws Exception {
        VirtualTime time = VirtualTime.manual();
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(2).minimumCalls(2).waitInOpen(OPEN).trialCalls(1)
                .waitForTrial(Duration.ofMinutes(1), 2).build();
        time.advance(Duration.ofHours(1)); // the clock far from zero: the retry-after below is a difference
        List<Outcome<String>> outcomes = time.run(() -> TaskGroup.supervise(g -> {
            open(cb);
            List<Task<String>> tasks = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                tasks.add(g.spawn(() -> cb.call(() -> "ok")));
            }
            TestSupport.await("two waiting", () -> cb.waiting() == 2);
            CircuitBreakerOpenException refused = assertThrows(CircuitBreakerOpenException.class,
                    () -> cb.call(() -> "never")); // a third: refused, no wait
            assertEquals(Optional.of(OPEN), refused.retryAfter(), "the trials start when the open wait ends");
            assertEquals("circuit breaker 'circuit-breaker' is OPEN; trial calls in PT10S: call not permitted",
                    refused.getMessage());
            assertEquals(1, cb.metrics().notPermitted());
            time.advance(OPEN);
            return outcomes(tasks);
        }));
        for (Outcome<String> o : outcomes) {
            assertEquals("ok", o.getOrThrow());
        }
        assertEquals("waitForTrial maxWaiters must be >= 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> CircuitBreaker.builder().waitForTrial(Duration.ofSeconds(1), 0)).getMessage());
    }

    @Test
    void forcedOpenRefusesAtOnceEvenWhenWaitingIsOn() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        CircuitBreaker cb = breaker(1, Duration.ofMinutes(1));
        cb.forceOpen();
        time.run(() -> assertThrows(CircuitBreakerOpenException.class, () -> cb.call(() -> "never")));
        assertEquals(Duration.ZERO, time.elapsed());
    }

    /** A failure the dependency meant as "slow down". */
    static final class SlowDown extends RuntimeException implements BackPressure {
        SlowDown() {
            super("slow down");
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.of(Duration.ofSeconds(1));
        }
    }

    @Test
    void backPressureNeitherOpensTheBreakerNorSpendsTheRetryBudget() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(4).minimumCalls(4).failureRateThreshold(50).build();
        for (int i = 0; i < 20; i++) {
            assertThrows(SlowDown.class, () -> cb.call(() -> {
                throw new SlowDown();
            }));
        }
        assertEquals(State.CLOSED, cb.state());
        assertEquals(0, cb.metrics().failures());
        assertEquals(20, cb.metrics().ignored());

        VirtualTime time = VirtualTime.autoAdvancing();
        RetryBudget budget = RetryBudget.of(0, 0, Duration.ofSeconds(10)); // no retries at all for real failures
        Retry retry = Retry.builder().maxAttempts(3).budget(budget).build();
        AtomicInteger attempts = new AtomicInteger();
        String r = time.run(() -> retry.call(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new SlowDown();
            }
            return "ok";
        }));
        assertEquals("ok", r);
        assertEquals(Duration.ofSeconds(2), time.elapsed()); // waited the Retry-After twice
        AtomicInteger realFailures = new AtomicInteger();
        assertThrows(Boom.class, () -> time.run(() -> retry.call(() -> {
            realFailures.incrementAndGet();
            throw new Boom("down");
        })));
        assertEquals(1, realFailures.get()); // the spent budget still stops real retries
    }
}
