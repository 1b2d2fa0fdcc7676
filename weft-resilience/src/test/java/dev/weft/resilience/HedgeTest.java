package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import dev.weft.resilience.TestSupport.Boom;
import dev.weft.test.WeftTest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Semantics 5: hedging is structured; losers are interrupted and finished before the result returns. */
@WeftTest
class HedgeTest {
    private final VirtualTime time = VirtualTime.autoAdvancing();

    @Test
    void aSlowFirstAttemptIsHedgedAndTheLoserIsInterruptedAndJoinedBeforeTheResultReturns() throws Exception {
        AtomicInteger n = new AtomicInteger();
        List<String> events = new CopyOnWriteArrayList<>();
        Hedge hedge = Hedge.builder().delay(Duration.ofMillis(50)).maxAttempts(3).build();
        String r = time.run(() -> hedge.call(() -> {
            int me = n.incrementAndGet();
            if (me == 1) {
                try {
                    Weft.sleep(Duration.ofHours(1));
                    return "slow";
                } catch (InterruptedException e) {
                    events.add("attempt 1 interrupted");
                    throw e;
                } finally {
                    events.add("attempt 1 finished");
                }
            }
            Weft.sleep(Duration.ofMillis(10));
            return "fast " + me;
        }));
        events.add("returned " + r);
        assertEquals("fast 2", r);
        assertEquals(List.of("attempt 1 interrupted", "attempt 1 finished", "returned fast 2"), events);
        assertEquals(Duration.ofMillis(60), time.elapsed());
        assertEquals(2, n.get(), "the third attempt was never needed");
    }

    @Test
    void aFastFirstAttemptIsNotHedged() throws Exception {
        AtomicInteger n = new AtomicInteger();
        ResilienceCounters counters = new ResilienceCounters();
        Hedge hedge = Hedge.builder().delay(Duration.ofMillis(50)).listener(counters).build();
        assertEquals("one", time.run(() -> hedge.call(() -> {
            n.incrementAndGet();
            Weft.sleep(Duration.ofMillis(20));
            return "one";
        })));
        assertEquals(1, n.get());
        assertEquals(0, counters.hedges());
    }

    @Test
    void whenEveryAttemptFailsAllFailuresAreReported() {
        AtomicInteger n = new AtomicInteger();
        Hedge hedge = Hedge.builder().delay(Duration.ofMillis(50)).maxAttempts(3).build();
        HedgeFailedException e = assertThrows(HedgeFailedException.class, () -> time.run(() -> hedge.call(() -> {
            int me = n.incrementAndGet();
            Weft.sleep(Duration.ofMillis(100));
            throw new Boom("attempt " + me);
        })));
        assertEquals(3, e.failures().size());
        assertEquals(List.of("attempt 1", "attempt 2", "attempt 3"), e.failures().stream().map(Throwable::getMessage).toList());
        assertEquals(3, e.getSuppressed().length);
    }

    @Test
    void aFailureStartsTheNextAttemptAtOnce() throws Exception {
        AtomicInteger n = new AtomicInteger();
        Hedge hedge = Hedge.builder().delay(Duration.ofSeconds(10)).build();
        String r = time.run(() -> hedge.call(() -> {
            if (n.incrementAndGet() == 1) {
                throw new Boom("fast failure");
            }
            return "second";
        }));
        assertEquals("second", r);
        assertEquals(Duration.ZERO, time.elapsed());
    }

    @Test
    void unacceptableResultsDoNotWin() throws Exception {
        AtomicInteger n = new AtomicInteger();
        Hedge hedge = Hedge.builder().delay(Duration.ofMillis(5)).maxAttempts(3).acceptIf(v -> !"bad".equals(v)).build();
        String r = time.run(() -> hedge.call(() -> {
            int me = n.incrementAndGet();
            Weft.sleep(Duration.ofMillis(me == 1 ? 1 : 100));
            return me == 1 ? "bad" : "good " + me;
        }));
        assertEquals("good 2", r);
    }

    @Test
    void cancellingTheCallerCancelsAndJoinsEveryAttempt() throws Exception {
        AtomicInteger finished = new AtomicInteger();
        Hedge hedge = Hedge.builder().delay(Duration.ofMillis(10)).maxAttempts(3).build();
        Outcome<Object> o = time.run(() -> TaskGroup.run(g -> {
            Task<Object> t = g.spawn(() -> hedge.call(() -> {
                try {
                    Weft.sleep(Duration.ofHours(1));
                    return "never";
                } finally {
                    finished.incrementAndGet();
                }
            }));
            Weft.sleep(Duration.ofMillis(100));
            t.cancel();
            Outcome<Object> out = t.outcome();
            assertEquals(3, finished.get(), "every attempt had ended when the hedge returned");
            return out;
        }));
        assertInstanceOf(Outcome.Cancelled.class, o);
    }

    /**
     * Trio: cancelling the caller of a nursery raises Cancelled out of it, never an ExceptionGroup
     * wrapping it. A platform thread's interrupt is a cancellation from outside Weft.
     */
    @Test
    void hedge_callerInterrupted_throwsInterruptedException_likeTrioCancellation() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        java.util.concurrent.CountDownLatch bothRunning = new java.util.concurrent.CountDownLatch(2);
        Hedge hedge = Hedge.builder().delay(Duration.ZERO).maxAttempts(2).build();
        java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean flagAfter = new java.util.concurrent.atomic.AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                hedge.call(() -> {
                    started.incrementAndGet();
                    bothRunning.countDown();
                    try {
                        new java.util.concurrent.CountDownLatch(1).await(); // until interrupted
                        return "never";
                    } finally {
                        finished.incrementAndGet();
                    }
                });
            } catch (Throwable t) {
                thrown.set(t);
                flagAfter.set(Thread.currentThread().isInterrupted());
            }
        });
        bothRunning.await();
        caller.interrupt();
        caller.join();
        assertInstanceOf(InterruptedException.class, thrown.get(), () -> "thrown: " + thrown.get());
        assertEquals(2, started.get());
        assertEquals(2, finished.get(), "every attempt was interrupted and joined before the hedge threw");
        assertTrue(!flagAfter.get(), "the InterruptedException carries the interrupt; the flag is clear");
    }

    @Test
    void theCallersDeadlineExpiringBeforeTheHedgeDelayStartsNoHedge() {
        AtomicInteger n = new AtomicInteger();
        ResilienceCounters counters = new ResilienceCounters();
        Hedge hedge = Hedge.builder().delay(Duration.ofMillis(100)).listener(counters).build();
        assertThrows(dev.weft.DeadlineExceededException.class, () -> time.run(() ->
                dev.weft.Timeouts.failAfter(Duration.ofMillis(50), () -> hedge.call(() -> {
                    n.incrementAndGet();
                    Weft.sleep(Duration.ofHours(1));
                    return "never";
                }))));
        assertEquals(Duration.ofMillis(50), time.elapsed(), "the deadline ended the call");
        assertEquals(1, n.get());
        assertEquals(0, counters.hedges(), "no hedge was started for a caller already out of time");
    }

    @Test
    void attemptsSeeTheCallersDeadline() throws Exception {
        List<java.util.Optional<java.time.Instant>> seen = new CopyOnWriteArrayList<>();
        Hedge hedge = Hedge.builder().delay(Duration.ZERO).maxAttempts(2).build();
        java.time.Instant callersDeadline = time.instant().plus(Duration.ofSeconds(3));
        time.run(() -> dev.weft.Timeouts.failAfter(Duration.ofSeconds(3), () -> hedge.call(() -> {
            seen.add(dev.weft.Deadline.current().map(dev.weft.Deadline::instant));
            Weft.sleep(Duration.ofSeconds(1)); // keeps the first attempt running so that the hedge starts the second
            return "x";
        })));
        assertEquals(List.of(java.util.Optional.of(callersDeadline), java.util.Optional.of(callersDeadline)), seen,
                "both attempts see the caller's deadline, not merely some deadline");
    }

    @Test
    void aHedgeCalledDirectlyTellsItsOwnListenersAndReportsItsConfiguration() throws Exception {
        ResilienceCounters counters = new ResilienceCounters();
        List<String> heard = new CopyOnWriteArrayList<>();
        Hedge hedge = Hedge.builder().name("search").delay(Duration.ofMillis(50)).maxAttempts(2).listener(counters)
                .listener(new ResilienceListener() {
                    @Override
                    public void onHedge(String name, int attempt) {
                        heard.add(name + " " + attempt);
                    }
                }).build();
        assertEquals("search", hedge.name());
        assertEquals(2, hedge.maxAttempts());
        AtomicInteger n = new AtomicInteger();
        assertEquals("fast", time.run(() -> hedge.call(() -> {
            if (n.incrementAndGet() == 1) {
                Weft.sleep(Duration.ofHours(1));
            }
            return "fast";
        })));
        assertEquals(List.of("search 2"), heard, "no policy around it: its own listeners hear the hedge");
        assertEquals(1, counters.hedges());
    }

    @Test
    void aCallerWhoseDeadlineFallsExactlyWhenTheHedgeIsDueStartsNoHedge() {
        AtomicInteger n = new AtomicInteger();
        ResilienceCounters counters = new ResilienceCounters();
        Hedge hedge = Hedge.builder().delay(Duration.ofMillis(100)).listener(counters).build();
        assertThrows(dev.weft.DeadlineExceededException.class, () -> time.run(() ->
                dev.weft.Timeouts.failAfter(Duration.ofMillis(100), () -> hedge.call(() -> {
                    n.incrementAndGet();
                    Weft.sleep(Duration.ofHours(1));
                    return "never";
                }))));
        assertEquals(1, n.get());
        assertEquals(0, counters.hedges(), "the caller was out of time when the hedge came due");
    }

    @Test
    void anAttemptThatFailsBeforeTheDelayStartsTheNextAtOnce() throws Exception {
        AtomicInteger n = new AtomicInteger();
        Hedge hedge = Hedge.builder().delay(Duration.ofSeconds(1)).maxAttempts(3).build();
        assertEquals("third", time.run(() -> hedge.call(() -> {
            int me = n.incrementAndGet();
            if (me == 1) {
                Weft.sleep(Duration.ofHours(1)); // still running when the second fails
            } else if (me == 2) {
                throw new Boom("fails at once");
            }
            return "third";
        })));
        assertEquals(Duration.ofSeconds(1), time.elapsed(),
                "the second attempt started at 1 s and its failure started the third at once, not 1 s later");
    }
}
