package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import dev.weft.channel.Channel;
import org.junit.jupiter.api.Test;

/**
 * Edges of CancelScope deadlines that the rest of the suite did not pin down, found by the surviving
 * mutants of {@code bench/mutation} (ADR 0701): deadlines set before entry, a deadline moved to
 * exactly now or removed, the timer left behind by a normal exit, the elapsed time a timeout
 * reports, durations too large to represent. All on manual virtual time: nothing waits.
 */
class ScopeDeadlineEdgesTest {

    @Test
    void aDeadlineSetBeforeEntryIsTheOneInForceInside() throws Exception {
        VirtualTime time = VirtualTime.manual();
        time.run(() -> {
            Instant at = TimeSource.current().instant().plusSeconds(3);
            CancelScope absolute = CancelScope.create();
            absolute.reschedule(at);
            assertEquals(Optional.of(at), absolute.run(s -> s.deadline().orElseThrow()));

            CancelScope relative = CancelScope.create();
            relative.rescheduleAfter(Duration.ofSeconds(5));
            Instant expected = TimeSource.current().instant().plusSeconds(5);
            assertEquals(Optional.of(expected), relative.run(s -> s.deadline().orElseThrow()));
            return null;
        });
    }

    @Test
    void movingTheDeadlineToExactlyNowCancelsAtOnce() throws Exception {
        VirtualTime time = VirtualTime.manual();
        time.advance(Duration.ofSeconds(1)); // off zero: "deadline minus now" and "plus now" must differ
        boolean[] cancelledAtOnce = new boolean[1];
        CancelScope scope = CancelScope.after(Duration.ofSeconds(10));
        time.run(() -> scope.run(s -> {
            s.rescheduleAfter(Duration.ZERO);
            cancelledAtOnce[0] = s.cancelCalled(); // before any timer could fire: time does not move
            Weft.checkpoint();
            return "not reached";
        }));
        assertTrue(cancelledAtOnce[0], "a deadline of now cancels when set, not at the next tick");
        assertTrue(scope.cancelledCaught());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aZeroTimeoutCancelsTheScopeOnEntry() throws Exception {
        VirtualTime time = VirtualTime.manual();
        time.advance(Duration.ofSeconds(1)); // off zero: "deadline minus now" and "plus now" must differ
        boolean[] cancelledOnEntry = new boolean[1];
        Optional<Object> r = time.run(() -> CancelScope.after(Duration.ZERO).run(s -> {
            cancelledOnEntry[0] = s.cancelCalled();
            Weft.checkpoint();
            return "not reached";
        }));
        assertTrue(cancelledOnEntry[0]);
        assertEquals(Optional.empty(), r);
    }

    @Test
    void removingTheDeadlineOrCancellingFirstLeavesNoTimerQueued() throws Exception {
        VirtualTime time = VirtualTime.manual();
        time.run(() -> CancelScope.after(Duration.ofSeconds(10)).run(s -> {
            assertEquals(1, time.pendingTimers());
            s.reschedule(null);
            assertEquals(0, time.pendingTimers(), "no deadline, no timer");
            assertEquals(Optional.empty(), s.deadline());
            return null;
        }));
        time.run(() -> CancelScope.create().run(s -> {
            s.cancel();
            s.rescheduleAfter(Duration.ofSeconds(5));
            assertEquals(0, time.pendingTimers(), "a cancelled scope needs no timer");
            return null;
        }));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aScopeThatEndsNormallyLeavesNoTimerBehind() throws Exception {
        VirtualTime time = VirtualTime.manual();
        assertEquals(Optional.of(1), time.run(() -> CancelScope.after(Duration.ofSeconds(10)).run(() -> 1)));
        assertEquals(0, time.pendingTimers());
        assertEquals(2, time.run(() -> Timeouts.failAfter(Duration.ofSeconds(10), () -> 2)));
        assertEquals(0, time.pendingTimers());
    }

    @Test
    void aTimeoutReportsHowLongTheBlockRanNotTheClockReading() throws Exception {
        VirtualTime time = VirtualTime.manual();
        time.advance(Duration.ofSeconds(5)); // the clock does not read zero at entry
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                () -> time.run(() -> Timeouts.failAfter(Duration.ofSeconds(1), () -> {
                    time.advance(Duration.ofSeconds(2)); // fires the deadline on this thread
                    Weft.checkpoint();
                    return null;
                })));
        assertEquals(Duration.ofSeconds(2), e.elapsed());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void theBodyOfAScopedRunAndOfMoveOnAtGiveTheirValue() throws Exception {
        assertEquals(Optional.of(5), CancelScope.create().run(s -> 5));
        VirtualTime time = VirtualTime.manual();
        assertEquals(Optional.of(7), time.run(() -> Timeouts.moveOnAt(
                TimeSource.current().instant().plusSeconds(60), () -> 7)));
        assertEquals(Optional.of(8), time.run(() -> Timeouts.moveOnAt(
                TimeSource.current().instant().plusSeconds(60), s -> 8)));
    }

    @Test
    void durationsTooLargeToRepresentSaturate() throws Exception {
        VirtualTime time = VirtualTime.manual();
        // a huge negative timeout is a deadline long past: cancelled on entry
        assertEquals(Optional.empty(), time.run(() -> Timeouts.moveOnAfter(Duration.ofSeconds(Long.MIN_VALUE), () -> {
            Weft.checkpoint();
            return 1;
        })));
        // a huge positive one is no deadline at all
        assertEquals(Optional.of(2), time.run(() -> Timeouts.moveOnAfter(Duration.ofSeconds(Long.MAX_VALUE), () -> {
            Weft.checkpoint();
            return 2;
        })));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void virtualTimeRefusesToMoveBackwards() {
        VirtualTime time = VirtualTime.manual();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> time.advance(Duration.ofNanos(-1)));
        assertTrue(e.getMessage().contains("backwards"), e.getMessage());
        time.advance(Duration.ZERO); // standing still is allowed
        assertEquals(Duration.ZERO, time.elapsed());
    }

    @Test
    void anUntimedWaitQueuesNoTimer() throws Exception {
        VirtualTime time = VirtualTime.manual();
        Channel<String> channel = Channel.rendezvous();
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread receiver = Thread.ofVirtual().start(() -> {
            try {
                time.run(channel::receive);
            } catch (Throwable t) {
                ended.set(t);
            }
        });
        TestSupport.await("the receiver is parked", () -> receiver.getState() == Thread.State.WAITING);
        assertEquals(0, time.pendingTimers(), "a wait with no deadline must not queue a timer");
        receiver.interrupt();
        receiver.join();
        assertTrue(ended.get() instanceof InterruptedException, String.valueOf(ended.get()));
    }

    @Test
    void noScopeMeansNoDeadline() {
        assertEquals(Optional.empty(), Deadline.current());
    }

    @Test
    void aScopeOpenedPastItsDeadlineReportsThatItExpired() {
        VirtualTime time = VirtualTime.manual();
        CancelScope scope = time.run(() -> {
            CancelScope s = CancelScope.after(Duration.ZERO).open();
            s.close();
            return s;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> scope.rescheduleAfter(Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void closingAnOpenedScopeTwiceIsHarmless() {
        CancelScope scope = CancelScope.create().open();
        scope.cancel();
        scope.close();
        scope.close();
        assertFalse(Thread.currentThread().isInterrupted(), "the scope's interrupt was retracted");
        assertFalse(Weft.isCancelled());
    }
}
