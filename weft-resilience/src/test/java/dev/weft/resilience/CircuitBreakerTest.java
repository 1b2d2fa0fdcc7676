package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.VirtualTime;
import dev.weft.resilience.CircuitBreaker.State;
import dev.weft.resilience.TestSupport.Boom;
import dev.weft.test.WeftTest;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Semantics 4: the breaker's state machine. The behavioural cases of Resilience4j's
 * {@code CircuitBreakerStateMachineTest} and Failsafe's {@code ClosedStateTest} / {@code HalfOpenStateTest}
 * / {@code OpenStateTest}, restated for this breaker (learned from those tests, not copied), run on a
 * manual virtual clock.
 */
@WeftTest
class CircuitBreakerTest {
    private static final Duration FAST = Duration.ZERO;
    private static final Duration SLOW = Duration.ofSeconds(5);

    private final VirtualTime time = VirtualTime.manual();
    private final List<String> transitions = new CopyOnWriteArrayList<>();
    private final ResilienceListener recorder = new ResilienceListener() {
        @Override
        public void onStateChange(String name, State from, State to) {
            transitions.add(from + "->" + to);
        }
    };

    enum Window { COUNT, TIME }

    /** Resilience4j's test configuration: 50% failures or 50% slow (4 s), 5 calls, 4 trials, 5 s open. */
    private CircuitBreaker r4jLike(Window w) {
        CircuitBreaker.Builder b = CircuitBreaker.builder().name("testName").failureRateThreshold(50)
                .trialCalls(4).slowCalls(Duration.ofSeconds(4), 50).waitInOpen(Duration.ofSeconds(5))
                .ignore(NumberFormatException.class).clock(time).listener(recorder);
        b = w == Window.COUNT ? b.countWindow(5).minimumCalls(5) : b.timeWindow(Duration.ofSeconds(5), 5).minimumCalls(5);
        return b.build();
    }

    private static void fail(CircuitBreaker cb, Duration d) {
        assertTrue(cb.tryAcquirePermission());
        cb.onFailure(d, new RuntimeException("failed"));
    }

    private static void succeed(CircuitBreaker cb, Duration d) {
        assertTrue(cb.tryAcquirePermission());
        cb.onSuccess(d);
    }

    private CircuitBreaker openThenHalfOpen(CircuitBreaker cb) {
        cb.forceOpen(); // then from OPEN via the wait: use failures to open normally
        cb.reset();
        for (int i = 0; i < 5; i++) {
            fail(cb, FAST);
        }
        assertEquals(State.OPEN, cb.state());
        time.advance(Duration.ofSeconds(5));
        return cb;
    }

    @ParameterizedTest
    @EnumSource(Window.class)
    void opensWhenTheFailureRateReachesTheThresholdOnceTheMinimumIsBuffered(Window w) {
        CircuitBreaker cb = r4jLike(w);
        fail(cb, FAST);
        fail(cb, FAST);
        fail(cb, FAST);
        succeed(cb, FAST);
        assertEquals(State.CLOSED, cb.state(), "4 calls: under the minimum of 5");
        assertEquals(-1.0, cb.metrics().failureRate());
        succeed(cb, FAST);
        assertEquals(State.OPEN, cb.state(), "3 of 5 = 60% >= 50%: the fifth call, a success, completes the window");
        CircuitBreaker.Metrics m = cb.metrics();
        assertEquals(3, m.failures());
        assertEquals(2, m.successes());
        assertFalse(cb.tryAcquirePermission());
        assertEquals(1, cb.metrics().notPermitted());
        assertEquals(List.of("CLOSED->OPEN"), transitions);
    }

    @ParameterizedTest
    @EnumSource(Window.class)
    void opensWhenTheSlowCallRateReachesTheThreshold(Window w) {
        CircuitBreaker cb = r4jLike(w);
        fail(cb, SLOW);
        succeed(cb, SLOW);
        fail(cb, Duration.ofMillis(100));
        succeed(cb, Duration.ofMillis(100));
        assertEquals(State.CLOSED, cb.state());
        succeed(cb, SLOW);
        assertEquals(State.OPEN, cb.state(), "failures 2/5 = 40%, but slow calls 3/5 = 60%");
    }

    @Test
    void staysClosedUnderTheThreshold() {
        CircuitBreaker cb = r4jLike(Window.COUNT);
        for (int i = 0; i < 50; i++) {
            if (i % 3 == 0) {
                fail(cb, FAST);
            } else {
                succeed(cb, FAST);
            }
        }
        assertEquals(State.CLOSED, cb.state());
    }

    @Test
    void theCountWindowSlidesOldFailuresOut() {
        // Failsafe's "2 failures out of 3": window 3, threshold 2/3
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(3).minimumCalls(3).failureRateThreshold(200.0 / 3)
                .clock(time).build();
        fail(cb, FAST);
        succeed(cb, FAST);
        succeed(cb, FAST);
        assertEquals(State.CLOSED, cb.state(), "F S S: 1 of 3");
        fail(cb, FAST);
        assertEquals(State.CLOSED, cb.state(), "S S F: the first failure slid out");
        succeed(cb, FAST);
        fail(cb, FAST);
        assertEquals(State.OPEN, cb.state(), "F S F: 2 of 3");
    }

    @Test
    void aSingleFailureOpensWithFailsafesDefaultThresholdOfOneInOne() {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).failureRateThreshold(100).clock(time).build();
        succeed(cb, FAST);
        assertEquals(State.CLOSED, cb.state());
        fail(cb, FAST);
        assertEquals(State.OPEN, cb.state());
    }

    @Test
    void theTimeWindowForgetsCallsOlderThanTheWindow() {
        CircuitBreaker cb = r4jLike(Window.TIME);
        fail(cb, FAST);
        fail(cb, FAST);
        fail(cb, FAST);
        succeed(cb, FAST);
        time.advance(Duration.ofSeconds(5));
        succeed(cb, FAST);
        assertEquals(State.CLOSED, cb.state(), "the first four calls left the 5 s window");
        assertEquals(1, cb.metrics().bufferedCalls());
        assertEquals(0, cb.metrics().failedCalls());
    }

    @Test
    void rejectionsAreCheapAndCarryTheNameStateAndTimeUntilTrials() {
        CircuitBreaker cb = openThenHalfOpen(r4jLike(Window.COUNT));
        cb.reset();
        for (int i = 0; i < 5; i++) {
            fail(cb, FAST);
        }
        time.advance(Duration.ofSeconds(2));
        CircuitBreakerOpenException e = assertThrows(CircuitBreakerOpenException.class, () -> cb.call(() -> "x"));
        assertEquals("testName", e.name());
        assertEquals(State.OPEN, e.state());
        assertEquals(Duration.ofSeconds(3), e.retryAfter().orElseThrow());
        assertEquals(0, e.getStackTrace().length, "no stack trace");
        assertTrue(e.getMessage().contains("'testName' is OPEN"), e.getMessage());
        e.addSuppressed(new RuntimeException()); // suppression is disabled: no effect, no failure
        assertEquals(0, e.getSuppressed().length);
    }

    @Test
    void movesToHalfOpenOnlyAfterTheWaitInOpen() {
        CircuitBreaker cb = r4jLike(Window.COUNT);
        for (int i = 0; i < 5; i++) {
            fail(cb, FAST);
        }
        assertFalse(cb.tryAcquirePermission());
        time.advance(Duration.ofSeconds(3));
        assertFalse(cb.tryAcquirePermission(), "3 s of 5");
        assertEquals(State.OPEN, cb.state());
        time.advance(Duration.ofSeconds(2));
        assertTrue(cb.tryAcquirePermission());
        assertEquals(State.HALF_OPEN, cb.state());
        assertEquals(2, cb.metrics().notPermitted());
        assertEquals(0, cb.metrics().bufferedCalls(), "half-open starts with empty trial counters");
    }

    @Test
    void halfOpenAdmitsExactlyTheTrialCallsAndARelapseResetsThem() {
        CircuitBreaker cb = openThenHalfOpen(r4jLike(Window.COUNT));
        for (int i = 0; i < 4; i++) {
            assertTrue(cb.tryAcquirePermission(), "trial " + i);
        }
        assertEquals(State.HALF_OPEN, cb.state());
        assertFalse(cb.tryAcquirePermission());
        CircuitBreakerOpenException e = assertThrows(CircuitBreakerOpenException.class, () -> cb.call(() -> "x"));
        assertEquals(State.HALF_OPEN, e.state());
        cb.releasePermission();
        assertTrue(cb.tryAcquirePermission(), "a released permit can be taken again");
    }

    @Test
    void halfOpenGoesBackToOpenWhenTrialFailuresReachTheThreshold() {
        CircuitBreaker cb = openThenHalfOpen(r4jLike(Window.COUNT));
        transitions.clear();
        fail(cb, FAST);
        assertEquals(State.HALF_OPEN, cb.state(), "1 failure of 4 trials: 25%, not certain yet");
        succeed(cb, FAST);
        fail(cb, FAST);
        assertEquals(State.OPEN, cb.state(), "2 of 4 trials failed: 50% whatever the last one does");
        assertEquals(List.of("OPEN->HALF_OPEN", "HALF_OPEN->OPEN"), transitions);
        assertFalse(cb.tryAcquirePermission());
    }

    @Test
    void halfOpenGoesBackToOpenWhenTrialsAreSlow() {
        CircuitBreaker cb = openThenHalfOpen(r4jLike(Window.COUNT));
        succeed(cb, SLOW);
        succeed(cb, Duration.ofSeconds(1));
        assertEquals(State.HALF_OPEN, cb.state());
        succeed(cb, SLOW);
        assertEquals(State.OPEN, cb.state(), "2 slow of 4: 50%, though no trial failed");
    }

    @Test
    void halfOpenClosesWhenTheTrialsSucceedAndTheNewWindowIsEmpty() {
        CircuitBreaker cb = openThenHalfOpen(r4jLike(Window.COUNT));
        fail(cb, FAST);
        succeed(cb, FAST);
        succeed(cb, FAST);
        assertEquals(State.HALF_OPEN, cb.state());
        succeed(cb, FAST);
        assertEquals(State.CLOSED, cb.state(), "1 of 4 failed: 25% < 50%");
        assertEquals(0, cb.metrics().bufferedCalls());
        succeed(cb, FAST);
        assertEquals(1, cb.metrics().bufferedCalls());
    }

    @Test
    void failsafeSuccessThresholdThreeOfThreeReopensOnAnyTrialFailure() {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).failureRateThreshold(100.0 / 3)
                .trialCalls(3).waitInOpen(Duration.ofMinutes(1)).clock(time).build();
        fail(cb, FAST);
        time.advance(Duration.ofMinutes(1));
        succeed(cb, FAST);
        succeed(cb, FAST);
        assertEquals(State.HALF_OPEN, cb.state());
        fail(cb, FAST);
        assertEquals(State.OPEN, cb.state());
        time.advance(Duration.ofMinutes(1));
        succeed(cb, FAST);
        succeed(cb, FAST);
        succeed(cb, FAST);
        assertEquals(State.CLOSED, cb.state());
    }

    @Test
    void anIgnoredExceptionReleasesTheTrialPermitAndCountsNothing() throws Exception {
        CircuitBreaker cb = openThenHalfOpen(r4jLike(Window.COUNT));
        for (int i = 0; i < 4; i++) {
            assertThrows(NumberFormatException.class, () -> cb.call(() -> {
                throw new NumberFormatException("ignored");
            }));
        }
        assertEquals(State.HALF_OPEN, cb.state());
        assertEquals(0, cb.metrics().bufferedCalls());
        for (int i = 0; i < 3; i++) {
            cb.call(() -> "ok");
        }
        assertEquals(State.HALF_OPEN, cb.state());
        cb.call(() -> "ok");
        assertEquals(State.CLOSED, cb.state(), "four real trials, all successful");
        assertEquals(4, cb.metrics().ignored());
    }

    @Test
    void aCancellationIsNeitherSuccessNorFailure() {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).clock(time).build();
        assertThrows(InterruptedException.class, () -> cb.call(() -> {
            throw new InterruptedException();
        }));
        assertEquals(State.CLOSED, cb.state());
        assertEquals(1, cb.metrics().ignored());
        assertEquals(0, cb.metrics().failures());
    }

    @Test
    void exceptionsNotRecordedAsFailuresCountAsSuccesses() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(2).minimumCalls(2).failureRateThreshold(50)
                .recordFailure(e -> !(e instanceof IllegalArgumentException)).clock(time).build();
        for (int i = 0; i < 4; i++) {
            assertThrows(IllegalArgumentException.class, () -> cb.call(() -> {
                throw new IllegalArgumentException("a client error, not the dependency's");
            }));
        }
        assertEquals(State.CLOSED, cb.state());
        assertEquals(4, cb.metrics().successes());
        assertThrows(Boom.class, () -> cb.call(() -> {
            throw new Boom("down");
        }));
        assertEquals(State.OPEN, cb.state());
    }

    @Test
    void slowCallsAreMeasuredOnTheBreakersClock() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(2).minimumCalls(2).slowCalls(Duration.ofSeconds(1), 100)
                .clock(time).build();
        Function<Duration, Object> slowCall = d -> {
            time.advance(d);
            return "ok";
        };
        cb.call(() -> slowCall.apply(Duration.ofSeconds(2)));
        assertEquals(State.CLOSED, cb.state());
        cb.call(() -> slowCall.apply(Duration.ofSeconds(1)));
        assertEquals(State.OPEN, cb.state(), "both calls took >= 1 s");
        assertEquals(0, cb.metrics().failures());
    }

    @Test
    void forceOpenRejectsEvenAfterTheWaitUntilReset() throws Exception {
        CircuitBreaker cb = r4jLike(Window.COUNT);
        cb.forceOpen();
        assertEquals(State.FORCED_OPEN, cb.state());
        assertFalse(cb.tryAcquirePermission());
        time.advance(Duration.ofSeconds(6));
        CircuitBreakerOpenException e = assertThrows(CircuitBreakerOpenException.class, () -> cb.call(() -> "x"));
        assertEquals(State.FORCED_OPEN, e.state());
        assertTrue(e.retryAfter().isEmpty());
        assertEquals(2, cb.metrics().notPermitted());
        cb.reset();
        assertEquals(State.CLOSED, cb.state());
        assertEquals("x", cb.call(() -> "x"));
        assertEquals(List.of("CLOSED->FORCED_OPEN", "FORCED_OPEN->CLOSED"), transitions);
    }

    @Test
    void resetClearsTheWindow() {
        CircuitBreaker cb = r4jLike(Window.COUNT);
        succeed(cb, FAST);
        fail(cb, FAST);
        assertEquals(2, cb.metrics().bufferedCalls());
        assertEquals(1, cb.metrics().failedCalls());
        cb.reset();
        assertEquals(0, cb.metrics().bufferedCalls());
        assertEquals(0, cb.metrics().failedCalls());
        assertEquals(State.CLOSED, cb.state());
    }

    @Test
    void aThrowingListenerIsLoggedAndIgnoredAndTheOthersStillHearTheEvent() {
        List<String> heard = new CopyOnWriteArrayList<>();
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).clock(time)
                .listener(new ResilienceListener() {
                    @Override
                    public void onStateChange(String name, State from, State to) {
                        throw new IllegalStateException("listener bug");
                    }
                })
                .listener(new ResilienceListener() {
                    @Override
                    public void onStateChange(String name, State from, State to) {
                        heard.add(name + ":" + from + "->" + to);
                    }
                }).build();
        Boom boom = new Boom("down");
        Boom thrown = assertThrows(Boom.class, () -> cb.call(() -> {
            throw boom;
        }));
        assertSame(boom, thrown, "the call's own failure, unaffected by the listener");
        assertEquals(State.OPEN, cb.state());
        assertEquals(List.of("circuit-breaker:CLOSED->OPEN"), heard);
    }

    @Test
    void rejectionsAreReportedToListeners() {
        ResilienceCounters counters = new ResilienceCounters();
        CircuitBreaker cb = CircuitBreaker.builder().clock(time).listener(counters).build();
        cb.forceOpen();
        for (int i = 0; i < 3; i++) {
            assertThrows(CircuitBreakerOpenException.class, () -> cb.call(() -> "x"));
        }
        assertEquals(3, counters.rejections());
        assertEquals(1, counters.stateChanges());
    }

    @Test
    void aWaitInOpenTooLongToRepresentKeepsTheBreakerOpenForGood() {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1)
                .waitInOpen(ChronoUnit.FOREVER.getDuration()).clock(time).build();
        time.advance(Duration.ofDays(1)); // the clock is past zero: "now + forever" would overflow
        fail(cb, FAST);
        assertEquals(State.OPEN, cb.state());
        time.advance(Duration.ofDays(365 * 100));
        assertFalse(cb.tryAcquirePermission(), "a century later: still open");
        assertEquals(State.OPEN, cb.state());
    }

    @Test
    void withoutASlowCallDurationNoCallIsCountedSlow() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(10).minimumCalls(10).recordResult("bad"::equals)
                .clock(time).build();
        cb.call(() -> "ok");
        cb.call(() -> "bad");
        assertThrows(Boom.class, () -> cb.call(() -> {
            throw new Boom("down");
        }));
        cb.onSuccess(Duration.ZERO);
        cb.onFailure(Duration.ofHours(1), new Boom("down"));
        CircuitBreaker.Metrics m = cb.metrics();
        assertEquals(5, m.bufferedCalls());
        assertEquals(0, m.slowCalls(), "slow calls are only counted when a slow-call duration is set");
    }

    @Test
    void withoutMinimumCallsASmallCountWindowOpensOnceItIsFull() {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(4).clock(time).build(); // default minimum: 20, capped at 4
        for (int i = 0; i < 3; i++) {
            fail(cb, FAST);
        }
        assertEquals(State.CLOSED, cb.state(), "3 calls: under the window of 4");
        fail(cb, FAST);
        assertEquals(State.OPEN, cb.state());
    }

    @Test
    void aCallTakingExactlyTheSlowDurationIsSlowAndOldCallsLeaveTheTimeWindowsMetrics() {
        CircuitBreaker cb = r4jLike(Window.TIME);
        succeed(cb, Duration.ofSeconds(4));
        assertEquals(1, cb.metrics().slowCalls(), "4 s is the slow-call duration itself");
        fail(cb, FAST);
        assertEquals(1, cb.metrics().failedCalls());
        time.advance(Duration.ofSeconds(5));
        CircuitBreaker.Metrics m = cb.metrics();
        assertEquals(0, m.bufferedCalls(), "the window moved on with no call since");
        assertEquals(0, m.failedCalls());
        assertEquals(0, m.slowCalls());
    }

    @Test
    void metricsGiveTheRatesOnceTheMinimumIsBufferedAndTheTrialCountsWhileHalfOpen() {
        CircuitBreaker cb = r4jLike(Window.COUNT);
        fail(cb, SLOW);
        succeed(cb, FAST);
        assertEquals(-1.0, cb.metrics().slowCallRate(), "under the minimum of 5: no rate yet");
        succeed(cb, FAST);
        succeed(cb, FAST);
        fail(cb, FAST.plusMillis(1));
        CircuitBreaker.Metrics m = cb.metrics();
        assertEquals(State.CLOSED, m.state());
        assertEquals(5, m.bufferedCalls());
        assertEquals(2, m.failedCalls());
        assertEquals(1, m.slowCalls());
        assertEquals(40.0, m.failureRate());
        assertEquals(20.0, m.slowCallRate());

        CircuitBreaker half = openThenHalfOpen(r4jLike(Window.COUNT));
        fail(half, SLOW);
        succeed(half, FAST);
        succeed(half, FAST);
        m = half.metrics();
        assertEquals(State.HALF_OPEN, m.state());
        assertEquals(3, m.bufferedCalls(), "the trials so far");
        assertEquals(1, m.failedCalls());
        assertEquals(1, m.slowCalls());
        assertEquals(-1.0, m.failureRate(), "3 of the 4 trials: no rate yet");
        half.forceOpen();
        m = half.metrics();
        assertEquals(0, m.bufferedCalls(), "open: nothing buffered");
        assertEquals(0, m.failedCalls());
        assertEquals(0, m.slowCalls());
    }

    @Test
    void aCallAdmittedBeforeATransitionDoesNotCountInTheNextPeriod() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).trialCalls(1)
                .waitInOpen(Duration.ZERO).clock(time).build();
        Object r = cb.call(() -> {
            cb.forceOpen();
            cb.reset(); // a new closed period starts while this call runs
            return "late";
        });
        assertEquals("late", r);
        assertEquals(0, cb.metrics().bufferedCalls(), "the late outcome belongs to the old window");
        assertEquals(1, cb.metrics().successes(), "but the totals count it");
    }

    @Test
    void callsThatThrowOrReturnAFailedResultAreSlowWhenTheyTakeTheSlowCallDuration() throws Exception {
        time.advance(Duration.ofHours(1)); // the calls start at a clock reading far from zero
        CircuitBreaker cb = CircuitBreaker.builder().timeWindow(Duration.ofMinutes(1)).minimumCalls(10)
                .slowCalls(Duration.ofSeconds(1), 100).recordResult("bad"::equals).clock(time).build();
        assertThrows(Boom.class, () -> cb.call(() -> {
            time.advance(Duration.ofSeconds(1));
            throw new Boom("slow failure");
        }));
        assertEquals("bad", cb.call(() -> {
            time.advance(Duration.ofSeconds(1));
            return "bad";
        }));
        assertThrows(Boom.class, () -> cb.call(() -> {
            time.advance(Duration.ofMillis(999));
            throw new Boom("fast failure");
        }));
        assertEquals("bad", cb.call(() -> {
            time.advance(Duration.ofMillis(999));
            return "bad";
        }));
        CircuitBreaker.Metrics m = cb.metrics();
        assertEquals(4, m.failedCalls());
        assertEquals(2, m.slowCalls(), "the throw and the failed result that took the slow-call duration (1 s)");
        assertEquals(2, m.failedResults());
    }

    @Test
    void aResultReportedByHandIsASuccessUnlessItMatchesRecordResult() {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(10).minimumCalls(10).recordResult("bad"::equals)
                .clock(time).build();
        assertTrue(cb.tryAcquirePermission());
        cb.onResult(Duration.ZERO, "good");
        assertTrue(cb.tryAcquirePermission());
        cb.onResult(Duration.ZERO, "bad");
        CircuitBreaker.Metrics m = cb.metrics();
        assertEquals(2, m.bufferedCalls());
        assertEquals(1, m.successes());
        assertEquals(1, m.failures());
        assertEquals(1, m.failedResults());
    }

    @Test
    void aSuccessfulCallThatCompletesTheWindowAtExactlyTheThresholdOpensTheBreaker() throws Exception {
        time.advance(Duration.ofHours(1)); // far from zero: a call stamped at zero would fall outside the window
        CircuitBreaker cb = CircuitBreaker.builder().timeWindow(Duration.ofSeconds(10), 2).minimumCalls(2)
                .failureRateThreshold(50).clock(time).listener(recorder).build();
        assertThrows(Boom.class, () -> cb.call(() -> {
            throw new Boom("down");
        }));
        assertEquals(State.CLOSED, cb.state(), "one call: under the minimum of 2");
        assertEquals("ok", cb.call(() -> "ok"));
        assertEquals(State.OPEN, cb.state(), "1 failure of 2 = 50%, the threshold itself; the success completed the window");
        assertEquals(List.of("CLOSED->OPEN"), transitions);
    }

    @Test
    void trialsThatAllSucceedCloseTheBreakerAndTheListenersHearIt() {
        CircuitBreaker cb = openThenHalfOpen(r4jLike(Window.COUNT));
        for (int i = 0; i < 4; i++) {
            succeed(cb, FAST);
        }
        assertEquals(State.CLOSED, cb.state());
        assertEquals("HALF_OPEN->CLOSED", transitions.getLast());
    }

    @Test
    void halfTheTrialsSlowIsTheSlowThresholdItselfAndReopensAtOnce() {
        CircuitBreaker cb = openThenHalfOpen(r4jLike(Window.COUNT));
        succeed(cb, SLOW);
        assertEquals(State.HALF_OPEN, cb.state(), "1 slow of 4 trials: not yet certain");
        succeed(cb, SLOW);
        assertEquals(State.OPEN, cb.state(), "2 slow of 4 = 50%, the slow-call threshold: certain before the last two");
    }

    @Test
    void exactlyTheSlowCallRateOpensAClosedBreaker() {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(2).minimumCalls(2).slowCalls(Duration.ofSeconds(1), 50)
                .clock(time).build();
        succeed(cb, Duration.ofSeconds(1));
        succeed(cb, FAST);
        assertEquals(State.OPEN, cb.state(), "1 slow call of 2 = 50%, the slow-call threshold itself");
    }

    @Test
    void aRefusalWithNoTrialTimeSaysOnlyThatTheCallIsNotPermitted() {
        CircuitBreaker cb = CircuitBreaker.builder().name("db").build();
        cb.forceOpen();
        CircuitBreakerOpenException e = assertThrows(CircuitBreakerOpenException.class, () -> cb.call(() -> "never"));
        assertEquals("circuit breaker 'db' is FORCED_OPEN: call not permitted", e.getMessage());
        assertTrue(e.retryAfter().isEmpty());
    }
}
