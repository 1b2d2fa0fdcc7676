package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The CancelScope object: reschedule, explicit cancel, shields, flags (ported from asyncio's and Trio's cases). */
class CancelScopeTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Instant EPOCH = VirtualTime.DEFAULT_EPOCH;
    private final VirtualTime time = VirtualTime.autoAdvancing();

    @Test
    void rescheduleLaterLetsTheBodyFinish() throws Exception {
        CancelScope scope = CancelScope.after(HOUR);
        String r = time.run(() -> scope.call(s -> {
            s.rescheduleAfter(Duration.ofHours(3));
            Weft.sleep(Duration.ofHours(2));
            return "finished";
        }));
        assertEquals("finished", r);
        assertFalse(scope.cancelCalled());
    }

    @Test
    void rescheduleEarlierFiresAtTheNewDeadline() {
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> time.run(() ->
                Timeouts.failAfter(Duration.ofHours(10), s -> {
                    s.reschedule(EPOCH.plus(HOUR));
                    Weft.sleep(Duration.ofHours(5));
                    return 1;
                })));
        assertEquals(EPOCH.plus(HOUR), e.deadline());
        assertEquals(HOUR, time.elapsed());
    }

    @Test
    void rescheduleIntoThePastCancelsNow() {
        AtomicBoolean reached = new AtomicBoolean();
        assertThrows(DeadlineExceededException.class, () -> time.run(() -> Timeouts.failAfter(HOUR, s -> {
            s.reschedule(EPOCH.minusSeconds(1));
            reached.set(true);
            Weft.checkpoint();
            return 1;
        })));
        assertTrue(reached.get());
        assertEquals(Duration.ZERO, time.elapsed());
    }

    @Test
    void rescheduleFromAnotherTaskAndClearTheDeadline() throws Exception {
        CancelScope scope = CancelScope.after(HOUR);
        CountDownLatch inside = new CountDownLatch(1);
        Optional<String> r = time.run(() -> TaskGroup.run(g -> {
            Task<Optional<String>> t = g.spawn(() -> scope.run(() -> {
                inside.countDown();
                Weft.sleep(Duration.ofHours(2));
                return "slept";
            }));
            inside.await();
            assertEquals(Optional.of(EPOCH.plus(HOUR)), scope.deadline());
            scope.reschedule(EPOCH.plus(Duration.ofHours(30)));
            assertEquals(Optional.of(EPOCH.plus(Duration.ofHours(30))), scope.deadline());
            scope.clearDeadline();
            assertEquals(Optional.empty(), scope.deadline());
            return t.join();
        }));
        assertEquals(Optional.of("slept"), r);
        assertFalse(scope.cancelCalled());
    }

    @Test
    void explicitCancelStopsTheBodyAndMovesOn() throws Exception {
        CancelScope scope = CancelScope.create();
        CountDownLatch inside = new CountDownLatch(1);
        Optional<String> r = TaskGroup.run(g -> {
            Task<Optional<String>> t = g.spawn(() -> scope.run(() -> {
                inside.countDown();
                new CountDownLatch(1).await();
                return "unreachable";
            }));
            inside.await();
            scope.cancel();
            return t.join();
        });
        assertEquals(Optional.empty(), r);
        assertTrue(scope.cancelCalled());
        assertTrue(scope.cancelledCaught());
    }

    @Test
    void explicitCancelInAFailingScopeThrowsCancellationNotTimeout() {
        CancellationException e = assertThrows(CancellationException.class, () -> CancelScope.create().call(s -> {
            s.cancel();
            Weft.checkpoint();
            return 1;
        }));
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void cancelBeforeEntryCancelsOnEntry() throws Exception {
        CancelScope scope = CancelScope.create();
        scope.cancel();
        AtomicBoolean ran = new AtomicBoolean();
        assertEquals(Optional.empty(), scope.run(() -> {
            ran.set(true);
            Weft.checkpoint();
            return 1;
        }));
        assertTrue(ran.get());
    }

    @Test
    void cancelAfterTheScopeEndedHasNoEffect() throws Exception {
        CancelScope scope = CancelScope.create();
        assertEquals(Optional.of(1), scope.run(() -> 1));
        scope.cancel();
        assertFalse(Thread.currentThread().isInterrupted());
        Weft.checkpoint();
    }

    @Test
    void shieldedScopeIgnoresOutsideCancellationButTheCallerSeesItAfterwards() throws Exception {
        CountDownLatch inShield = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean workCompleted = new AtomicBoolean();
        AtomicBoolean interruptedInside = new AtomicBoolean();
        AtomicBoolean cancelledAfter = new AtomicBoolean();
        TaskGroup.supervise(g -> {
            Task<Object> t = g.spawn(() -> {
                Weft.shield(() -> {
                    inShield.countDown();
                    release.await(); // would throw if the outer cancel reached it
                    interruptedInside.set(Thread.currentThread().isInterrupted());
                    workCompleted.set(true);
                    return null;
                });
                try {
                    Weft.checkpoint();
                } catch (InterruptedException e) {
                    cancelledAfter.set(true);
                    throw e;
                }
                return null;
            });
            inShield.await();
            t.cancel();
            release.countDown();
            assertInstanceOf(Outcome.Cancelled.class, t.outcome());
            return null;
        });
        assertTrue(workCompleted.get());
        assertFalse(interruptedInside.get());
        assertTrue(cancelledAfter.get());
    }

    @Test
    void shieldedScopeStillObeysItsOwnDeadline() {
        assertThrows(DeadlineExceededException.class, () -> time.run(() -> Timeouts.failAfter(Duration.ofHours(5),
                () -> CancelScope.after(HOUR).shielded().call(() -> {
                    Weft.sleep(Duration.ofHours(2));
                    return 1;
                }))));
        assertEquals(HOUR, time.elapsed());
    }

    @Test
    void outerDeadlineDoesNotReachIntoAShieldUntilItEnds() throws Exception {
        AtomicReference<String> inside = new AtomicReference<>();
        assertThrows(DeadlineExceededException.class, () -> time.run(() -> Timeouts.failAfter(HOUR, () -> {
            inside.set(Weft.shield(() -> {
                Weft.sleep(Duration.ofHours(2)); // outlives the outer deadline, untouched
                return "shielded work done";
            }));
            Weft.checkpoint(); // the outer expiry is seen here
            return 1;
        })));
        assertEquals("shielded work done", inside.get());
        assertEquals(Duration.ofHours(2), time.elapsed());
    }

    @Test
    void loweringTheShieldDeliversAPendingOuterCancellation() {
        assertThrows(DeadlineExceededException.class, () -> time.run(() -> Timeouts.failAfter(HOUR, () -> {
            CancelScope shield = CancelScope.create().shielded();
            return shield.call(s -> {
                Weft.sleep(Duration.ofHours(2));
                s.setShield(false);
                Weft.checkpoint();
                return 1;
            });
        })));
    }

    @Test
    void tryWithResourcesFormRetractsItsOwnCancellationOnClose() throws Exception {
        try (CancelScope s = CancelScope.create().open()) {
            s.cancel();
            assertTrue(Thread.currentThread().isInterrupted());
            assertThrows(InterruptedException.class, Weft::checkpoint);
        }
        assertFalse(Thread.currentThread().isInterrupted());
        Weft.checkpoint();
    }

    @Test
    void scopesMustBeClosedInReverseOrder() throws Exception {
        CancelScope a = CancelScope.create().open();
        CancelScope b = CancelScope.create().open();
        IllegalStateException e = assertThrows(IllegalStateException.class, a::close);
        assertTrue(e.getMessage().contains("reverse order"), e.getMessage());
        b.close();
        a.close();
    }

    @Test
    void deadlineBeforeEntryIsComputedFromNowAndToStringShowsTheState() throws Exception {
        CancelScope s = CancelScope.at(EPOCH.plus(HOUR));
        assertEquals(Optional.of(EPOCH.plus(HOUR)), s.deadline());
        assertTrue(s.toString().contains("[new]"));
        time.run(() -> s.run(() -> {
            assertTrue(s.toString().contains("[active]"));
            return null;
        }));
        assertTrue(s.toString().contains("[finished]"));
    }
}
