package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The one public cancellation rule ({@link Weft#isCancellation}, {@link Weft#isCallerCancellation}),
 * and the caller's interruption from outside Weft propagating as {@code InterruptedException} out of
 * every place where Weft runs user work in an internal group (never wrapped in a
 * {@link TaskGroupException}).
 */
class CancellationRuleTest {

    @Test
    void isCancellation_signalTypes_andTheirWrappers_butNotASocketTimeout() {
        assertTrue(Weft.isCancellation(new InterruptedException()));
        assertTrue(Weft.isCancellation(new CancellationException()));
        assertTrue(Weft.isCancellation(new ClosedByInterruptException()));
        assertTrue(Weft.isCancellation(new InterruptedIOException()));
        assertFalse(Weft.isCancellation(new SocketTimeoutException()), "a socket timeout is a timeout");
        assertFalse(Weft.isCancellation(new IllegalStateException()));
        assertFalse(Weft.isCancellation(null));
        assertTrue(Weft.isCancellation(new RuntimeException(new InterruptedException())), "causes are walked");
        assertTrue(Weft.isCancellation(new UncheckedIOException(new InterruptedIOException())));
        assertFalse(Weft.isCancellation(new RuntimeException(new SocketTimeoutException())));
    }

    @Test
    void isCancellation_aCauseCycleEnds() {
        RuntimeException a = new RuntimeException("a");
        RuntimeException b = new RuntimeException("b", a);
        a.initCause(b);
        assertFalse(Weft.isCancellation(a));
    }

    @Test
    void isCallerCancellation_doesNotWalkCauses_soAPerAttemptTimeoutIsAFailure() {
        DeadlineExceededException perAttempt = new DeadlineExceededException("the block", Instant.EPOCH,
                Duration.ofMillis(5), new InterruptedException());
        assertTrue(Weft.isCancellation(perAttempt), "it carries the interruption that stopped its block");
        assertFalse(Weft.isCallerCancellation(perAttempt), "but the caller is not cancelled: a failure");
        assertTrue(Weft.isCallerCancellation(new InterruptedException()));
        assertFalse(Weft.isCallerCancellation(new RuntimeException(new InterruptedException())));
    }

    @Test
    void isCallerCancellation_anyThrowable_whileTheCallersScopeIsCancelled() throws Exception {
        AtomicBoolean inside = new AtomicBoolean();
        CancelScope.create().run(scope -> {
            scope.cancel();
            inside.set(Weft.isCallerCancellation(new IllegalStateException("connection reset")));
            return null;
        });
        assertTrue(inside.get());
        assertFalse(Weft.isCallerCancellation(new IllegalStateException("connection reset")));
        assertFalse(Thread.currentThread().isInterrupted(), "no stray interrupt");
    }

    /** Runs {@code call} on a platform thread, interrupts it once {@code ready} opens, returns what it threw. */
    private static Throwable interruptedFromOutside(CountDownLatch ready, Work<?, ?> call) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flag = new AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            try {
                call.call();
            } catch (Throwable t) {
                thrown.set(t);
                flag.set(Thread.currentThread().isInterrupted());
            }
        });
        ready.await();
        caller.interrupt();
        caller.join();
        assertFalse(flag.get(), "the InterruptedException carries the interrupt: the flag is clear");
        return thrown.get();
    }

    /** Work that blocks until interrupted, counting starts and ends. */
    private record Blocking(CountDownLatch started, AtomicInteger ended) {
        Blocking(int n) {
            this(new CountDownLatch(n), new AtomicInteger());
        }

        String block() throws InterruptedException {
            started.countDown();
            try {
                new CountDownLatch(1).await();
                return "never";
            } finally {
                ended.incrementAndGet();
            }
        }
    }

    @Test
    void taskGroupRun_bodyInterruptedFromOutside_throwsInterruptedException_likeAsyncioTaskGroup() throws Exception {
        Blocking w = new Blocking(3); // two tasks and the body
        Throwable t = interruptedFromOutside(w.started(), () -> TaskGroup.run(g -> {
            g.spawn(w::block);
            g.spawn(w::block);
            return w.block();
        }));
        assertInstanceOf(InterruptedException.class, t, () -> "thrown: " + t);
        assertEquals(3, w.ended().get(), "both tasks were cancelled and joined before run threw");
    }

    @Test
    void taskGroupSupervise_bodyInterruptedFromOutside_throwsInterruptedException_likeTrioCancellation()
            throws Exception {
        Blocking w = new Blocking(2);
        Throwable t = interruptedFromOutside(w.started(), () -> TaskGroup.supervise(g -> {
            g.spawn(w::block);
            return w.block();
        }));
        assertInstanceOf(InterruptedException.class, t, () -> "thrown: " + t);
        assertEquals(2, w.ended().get());
    }

    @Test
    void map_callerInterruptedWhileWaitingForALimiterSlot_throwsInterruptedException_likeTrioCancellation()
            throws Exception {
        Blocking w = new Blocking(1);
        Throwable t = interruptedFromOutside(w.started(), () -> Weft.map(List.of(1, 2, 3), 1, i -> w.block()));
        assertInstanceOf(InterruptedException.class, t, () -> "thrown: " + t);
        assertEquals(1, w.ended().get(), "the running item was cancelled and joined");
    }

    @Test
    void mapOutcomes_callerInterruptedWhileWaitingForALimiterSlot_throwsInterruptedException() throws Exception {
        Blocking w = new Blocking(1);
        Throwable t = interruptedFromOutside(w.started(), () -> Weft.mapOutcomes(List.of(1, 2), 1, i -> w.block()));
        assertInstanceOf(InterruptedException.class, t, () -> "thrown: " + t);
        assertEquals(1, w.ended().get());
    }

    @Test
    void gather_callerInterruptedWhileWaitingForTheTasks_throwsInterruptedException_likeAsyncioGatherCancelled()
            throws Exception {
        Blocking w = new Blocking(2);
        Throwable t = interruptedFromOutside(w.started(), () -> Weft.gather(w::block, w::block));
        assertInstanceOf(InterruptedException.class, t, () -> "thrown: " + t);
        assertEquals(2, w.ended().get(), "both tasks were cancelled and joined");
    }

    @Test
    void gatherOutcomes_callerInterruptedWhileWaitingForTheTasks_throwsInterruptedException() throws Exception {
        Blocking w = new Blocking(2);
        Throwable t = interruptedFromOutside(w.started(), () -> Weft.gatherOutcomes(w::block, w::block));
        assertInstanceOf(InterruptedException.class, t, () -> "thrown: " + t);
        assertEquals(2, w.ended().get());
    }

    @Test
    void race_callerInterruptedWhileWaitingForTheTasks_throwsInterruptedException_likeTrioCancellation()
            throws Exception {
        Blocking w = new Blocking(2);
        Throwable t = interruptedFromOutside(w.started(), () -> Weft.race(w::block, w::block));
        assertInstanceOf(InterruptedException.class, t, () -> "thrown: " + t);
        assertEquals(2, w.ended().get());
    }

    @Test
    void taskGroupRun_interruptedFromOutsideAfterTheBodyReturned_cancelsJoinsAndThrowsInterruptedException()
            throws Exception {
        Blocking w = new Blocking(1);
        Throwable t = interruptedFromOutside(w.started(), () -> TaskGroup.run(g -> g.spawn(w::block)));
        assertInstanceOf(InterruptedException.class, t, () -> "thrown: " + t);
        assertEquals(1, w.ended().get());
    }

    @Test
    void offload_callerInterrupted_throwsInterruptedException_afterTheWorkEnded_likeAsyncioToThread()
            throws Exception {
        Blocking w = new Blocking(1);
        Throwable t = interruptedFromOutside(w.started(), () -> Weft.offload(w::block));
        assertInstanceOf(InterruptedException.class, t, () -> "thrown: " + t);
        assertEquals(1, w.ended().get());
    }

    @Test
    void asCompleted_callerInterrupted_throwsInterruptedException() throws Exception {
        Blocking w = new Blocking(1);
        AtomicReference<Throwable> inner = new AtomicReference<>();
        try (TaskGroup g = TaskGroup.open()) {
            Task<String> task = g.spawn(w::block);
            Throwable t = interruptedFromOutside(w.started(), () -> Weft.asCompleted(List.of(task)).next());
            inner.set(t);
            task.cancel();
        }
        assertInstanceOf(InterruptedException.class, inner.get(), () -> "thrown: " + inner.get());
    }
}
