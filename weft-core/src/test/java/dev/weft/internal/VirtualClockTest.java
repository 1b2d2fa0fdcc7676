package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** ADR 0004's token: the paths of a virtual-time park, each forced on the thread itself. */
@org.junit.jupiter.api.Timeout(120)
class VirtualClockTest {

    /**
     * "Woken before it parked" (token state 2): a wake that arrives while the waiter is still
     * running must make its next park return at once, as a spurious wake-up, without the waiter
     * ever counting as idle (which would let auto-advancing time jump while it is in fact running).
     */
    @Test
    void wakeBeforePark_parkReturnsAtOnce_andTheWaiterNeverCountsAsIdle() throws Exception {
        VirtualTime vt = VirtualTime.autoAdvancing();
        long[] seen = vt.run(() -> TaskGroup.run(g -> {
            // a sleeper whose timer is the only thing auto-advance could jump to
            Task<Object> sleeper = g.spawn(() -> {
                Weft.sleep(Duration.ofHours(1));
                return null;
            });
            ThreadState st = ThreadState.current();
            VirtualClock clock = (VirtualClock) st.clock();
            dev.weft.TestHooks.awaitIdle(clock, 1); // only this thread runs; the sleeper is parked
            int runningBefore = clock.runningTasks();
            clock.wake(st);                          // token 0 -> 2: woken while running
            assertEquals(2, (int) ThreadState.IDLE.get(st));
            clock.park(st, this, Clock.NONE);         // must return at once: token 2 -> 0
            long afterPark = clock.nanoTime();
            int runningAfter = clock.runningTasks();
            int token = (int) ThreadState.IDLE.get(st);
            sleeper.cancel();
            return new long[] {runningBefore, runningAfter, token, afterPark};
        }));
        assertEquals(seen[0], seen[1], "the early-woken thread was counted out and back in");
        assertEquals(0, seen[2], "the token is back to running");
        assertTrue(vt.elapsed().compareTo(Duration.ofHours(1)) < 0,
                "virtual time jumped to the sleeper's timer while this thread was running: " + vt.elapsed());
    }

    /** A wake after the park began hands the waiter back to "running" before unparking it (token 1 -> 0). */
    @Test
    void wakeAfterPark_countsTheWaiterBackInBeforeItRuns() throws Exception {
        VirtualTime vt = VirtualTime.manual();
        int[] counts = vt.run(() -> TaskGroup.run(g -> {
            ThreadState[] waiterState = new ThreadState[1];
            java.util.concurrent.CountDownLatch hold = new java.util.concurrent.CountDownLatch(1);
            Task<Object> waiter = g.spawn(() -> {
                ThreadState me = ThreadState.current();
                waiterState[0] = me;
                me.clock().park(me, this, Clock.NONE);
                hold.await(); // a JDK wait: the woken waiter stays counted as running
                return null;
            });
            VirtualClock clock = (VirtualClock) ThreadState.current().clock();
            dev.weft.TestHooks.awaitIdle(clock, 1);
            int idle = clock.runningTasks();
            clock.wake(waiterState[0]);
            int afterWake = clock.runningTasks(); // counted in at the hand-off, before it runs
            hold.countDown();
            waiter.join();
            return new int[] {idle, afterWake};
        }));
        assertEquals(counts[0] + 1, counts[1]);
    }

    /**
     * A timer action that wakes several tasks: the first woken may end before the action has woken
     * the rest. Time must not advance then (the firing thread counts as running while it fires);
     * before the fix the ending task brought the count to zero and advanced time past the deadline
     * that had just fired (TimeoutsTest saw 1 h become 3 h about once in 300 runs). Forced here: the
     * action waits until the woken task's thread has terminated before it reads the clock.
     */
    @Test
    void aTaskEndingWhileATimerActionStillRuns_doesNotAdvanceTime() throws Exception {
        VirtualTime vt = VirtualTime.autoAdvancing();
        long[] seenInAction = new long[1];
        vt.run(() -> TaskGroup.run(g -> {
            VirtualClock clock = (VirtualClock) ThreadState.current().clock();
            dev.weft.channel.Event go = new dev.weft.channel.Event();
            Thread[] aThread = new Thread[1];
            Task<Object> a = g.spawn(() -> {
                aThread[0] = Thread.currentThread();
                go.await();
                return null; // ends at once when woken
            });
            g.spawn(() -> {
                Weft.sleep(Duration.ofHours(3)); // the next timer an early advance would jump to
                return null;
            });
            dev.weft.TestHooks.awaitIdle(clock, 1); // both tasks parked; only this body runs
            long start = clock.nanoTime();
            clock.schedule(start + Duration.ofHours(1).toNanos(), () -> {
                go.set();
                while (aThread[0].getState() != Thread.State.TERMINATED) {
                    Thread.onSpinWait(); // a has ended (and, before the fix, advanced time on its way out)
                }
                seenInAction[0] = clock.nanoTime() - start;
            });
            Weft.sleep(Duration.ofHours(5)); // parks the body: the count reaches zero, time advances to 1 h
            a.join();
            return null;
        }));
        assertEquals(Duration.ofHours(1).toNanos(), seenInAction[0],
                "time moved while the 1 h timer's action was still running");
    }
}
