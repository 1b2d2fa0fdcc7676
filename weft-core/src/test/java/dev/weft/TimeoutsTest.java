package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.TestSupport.Carrier;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 7's semantics, numbered as there; timeouts run on virtual time unless a JDK call needs real time. */
class TimeoutsTest {
    private static final Duration HOUR = Duration.ofHours(1);

    private final VirtualTime time = VirtualTime.autoAdvancing();

    // 1. The deadline interrupts the thread; the blocked call's finally runs; the exception appears at the boundary.
    @ParameterizedTest
    @EnumSource(Carrier.class)
    void deadlineInterruptsABlockedJdkCallAndConvertsAtTheBoundary(Carrier carrier) throws Exception {
        AtomicBoolean finallyRan = new AtomicBoolean();
        AtomicReference<Throwable> seenInside = new AtomicReference<>();
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> TestSupport.on(carrier, () ->
                Timeouts.failAfter(Duration.ofMillis(20), () -> {
                    try {
                        new CountDownLatch(1).await(); // a JDK call: real time, interrupted by the deadline
                        return "unreachable";
                    } catch (InterruptedException ie) {
                        seenInside.set(ie);
                        throw ie;
                    } finally {
                        finallyRan.set(true);
                    }
                })));
        assertTrue(finallyRan.get());
        assertInstanceOf(InterruptedException.class, seenInside.get(), "inside, the body saw an interruption, not a timeout");
        assertSame(seenInside.get(), e.getCause(), "the timeout exception is caused by the interruption (asyncio: __cause__)");
        assertTrue(e.getMessage().contains("deadline"), e.getMessage());
        assertTrue(e.elapsed().compareTo(Duration.ZERO) > 0);
    }

    @Test
    void virtualTimeDeadlineStopsWeftSleepAtExactlyTheDeadline() {
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> time.run(() ->
                Timeouts.failAfter(HOUR, () -> {
                    Weft.sleep(Duration.ofHours(2));
                    return 1;
                })));
        assertEquals(HOUR, e.elapsed());
        assertEquals(VirtualTime.DEFAULT_EPOCH.plus(HOUR), e.deadline());
        assertEquals(HOUR, time.elapsed());
    }

    // 2. Deadline computed on entry; zero/negative fire at the first blocking call; null rejected; "none" never fires.
    @Test
    void zeroOrNegativeTimeoutFiresAtTheFirstBlockingCall() throws Exception {
        for (Duration d : List.of(Duration.ZERO, Duration.ofSeconds(-11))) {
            AtomicBoolean beforeBlocking = new AtomicBoolean();
            CancelScope scope = CancelScope.after(d);
            Optional<String> r = time.run(() -> scope.run(() -> {
                beforeBlocking.set(true);
                Weft.checkpoint(); // asyncio's sleep(0)
                return "unreachable";
            }));
            assertTrue(beforeBlocking.get(), "code before the first blocking call runs");
            assertEquals(Optional.empty(), r);
            assertTrue(scope.cancelledCaught());
        }
    }

    @Test
    void deadlineIsComputedWhenTheScopeIsEntered() throws Exception {
        CancelScope scope = CancelScope.after(HOUR);
        time.advance(Duration.ofHours(5));
        Instant entered = time.instant();
        Optional<Instant> seen = time.run(() -> scope.run(() -> scope.deadline().orElseThrow()));
        assertEquals(Optional.of(entered.plus(HOUR)), seen);
    }

    @Test
    void nullTimeoutIsRejectedWithAClearMessage() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> Timeouts.failAfter(null, () -> 1));
        assertTrue(e.getMessage().contains("CancelScope.create()"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Timeouts.moveOnAt(null, () -> 1));
    }

    @Test
    void aScopeWithoutDeadlineOrWithAnUnrepresentableOneNeverFires() throws Exception {
        CancelScope none = CancelScope.create();
        CancelScope huge = CancelScope.after(Duration.ofSeconds(Long.MAX_VALUE));
        assertEquals(Optional.of("done"), time.run(() -> none.run(() -> huge.run(() -> {
            assertEquals(Optional.empty(), Deadline.current());
            Weft.sleep(Duration.ofDays(365 * 100));
            return "done";
        }).orElseThrow())));
        assertFalse(none.cancelledCaught());
        assertEquals(Optional.empty(), huge.deadline());
    }

    // 3. Value before the deadline; the body's exception passes through unchanged.
    @Test
    void bodyValueAndBodyExceptionPassThroughUnchanged() throws Exception {
        assertEquals("v", Timeouts.failAfter(HOUR, () -> "v"));
        IOException io = new IOException("mine");
        IOException thrown = assertThrows(IOException.class, () -> Timeouts.failAfter(HOUR, () -> {
            throw io;
        }));
        assertSame(io, thrown);
        assertEquals(0, thrown.getSuppressed().length);
    }

    // 4. A cleanup exception after the deadline fired wins; the timeout is attached as suppressed.
    @Test
    void cleanupExceptionAfterTheDeadlineWinsOverTheTimeout() {
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> time.run(() ->
                Timeouts.failAfter(HOUR, () -> {
                    try {
                        Weft.sleep(Duration.ofHours(2));
                    } finally {
                        throw new IllegalStateException("cleanup failed");
                    }
                })));
        assertEquals("cleanup failed", thrown.getMessage());
        assertEquals(1, thrown.getSuppressed().length);
        assertInstanceOf(DeadlineExceededException.class, thrown.getSuppressed()[0]);
    }

    // 5. Nested: the outermost expired scope converts; inner ones let it pass.
    @Test
    void nestedScopesExpiringTogetherLetTheOutermostConvert() {
        AtomicBoolean innerSawInterruption = new AtomicBoolean();
        CancelScope outer = CancelScope.after(HOUR);
        CancelScope inner = CancelScope.after(HOUR);
        assertThrows(DeadlineExceededException.class, () -> time.run(() -> outer.call(() -> {
            try {
                return inner.call(() -> {
                    Weft.sleep(Duration.ofHours(2));
                    return 0;
                });
            } catch (InterruptedException e) {
                innerSawInterruption.set(true);
                throw e;
            }
        })));
        assertTrue(innerSawInterruption.get(), "the inner scope let the interruption pass instead of converting it");
        assertTrue(outer.cancelledCaught());
        assertFalse(inner.cancelledCaught());
        assertTrue(inner.cancelCalled(), "the inner deadline did pass");
    }

    /** What stands between the outer {@code failAfter} and the inner {@code moveOnAfter}. */
    enum Between { CANCEL_SCOPE, TASK_GROUP_BODY, TASK_GROUP_CHILD }

    /**
     * failAfter(outer) -> a scope or group with no deadline of its own -> moveOnAfter(inner), both
     * deadlines passing at the same instant: the outer timeout wins, the inner one does not swallow
     * it. Unlike {@link #nestedScopesExpiringTogetherLetTheOutermostConvert} the outer scope is not
     * the inner one's direct parent, so the outer-cancellation check must walk the whole chain.
     * Catches issue 19's planted bug ("{@code CancelScope.exitWith} looks only at {@code s.parent}"):
     * with that plant all three cases fail (the inner scope moves on and the outer returns normally).
     */
    @ParameterizedTest
    @EnumSource(Between.class)
    void outerTimeoutWinsOverAnExpiredInnerMoveOnThroughAnIntermediateScope(Between between) {
        AtomicBoolean innerMovedOn = new AtomicBoolean();
        AtomicBoolean innerSawInterruption = new AtomicBoolean();
        Work<Object, Exception> inner = () -> {
            Optional<Integer> r;
            try {
                r = Timeouts.moveOnAfter(HOUR, () -> {
                    Weft.sleep(Duration.ofHours(2));
                    return 0;
                });
            } catch (InterruptedException e) {
                innerSawInterruption.set(true);
                throw e;
            }
            innerMovedOn.set(true);
            return r;
        };
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> time.run(() ->
                Timeouts.failAfter(HOUR, () -> switch (between) {
                    case CANCEL_SCOPE -> CancelScope.create().call(inner);
                    case TASK_GROUP_BODY -> TaskGroup.run(g -> inner.call());
                    case TASK_GROUP_CHILD -> TaskGroup.run(g -> g.spawn(inner::call).join());
                })));
        assertEquals(HOUR, e.elapsed());
        assertEquals(HOUR, time.elapsed(), "both deadlines passed at the same instant");
        assertFalse(innerMovedOn.get(), "the inner moveOnAfter swallowed the outer timeout");
        assertTrue(innerSawInterruption.get(), "the inner scope let the interruption pass");
    }

    @Test
    void outerExpiryIsNotLostWhenAnInnerLongerScopeIsRunning() {
        CancelScope inner = CancelScope.after(Duration.ofHours(3));
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> time.run(() ->
                Timeouts.failAfter(HOUR, () -> inner.call(() -> {
                    Weft.sleep(Duration.ofHours(5));
                    return 0;
                }))));
        assertEquals(HOUR, e.elapsed());
        assertFalse(inner.cancelledCaught());
    }

    @Test
    void innerExpiryConvertsThenTheOuterDeadlineStillStopsTheRest() {
        AtomicBoolean innerConverted = new AtomicBoolean();
        assertThrows(DeadlineExceededException.class, () -> time.run(() -> Timeouts.failAfter(Duration.ofHours(2), () -> {
            assertThrows(DeadlineExceededException.class, () -> Timeouts.failAfter(HOUR, () -> {
                Weft.sleep(Duration.ofHours(10));
                return 0;
            }));
            innerConverted.set(true);
            Weft.sleep(Duration.ofHours(10)); // stopped by the outer scope
            return 0;
        })));
        assertTrue(innerConverted.get());
        assertEquals(Duration.ofHours(2), time.elapsed());
    }

    // 6. An outer cancellation arriving inside an unexpired timeout propagates as cancellation.
    @Test
    void outerTaskCancellationWinsOverAnUnexpiredTimeout() throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        AtomicReference<Throwable> escaped = new AtomicReference<>();
        CancelScope scope = CancelScope.after(Duration.ofDays(1));
        TaskGroup.supervise(g -> {
            Task<Object> t = g.spawn(() -> {
                try {
                    return scope.call(() -> {
                        inside.countDown();
                        new CountDownLatch(1).await();
                        return null;
                    });
                } catch (Throwable e) {
                    escaped.set(e);
                    throw e;
                }
            });
            inside.await();
            t.cancel();
            assertInstanceOf(Outcome.Cancelled.class, t.outcome());
            return null;
        });
        assertInstanceOf(InterruptedException.class, escaped.get());
        assertFalse(scope.cancelledCaught());
        assertFalse(scope.cancelCalled());
    }

    /**
     * The counterpart of {@link #outerTaskCancellationWinsOverAnUnexpiredTimeout} with the inner
     * deadline actually expired: the inner sleep is stopped by its own deadline, and the outer
     * scope (two levels up, through a task group) is cancelled before the inner scope exits. The
     * outer cancellation wins: the inner scope lets the interruption pass and the outer catches
     * it. Also catches issue 19's "direct parent only" plant.
     */
    @Test
    void outerCancellationWinsOverAnExpiredInnerTimeoutTwoLevelsUp() throws Exception {
        CancelScope outer = CancelScope.create();
        CancelScope inner = CancelScope.after(HOUR);
        AtomicBoolean innerDeadlineStoppedTheSleep = new AtomicBoolean();
        AtomicBoolean reachedAfterInner = new AtomicBoolean();
        Optional<Object> result = time.run(() -> outer.run(() -> TaskGroup.run(g -> {
            inner.call(() -> {
                try {
                    Weft.sleep(Duration.ofHours(2));
                } catch (InterruptedException e) {
                    innerDeadlineStoppedTheSleep.set(time.elapsed().equals(HOUR) && inner.cancelCalled());
                    outer.cancel(); // the outer cancellation arrives after the inner deadline passed
                    throw e;
                }
                return 0;
            });
            reachedAfterInner.set(true);
            return 0;
        })));
        assertTrue(innerDeadlineStoppedTheSleep.get(), "the inner deadline had expired and stopped the sleep");
        assertEquals(Optional.empty(), result);
        assertTrue(outer.cancelledCaught(), "the outer cancellation won");
        assertFalse(inner.cancelledCaught(), "the expired inner scope swallowed the outer cancellation");
        assertFalse(reachedAfterInner.get());
    }

    @Test
    void enclosingGroupFailureWinsOverAnUnexpiredTimeout() {
        AtomicReference<Throwable> escaped = new AtomicReference<>();
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            CountDownLatch inside = new CountDownLatch(1);
            g.spawn(() -> {
                try {
                    return Timeouts.failAfter(Duration.ofDays(1), () -> {
                        inside.countDown();
                        new CountDownLatch(1).await();
                        return null;
                    });
                } catch (Throwable t) {
                    escaped.set(t);
                    throw t;
                }
            });
            inside.await();
            g.spawn(() -> {
                throw new IllegalStateException("sibling");
            });
            return null;
        }));
        assertEquals(1, e.failures().size(), "the timeout task ended cancelled, not failed: " + e.failures());
        assertInstanceOf(InterruptedException.class, escaped.get());
    }

    // 7. No stray interrupt: a deadline firing as the body returns leaves nothing behind; foreign interrupts stay.
    @Test
    void deadlineFiringAsTheBodyReturnsLeavesNoStrayInterrupt() throws Exception {
        VirtualTime manual = VirtualTime.manual();
        boolean[] flagAfter = new boolean[1];
        String r = manual.run(() -> {
            String v = Timeouts.failAfter(HOUR, () -> {
                manual.advance(HOUR); // the deadline fires now, interrupting this very thread...
                return "finished"; // ...which returns without blocking again
            });
            flagAfter[0] = Thread.currentThread().isInterrupted();
            Weft.checkpoint();
            return v;
        });
        assertEquals("finished", r, "a body that returned keeps its value");
        assertFalse(flagAfter[0]);
    }

    @Test
    void realTimeDeadlinesRacingTheBodyLeaveNoStrayInterrupt() throws Exception {
        for (int i = 0; i < 2000; i++) {
            long nanos = ThreadLocalRandom.current().nextLong(0, 20_000);
            try {
                Timeouts.failAfter(Duration.ofNanos(nanos), () -> {
                    long spin = System.nanoTime() + ThreadLocalRandom.current().nextLong(0, 20_000);
                    while (System.nanoTime() < spin) {
                        Thread.onSpinWait();
                    }
                    return null;
                });
            } catch (DeadlineExceededException expected) {
                // the zero-duration ones
            }
            assertFalse(Thread.currentThread().isInterrupted(), "stray interrupt after iteration " + i);
        }
    }

    @Test
    void anInterruptTheScopeDidNotCauseIsLeftAlone() throws Exception {
        Timeouts.failAfter(HOUR, () -> {
            Thread.currentThread().interrupt(); // not Weft's
            return null;
        });
        assertTrue(Thread.interrupted(), "the foreign interrupt is still there (and now cleared by the test)");
    }

    // 8. Level-triggered: inside a cancelled scope every Weft blocking operation fails again, flag cleared or not.
    @Test
    void insideACancelledScopeEveryWeftBlockingCallFailsAgain() throws Exception {
        List<String> failed = new ArrayList<>();
        Limiter limiter = Limiter.of(1);
        Optional<Object> r = time.run(() -> Timeouts.moveOnAfter(HOUR, () -> {
            try {
                Weft.sleep(Duration.ofHours(2));
            } catch (InterruptedException first) {
                Thread.interrupted(); // user code clears the flag
                try {
                    Weft.checkpoint();
                } catch (InterruptedException e) {
                    failed.add("checkpoint");
                }
                Thread.interrupted();
                try {
                    Weft.sleep(Duration.ofSeconds(1));
                } catch (InterruptedException e) {
                    failed.add("sleep");
                }
                Thread.interrupted();
                try {
                    limiter.acquire().close();
                } catch (InterruptedException e) {
                    failed.add("acquire");
                }
                Thread.interrupted();
                try {
                    TaskGroup.run(g -> g.spawn(() -> 1).join());
                } catch (InterruptedException e) {
                    failed.add("group");
                }
                throw first;
            }
            return null;
        }));
        assertEquals(Optional.empty(), r);
        assertEquals(List.of("checkpoint", "sleep", "acquire", "group"), failed);
        assertEquals(1, limiter.available(), "no permit was taken by the failed acquire");
    }

    // 9. A body that swallows the cancellation and returns a value returns that value.
    @Test
    void bodyThatSwallowsTheCancellationReturnsItsValue() throws Exception {
        CancelScope scope = CancelScope.after(HOUR);
        String r = time.run(() -> scope.call(() -> {
            try {
                Weft.sleep(Duration.ofHours(2));
                return "slept";
            } catch (InterruptedException e) {
                return "swallowed";
            }
        }));
        assertEquals("swallowed", r);
        assertFalse(scope.cancelledCaught(), "nothing was caught at the boundary");
        assertTrue(scope.cancelCalled());
        assertFalse(Thread.currentThread().isInterrupted());
        assertEquals(Optional.of("swallowed"), time.run(() -> Timeouts.moveOnAfter(HOUR, () -> {
            try {
                Weft.sleep(Duration.ofHours(2));
                return "slept";
            } catch (InterruptedException e) {
                return "swallowed";
            }
        })));
    }

    // 10. moveOnAfter around a TaskGroup: children cancelled and joined before it returns.
    @Test
    void moveOnAfterAroundAGroupCancelsAndJoinsItsTasksBeforeReturning() throws Exception {
        AtomicInteger ended = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        Optional<Object> r = time.run(() -> Timeouts.moveOnAfter(HOUR, () -> TaskGroup.run(g -> {
            for (int i = 0; i < 20; i++) {
                g.spawn(() -> {
                    running.incrementAndGet();
                    try {
                        Weft.sleep(Duration.ofHours(3));
                        return null;
                    } finally {
                        running.decrementAndGet();
                        ended.incrementAndGet();
                    }
                });
            }
            Weft.sleep(Duration.ofHours(2));
            return "unreachable";
        })));
        assertEquals(Optional.empty(), r);
        assertEquals(20, ended.get());
        assertEquals(0, running.get(), "nothing runs on after moveOnAfter returned");
        assertEquals(HOUR, time.elapsed());
    }

    // 11. A scope cannot be entered twice; reschedule after the end says finished or expired.
    @Test
    void aScopeCannotBeEnteredTwice() throws Exception {
        CancelScope scope = CancelScope.after(HOUR);
        IllegalStateException whileActive = assertThrows(IllegalStateException.class,
                () -> scope.run(() -> scope.run(() -> 1)));
        assertTrue(whileActive.getMessage().contains("already active"), whileActive.getMessage());
        IllegalStateException afterwards = assertThrows(IllegalStateException.class, () -> scope.run(() -> 1));
        assertTrue(afterwards.getMessage().contains("already been used"), afterwards.getMessage());
    }

    @Test
    void rescheduleAfterTheEndSaysWhetherTheScopeFinishedOrExpired() throws Exception {
        CancelScope finished = CancelScope.after(HOUR);
        finished.run(() -> 1);
        IllegalStateException f = assertThrows(IllegalStateException.class, () -> finished.reschedule(Instant.now()));
        assertTrue(f.getMessage().contains("finished"), f.getMessage());

        CancelScope expired = CancelScope.after(HOUR);
        time.run(() -> expired.run(() -> {
            Weft.sleep(Duration.ofHours(2));
            return 1;
        }));
        IllegalStateException x = assertThrows(IllegalStateException.class, () -> expired.rescheduleAfter(HOUR));
        assertTrue(x.getMessage().contains("expired"), x.getMessage());
    }

    // 12. 5,000 nested scopes with the outermost cancelled: no stack overflow, flag restored.
    @Test
    void fiveThousandNestedScopesWithTheOutermostCancelled() throws Exception {
        TestSupport.on(Carrier.VIRTUAL, () -> {
            List<CancelScope> scopes = new ArrayList<>();
            for (int i = 0; i < 5000; i++) {
                scopes.add(CancelScope.after(Duration.ofDays(1)).open());
            }
            scopes.get(0).cancel();
            assertTrue(Thread.currentThread().isInterrupted());
            assertThrows(InterruptedException.class, Weft::checkpoint);
            for (int i = scopes.size() - 1; i >= 1; i--) {
                scopes.get(i).close();
                assertTrue(Thread.currentThread().isInterrupted(), "the outer cancellation survives inner exits");
            }
            scopes.get(0).close();
            assertFalse(Thread.currentThread().isInterrupted());
            return null;
        });
    }

    // 13. Tasks inherit the scope's deadline; waits respect it.
    @Test
    void tasksSpawnedInsideAScopeInheritItsDeadline() throws Exception {
        AtomicReference<Optional<Deadline>> seen = new AtomicReference<>();
        AtomicBoolean childCancelled = new AtomicBoolean();
        Optional<Object> r = time.run(() -> Timeouts.moveOnAfter(HOUR, () -> TaskGroup.run(g -> {
            g.spawn(() -> {
                seen.set(Deadline.current());
                try {
                    Weft.sleep(Duration.ofHours(2));
                } catch (InterruptedException e) {
                    childCancelled.set(true);
                    throw e;
                }
                return null;
            });
            return "body done";
        })));
        assertEquals(Optional.empty(), r, "the deadline stopped the group");
        assertEquals(VirtualTime.DEFAULT_EPOCH.plus(HOUR), seen.get().orElseThrow().instant());
        assertTrue(childCancelled.get());
    }

    @Test
    void limiterAcquireWaitsNoLongerThanTheDeadline() throws Exception {
        Limiter full = Limiter.of(0);
        Optional<Limiter.Permit> r = time.run(() -> Timeouts.moveOnAfter(HOUR, full::acquire));
        assertEquals(Optional.empty(), r);
        assertEquals(HOUR, time.elapsed());
        assertEquals(0, full.waiting(), "the cancelled waiter left the queue");
    }

    // Deadline.current(): innermost effective deadline, up to the nearest shield.
    @Test
    void deadlineCurrentIsTheEarliestEnclosingDeadlineUpToTheNearestShield() throws Exception {
        Instant epoch = VirtualTime.DEFAULT_EPOCH;
        time.run(() -> Timeouts.failAfter(HOUR, () -> Timeouts.failAfter(Duration.ofHours(5), () -> {
            assertEquals(epoch.plus(HOUR), Deadline.current().orElseThrow().instant(), "min of the enclosing");
            CancelScope.create().shielded().call(() -> {
                assertEquals(Optional.empty(), Deadline.current(), "a shield hides outer deadlines");
                return CancelScope.after(Duration.ofHours(3)).call(() -> {
                    assertEquals(epoch.plus(Duration.ofHours(3)), Deadline.current().orElseThrow().instant());
                    return null;
                });
            });
            return null;
        })));
        assertEquals(Optional.empty(), Deadline.current());
    }

    @Test
    void timeoutExceptionNamesTheDeadlineAndTheElapsedTime() {
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class, () -> time.run(() ->
                Timeouts.failAfter(Duration.ofMinutes(90), () -> {
                    Weft.sleep(Duration.ofDays(1));
                    return null;
                })));
        assertTrue(e.getMessage().contains("2026-01-01T01:30:00Z"), e.getMessage());
        assertTrue(e.getMessage().contains("PT1H30M"), e.getMessage());
    }

    @Test
    void failAtAndMoveOnAtUseAbsoluteDeadlines() throws Exception {
        Instant at = VirtualTime.DEFAULT_EPOCH.plus(Duration.ofMinutes(10));
        assertThrows(DeadlineExceededException.class, () -> time.run(() -> Timeouts.failAt(at, () -> {
            Weft.sleep(HOUR);
            return 1;
        })));
        assertEquals(Duration.ofMinutes(10), time.elapsed());
        Instant past = VirtualTime.DEFAULT_EPOCH;
        assertEquals(Optional.empty(), time.run(() -> Timeouts.moveOnAt(past, () -> {
            Weft.checkpoint();
            return 1;
        })));
    }
}
