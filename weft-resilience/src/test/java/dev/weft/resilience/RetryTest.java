package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DeadlineExceededException;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import dev.weft.resilience.TestSupport.Boom;
import dev.weft.test.WeftTest;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Retry semantics (issue 4, semantics 2), on virtual time. */
@WeftTest
class RetryTest {
    private final VirtualTime time = VirtualTime.autoAdvancing();

    private static Retry fixed(int attempts, Duration delay) {
        return Retry.builder().maxAttempts(attempts).backoff(Backoff.fixed(delay)).build();
    }

    @Test
    void retriesUntilSuccessSleepingTheBackoffBetweenAttempts(VirtualTime injected) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String r = fixed(5, Duration.ofMillis(100)).call(() -> { // the test body runs on the injected clock
            if (calls.incrementAndGet() < 3) {
                throw new IOException("flaky");
            }
            return "ok";
        });
        assertEquals("ok", r);
        assertEquals(3, calls.get());
        assertEquals(Duration.ofMillis(200), injected.elapsed());
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheLastFailureUnchanged() {
        AtomicInteger calls = new AtomicInteger();
        List<Boom> thrown = new ArrayList<>();
        Boom e = assertThrows(Boom.class, () -> time.run(() -> fixed(3, Duration.ofMillis(10)).call(() -> {
            Boom b = new Boom("attempt " + calls.incrementAndGet());
            thrown.add(b);
            throw b;
        })));
        assertSame(thrown.get(2), e);
        assertEquals(3, calls.get());
    }

    @Test
    void theDelaysFollowTheSeededBackoff() throws Exception {
        Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5));
        SplittableRandom expected = new SplittableRandom(11);
        Duration total = Duration.ZERO;
        for (int n = 1; n <= 4; n++) {
            total = total.plus(backoff.delay(n, null, expected));
        }
        List<Duration> seen = new CopyOnWriteArrayList<>();
        Retry retry = Retry.builder().maxAttempts(5).backoff(backoff).random(new SplittableRandom(11))
                .listener(new ResilienceListener() {
                    @Override
                    public void onRetry(String name, int attempt, Duration delay, Throwable failure) {
                        seen.add(delay);
                    }
                }).build();
        assertThrows(Boom.class, () -> time.run(() -> retry.call(() -> {
            throw new Boom("no");
        })));
        assertEquals(4, seen.size());
        assertEquals(total, time.elapsed());
    }

    @Test
    void aNonRetryableFailurePassesAtOnce() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.builder().maxAttempts(5).retryOn(IOException.class).build();
        assertThrows(IllegalStateException.class, () -> time.run(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("bug");
        })));
        assertEquals(1, calls.get());
    }

    @Test
    void abortOnWinsOverRetryOn() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.builder().maxAttempts(5).backoff(Backoff.none()).abortOn(java.io.FileNotFoundException.class).build();
        assertThrows(java.io.FileNotFoundException.class, () -> retry.call(() -> {
            calls.incrementAndGet();
            throw new java.io.FileNotFoundException("gone");
        }));
        assertEquals(1, calls.get());
    }

    @Test
    void retryableResultsAreRetriedAndTheLastIsReturnedWhenAttemptsRunOut() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.builder().maxAttempts(3).backoff(Backoff.none()).retryOnResult(r -> (Integer) r < 10).build();
        assertEquals(2, (int) retry.call(calls::incrementAndGet) - 1);
        calls.set(8);
        assertEquals(10, (int) retry.call(calls::incrementAndGet));
    }

    // 2. A retry never starts an attempt it cannot start before the deadline; it says so.
    @Test
    void stopsWhenTheNextAttemptCannotStartBeforeTheDeadlineAndNamesIt() {
        AtomicInteger calls = new AtomicInteger();
        RetryDeadlineExceededException e = assertThrows(RetryDeadlineExceededException.class, () -> time.run(() ->
                Timeouts.failAfter(Duration.ofSeconds(1), () -> fixed(10, Duration.ofMillis(400)).call(() -> {
                    throw new Boom("attempt " + calls.incrementAndGet());
                }))));
        assertEquals(3, calls.get(), "attempts at 0, 400 and 800 ms; the next would start at 1200 > 1000");
        assertEquals(Duration.ofMillis(800), time.elapsed(), "stopped at once, without sleeping towards the deadline");
        assertEquals(VirtualTime.DEFAULT_EPOCH.plusSeconds(1), e.deadline());
        assertEquals("attempt 3", e.getCause().getMessage());
        assertEquals(3, e.attempts());
        assertEquals(Duration.ofMillis(400), e.nextDelay());
        assertTrue(e.getMessage().contains("deadline " + Instant.parse("2026-01-01T00:00:01Z")), e.getMessage());
        assertInstanceOf(DeadlineExceededException.class, e);
    }

    @Test
    void anAttemptThatWouldStartExactlyAtTheDeadlineIsNotStarted() {
        AtomicInteger calls = new AtomicInteger();
        RetryDeadlineExceededException e = assertThrows(RetryDeadlineExceededException.class, () -> time.run(() ->
                Timeouts.failAfter(Duration.ofSeconds(1), () -> fixed(10, Duration.ofMillis(500)).call(() -> {
                    throw new Boom("attempt " + calls.incrementAndGet());
                }))));
        assertEquals(2, calls.get(), "attempts at 0 and 500 ms; the next would start at the deadline itself");
        assertEquals(Duration.ofMillis(500), time.elapsed());
        assertEquals(2, e.attempts());
        assertEquals(Duration.ofMillis(500), e.elapsed(), "counted from the first attempt (which took no time)");
    }

    @Test
    void anAttemptStartingExactlyAtTheMaximumDurationStillRuns() {
        AtomicInteger calls = new AtomicInteger();
        ResilienceCounters counters = new ResilienceCounters();
        Retry retry = Retry.builder().maxAttempts(100).maxDuration(Duration.ofSeconds(1))
                .backoff(Backoff.fixed(Duration.ofMillis(500))).listener(counters).build();
        assertThrows(Boom.class, () -> time.run(() -> retry.call(() -> {
            throw new Boom("attempt " + calls.incrementAndGet());
        })));
        assertEquals(3, calls.get(), "attempts at 0, 500 and 1000 ms (the limit itself); not at 1500");
        assertEquals(1, counters.giveUps());
    }

    @Test
    void retryOnRetriesTheGivenTypesAndTheirSubtypesAndAbortOnCarvesOutExceptions() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry io = Retry.builder().maxAttempts(3).backoff(Backoff.none()).retryOn(IllegalStateException.class, IOException.class)
                .abortOn(java.io.FileNotFoundException.class).build();
        assertEquals("ok", io.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new java.net.SocketException("an IOException: retried");
            }
            return "ok";
        }));
        assertEquals(2, calls.get());
        calls.set(0);
        assertEquals("ok", io.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the first type listed: retried");
            }
            return "ok";
        }));
        assertEquals(2, calls.get());
        calls.set(0);
        assertThrows(java.io.FileNotFoundException.class, () -> io.call(() -> {
            calls.incrementAndGet();
            throw new java.io.FileNotFoundException("an IOException, but aborted on");
        }));
        assertEquals(1, calls.get());
        calls.set(0);
        assertThrows(Boom.class, () -> io.call(() -> {
            calls.incrementAndGet();
            throw new Boom("neither listed nor aborted on: not retried");
        }));
        assertEquals(1, calls.get());
    }

    @Test
    void aListenerThrowingAVirtualMachineErrorIsNotSwallowed() {
        Retry retry = Retry.builder().maxAttempts(2).backoff(Backoff.none()).listener(new ResilienceListener() {
            @Override
            public void onAttempt(String name, int attempt) {
                throw new StackOverflowError("listener blew the stack");
            }
        }).build();
        assertThrows(StackOverflowError.class, () -> retry.call(() -> "never reached"));
    }

    @Test
    void aServerDelayPastTheDeadlineAlsoStopsAtOnce() {
        RetryDeadlineExceededException e = assertThrows(RetryDeadlineExceededException.class, () -> time.run(() ->
                Timeouts.failAfter(Duration.ofSeconds(10), () -> fixed(5, Duration.ZERO).call(() -> {
                    throw new Throttled(Duration.ofMinutes(1));
                }))));
        assertEquals(Duration.ZERO, time.elapsed());
        assertEquals(Duration.ofMinutes(1), e.nextDelay());
    }

    @Test
    void cancellingTheCallerDuringABackoffStopsTheRetryAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Outcome<?> o = time.run(() -> TaskGroup.run(g -> {
            Task<Object> t = g.spawn(() -> fixed(10, Duration.ofHours(1)).call(() -> {
                calls.incrementAndGet();
                throw new Boom("down");
            }));
            Weft.sleep(Duration.ofMillis(150));
            t.cancel();
            return t.outcome();
        }));
        assertInstanceOf(Outcome.Cancelled.class, o);
        assertEquals(1, calls.get());
        assertEquals(Duration.ofMillis(150), time.elapsed(), "the back-off sleep ended with the cancellation");
    }

    @Test
    void aCancellationIsNeverRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        assertThrows(InterruptedException.class, () -> fixed(5, Duration.ZERO).call(() -> {
            calls.incrementAndGet();
            throw new InterruptedException("cancelled");
        }));
        assertEquals(1, calls.get());
        AtomicInteger inScope = new AtomicInteger();
        Optional<Object> r = time.run(() -> Timeouts.moveOnAfter(Duration.ofSeconds(1), () -> fixed(5, Duration.ZERO).call(() -> {
            inScope.incrementAndGet();
            Weft.sleep(Duration.ofHours(1)); // cut by the enclosing scope: a cancellation, not a failure
            return "never";
        })));
        assertTrue(r.isEmpty());
        assertEquals(1, inScope.get());
    }

    @Test
    void aServerProvidedDelayReplacesTheBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String r = time.run(() -> fixed(3, Duration.ofMillis(1)).call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IOException("wrapped", new Throttled(Duration.ofSeconds(7)));
            }
            return "ok";
        }));
        assertEquals("ok", r);
        assertEquals(Duration.ofSeconds(7), time.elapsed(), "Retry-After found in the cause chain");
    }

    @Test
    void aRetryableResultCarryingAServerDelaySetsTheWait() throws Exception {
        record Response(int status, Duration retryAfterHeader) implements RetryAfter {
            @Override
            public Optional<Duration> retryAfter() {
                return Optional.ofNullable(retryAfterHeader);
            }
        }
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(1)))
                .retryOnResult(r -> ((Response) r).status() == 429).build();
        Response r = time.run(() -> retry.call(() -> calls.incrementAndGet() == 1
                ? new Response(429, Duration.ofSeconds(3)) : new Response(200, null)));
        assertEquals(200, r.status());
        assertEquals(Duration.ofSeconds(3), time.elapsed());
    }

    /** A failure that implements RetryAfter, with or without a delay, possibly wrapping another. */
    static final class MaybeThrottled extends RuntimeException implements RetryAfter {
        private final Optional<Duration> wait;

        MaybeThrottled(Optional<Duration> wait, Throwable cause) {
            super("503, retry after " + wait, cause);
            this.wait = wait;
        }

        @Override
        public Optional<Duration> retryAfter() {
            return wait;
        }
    }

    @Test
    void theOutermostServerDelayWinsAndAnEmptyOneMeansTheBackoff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        String r = time.run(() -> fixed(3, Duration.ofMillis(5)).call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new MaybeThrottled(Optional.empty(), new Throttled(Duration.ofSeconds(7)));
            }
            return "ok";
        }));
        assertEquals("ok", r);
        assertEquals(Duration.ofMillis(5), time.elapsed(), "the outer failure has no delay: the back-off, not the cause's 7 s");
    }

    @Test
    void aServerDelayInThePastMeansRetryAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        List<Duration> delays = new CopyOnWriteArrayList<>();
        Retry retry = Retry.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofSeconds(5)))
                .listener(new ResilienceListener() {
                    @Override
                    public void onRetry(String name, int attempt, Duration delay, Throwable failure) {
                        delays.add(delay);
                    }
                }).build();
        String r = time.run(() -> retry.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new Throttled(Duration.ofSeconds(-3)); // a Retry-After date already past
            }
            return "ok";
        }));
        assertEquals("ok", r);
        assertEquals(Duration.ZERO, time.elapsed());
        assertEquals(List.of(Duration.ZERO), delays, "a negative delay is reported as zero");
    }

    @Test
    void theServerDelayCanBeIgnored() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(5))).honourRetryAfter(false).build();
        time.run(() -> retry.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new Throttled(Duration.ofSeconds(7));
            }
            return "ok";
        }));
        assertEquals(Duration.ofMillis(5), time.elapsed());
    }

    @Test
    void maxDurationStopsRetriesThatWouldStartTooLateWithTheLastFailure() {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.builder().maxAttempts(100).maxDuration(Duration.ofSeconds(1))
                .backoff(Backoff.fixed(Duration.ofMillis(300))).build();
        Boom e = assertThrows(Boom.class, () -> time.run(() -> retry.call(() -> {
            throw new Boom("attempt " + calls.incrementAndGet());
        })));
        assertEquals(4, calls.get(), "attempts at 0, 300, 600, 900 ms");
        assertEquals("attempt 4", e.getMessage());
        assertEquals(Duration.ofMillis(900), time.elapsed());
    }

    @Test
    void eventsReportAttemptsRetriesAndTheGiveUp() {
        ResilienceCounters counters = new ResilienceCounters();
        List<String> reasons = new CopyOnWriteArrayList<>();
        Retry retry = Retry.builder().maxAttempts(3).backoff(Backoff.none()).listener(counters)
                .listener(new ResilienceListener() {
                    @Override
                    public void onGiveUp(String name, int attempts, String reason, Throwable failure) {
                        reasons.add(name + ":" + attempts + ":" + reason);
                    }
                }).build();
        assertThrows(Boom.class, () -> retry.call(() -> {
            throw new Boom("x");
        }));
        assertEquals(3, counters.attempts());
        assertEquals(2, counters.retries());
        assertEquals(1, counters.giveUps());
        assertEquals(List.of("retry:3:max attempts (3) reached"), reasons);
    }

    @Test
    void aThrowingListenerIsIgnored() throws Exception {
        Retry retry = Retry.builder().maxAttempts(2).backoff(Backoff.none()).listener(new ResilienceListener() {
            @Override
            public void onAttempt(String name, int attempt) {
                throw new IllegalStateException("listener bug");
            }
        }).build();
        AtomicInteger calls = new AtomicInteger();
        assertEquals("ok", retry.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new Boom("x");
            }
            return "ok";
        }));
    }

    /** A failure carrying a server-provided delay, like HTTP 429 with Retry-After. */
    static final class Throttled extends RuntimeException implements RetryAfter {
        private final Duration wait;

        Throttled(Duration wait) {
            super("429, retry after " + wait);
            this.wait = wait;
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.of(wait);
        }
    }

    @Test
    void theListenerHearsTheGiveUpOfANonRetryableFailureAndOfADeadlineTooClose() {
        List<String> reasons = new CopyOnWriteArrayList<>();
        ResilienceListener heard = new ResilienceListener() {
            @Override
            public void onGiveUp(String name, int attempts, String reason, Throwable failure) {
                reasons.add(name + ":" + attempts + ":" + reason + ":" + failure.getClass().getSimpleName());
            }
        };
        Retry onlyIo = Retry.builder().name("io").retryIf(t -> t instanceof IOException).backoff(Backoff.none())
                .listener(heard).build();
        assertThrows(Boom.class, () -> onlyIo.call(() -> {
            throw new Boom("not an IOException");
        }));
        Retry slow = Retry.builder().name("slow").maxAttempts(5).backoff(Backoff.fixed(Duration.ofSeconds(10)))
                .listener(heard).build();
        RetryDeadlineExceededException e = assertThrows(RetryDeadlineExceededException.class, () -> time.run(() -> {
            Weft.sleep(Duration.ofHours(1)); // the clock far from zero: elapsed times are differences
            return Timeouts.failAfter(Duration.ofSeconds(1), () -> slow.call(() -> {
                throw new Boom("down");
            }));
        }));
        assertTrue(e.getMessage().startsWith("retry 'slow' (after 1 attempt, next in PT10S, "), e.getMessage());
        assertEquals(Duration.ZERO, e.elapsed(), "the one attempt took no time");
        assertEquals(List.of("io:1:not retryable:Boom",
                "slow:1:the next attempt cannot start before the deadline:RetryDeadlineExceededException"), reasons);
    }

    @Test
    void aRetryableResultStillThereWhenTheMaximumDurationOrTheBudgetRunsOutIsReturned() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry byDuration = Retry.builder().maxAttempts(10).maxDuration(Duration.ofSeconds(1))
                .backoff(Backoff.fixed(Duration.ofMillis(400))).retryOnResult("busy"::equals).build();
        assertEquals("busy", time.run(() -> {
            Weft.sleep(Duration.ofHours(1)); // the clock far from zero: the maximum counts from the first attempt
            return byDuration.call(() -> {
                calls.incrementAndGet();
                return "busy";
            });
        }));
        assertEquals(3, calls.get(), "attempts at 0, 400 and 800 ms; the next would start at 1200 ms");

        RetryBudget none = RetryBudget.of(0, 0, Duration.ofSeconds(10));
        Retry byBudget = Retry.builder().maxAttempts(10).backoff(Backoff.none()).retryOnResult("busy"::equals)
                .budget(none).build();
        assertEquals(10, byBudget.maxAttempts());
        assertEquals(java.util.Optional.of(none), byBudget.budget());
        calls.set(0);
        assertEquals("busy", time.run(() -> byBudget.call(() -> {
            calls.incrementAndGet();
            return "busy";
        })));
        assertEquals(1, calls.get(), "a budget that allows no retry");
    }

    @Test
    void aRetryWithNoDelayStillStopsWhenItsCallerIsCancelledBetweenAttempts() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        dev.weft.CancelScope scope = dev.weft.CancelScope.create();
        Retry retry = Retry.builder().maxAttempts(5).backoff(Backoff.none()).listener(new ResilienceListener() {
            @Override
            public void onRetry(String name, int attempt, Duration delay, Throwable failure) {
                scope.cancel(); // the caller is cancelled after the failure, before the next attempt
            }
        }).build();
        java.util.Optional<Object> r = scope.run(() -> retry.call(() -> {
            calls.incrementAndGet();
            throw new Boom("fails at once, never blocks");
        }));
        assertTrue(r.isEmpty(), "the scope's cancellation ended the call");
        assertEquals(1, calls.get(), "no attempt after the caller was cancelled, though there is no delay to wait in");
    }

    @Test
    void anAcceptableFirstResultIsReturnedWithoutASecondCall() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.builder().maxAttempts(3).backoff(Backoff.none()).retryOnResult("busy"::equals).build();
        assertEquals("ok", retry.call(() -> {
            calls.incrementAndGet();
            return "ok";
        }));
        assertEquals(1, calls.get(), "only a result that matches retryOnResult is retried");
    }

    @Test
    void aFailureThatIsItsOwnCauseIsRetriedWithTheBackOff() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.builder().maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(5))).build();
        String r = time.run(() -> retry.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new SelfCaused();
            }
            return "ok";
        }));
        assertEquals("ok", r, "the search for a Retry-After along the causes ends at a self-cause");
        assertEquals(Duration.ofMillis(5), time.elapsed());
    }

    @Test
    void aServerDelayTooFarInThePastToRepresentMeansRetryAtOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Retry retry = Retry.builder().maxAttempts(2).backoff(Backoff.fixed(Duration.ofSeconds(5))).build();
        String r = time.run(() -> retry.call(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new Throttled(Duration.ofSeconds(-Long.MAX_VALUE / 2)); // beyond a long of nanoseconds
            }
            return "ok";
        }));
        assertEquals("ok", r);
        assertEquals(Duration.ZERO, time.elapsed());
    }

    /** A failure whose {@code getCause()} returns itself (a subclass can do that; Throwable's own never does). */
    static final class SelfCaused extends RuntimeException {
        SelfCaused() {
            super("its own cause");
        }

        @Override
        public synchronized Throwable getCause() {
            return this;
        }
    }
}
