package dev.weft.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.CancelScope;
import dev.weft.Timeouts;
import dev.weft.Weft;
import dev.weft.Work;
import dev.weft.channel.Broadcast;
import dev.weft.channel.Channel;
import dev.weft.channel.Select;
import dev.weft.channel.WorkQueue;
import dev.weft.internal.ThreadState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 22: the interleaving that left a stray interrupt after a completed hand-off, forced
 * deterministically. A waiter is matched (its item handed over) and wakes; between Weft's check of
 * the scope chain and its check of the interrupt flag, its own scope is cancelled (the hook runs the
 * cancellation on the waiter's thread at exactly that point). Before the fix the flag check took
 * Weft's interrupt for a foreign one, the "matched after all" path put it back with a raw
 * {@code Thread.interrupt()} that ThreadState did not record, and the scope could not retract it:
 * the thread left the scope interrupted, with nothing cancelled. Each primitive whose wait ends in
 * a hand-off is checked: the operation returns its item, and after the scope the flag is clean.
 *
 * <p>This also covers issue 19's planted bug "a receiver cancelled after being handed an item throws
 * anyway and drops it": planting it ({@code Handoff.await} rethrowing even when the node was
 * matched) fails the rendezvous, buffered, work-queue, broadcast and rendezvous-send cases here on
 * every run (the item comes back empty), where before only a randomized storm caught it by chance.
 */
class InterruptHygieneTest {
    @AfterEach
    void removeHook() {
        ThreadState.testHookAfterChainCheck(null);
    }

    /** What the waiter saw: the value it got and whether its flag was set after its scope ended. */
    private record Seen(Optional<String> value, boolean interruptedAfter, boolean cancelledAfter, Throwable error) {
    }

    /**
     * Runs {@code op} in a cancel scope on a virtual thread; once the thread is parked, installs the
     * hook (cancel the scope from the waiter's own thread at the forced point) and runs
     * {@code match} to hand the waiter its counterpart.
     */
    private static Seen forced(Work<String, Exception> op, Runnable match, BooleanSupplier parked) throws Exception {
        CancelScope scope = CancelScope.create();
        AtomicReference<Seen> seen = new AtomicReference<>();
        AtomicBoolean fired = new AtomicBoolean();
        Thread waiter = Thread.ofVirtual().unstarted(() -> {
            try {
                Optional<String> v = scope.run(op);
                seen.set(new Seen(v, Thread.currentThread().isInterrupted(), Weft.isCancelled(), null));
            } catch (Throwable t) {
                seen.set(new Seen(Optional.empty(), Thread.currentThread().isInterrupted(), false, t));
            }
        });
        waiter.start();
        long limit = System.nanoTime() + 60_000_000_000L;
        while (!(waiter.getState() == Thread.State.WAITING && parked.getAsBoolean())) {
            if (System.nanoTime() - limit > 0) {
                fail("the waiter never parked");
            }
            LockSupport.parkNanos(100_000);
        }
        ThreadState.testHookAfterChainCheck(() -> {
            if (Thread.currentThread() == waiter && fired.compareAndSet(false, true)) {
                scope.cancel(); // lands after the chain check, before the flag check
            }
        });
        match.run();
        waiter.join();
        assertTrue(fired.get(), "the forced interleaving did not happen");
        return seen.get();
    }

    private static void handedOverCleanly(Seen s) {
        assertEquals(null, s.error(), "the operation failed");
        assertEquals(Optional.of("item"), s.value(), "the item was handed over, so the operation returns it");
        assertFalse(s.interruptedAfter(), "stray interrupt after the scope ended");
        assertFalse(s.cancelledAfter());
    }

    @Test
    void rendezvousReceive_matchedAsItsScopeIsCancelled_returnsTheItem_noStrayInterrupt() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        handedOverCleanly(forced(() -> ch.receive(), () -> assertTrue(ch.trySend("item")), () -> true));
    }

    @Test
    void bufferedReceive_matchedAsItsScopeIsCancelled_returnsTheItem_noStrayInterrupt() throws Exception {
        Channel<String> ch = Channel.buffered(4);
        handedOverCleanly(forced(() -> ch.receive(), () -> assertTrue(ch.trySend("item")), () -> true));
    }

    @Test
    void workQueueGet_matchedAsItsScopeIsCancelled_returnsTheItem_noStrayInterrupt() throws Exception {
        WorkQueue<String> q = WorkQueue.fifo(4);
        handedOverCleanly(forced(() -> q.get(), () -> assertTrue(q.tryPut("item")), () -> true));
    }

    @Test
    void selectReceive_matchedAsItsScopeIsCancelled_returnsTheItem_noStrayInterrupt() throws Exception {
        Channel<String> a = Channel.rendezvous();
        Channel<String> b = Channel.rendezvous();
        handedOverCleanly(forced(() -> Select.<String>select(a.receiveClause(), b.receiveClause()),
                () -> assertTrue(b.trySend("item")), () -> true));
    }

    @Test
    void broadcastReceive_matchedAsItsScopeIsCancelled_returnsTheItem_noStrayInterrupt() throws Exception {
        Broadcast<String> bc = Broadcast.create(4, Channel.Overflow.BLOCK);
        Broadcast.Subscription<String> sub = bc.subscribe();
        handedOverCleanly(forced(() -> sub.receive(), () -> {
            try {
                bc.publish("item");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }, () -> true));
    }

    @Test
    void rendezvousSend_matchedAsItsScopeIsCancelled_itemDeliveredOnce_noStrayInterrupt() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        AtomicReference<Optional<String>> got = new AtomicReference<>();
        Seen s = forced(() -> {
            ch.send("item");
            return "item";
        }, () -> got.set(ch.tryReceive()), () -> true);
        handedOverCleanly(s);
        assertEquals(Optional.of("item"), got.get(), "the receiver got the item the sender handed over");
    }

    @Test
    void timeoutFiringAsTheBodyReturns_leavesNoStrayInterrupt_onVirtualTime() throws Exception {
        // a failAfter whose deadline passes between the body's last Weft call and the scope's exit:
        // the timer's interrupt must be retracted by the scope, never left behind
        dev.weft.VirtualTime vt = dev.weft.VirtualTime.manual();
        Boolean clean = vt.run(() -> {
            Optional<String> v = Timeouts.moveOnAfter(Duration.ofMillis(10), () -> {
                vt.advance(Duration.ofMillis(10)); // the deadline passes; its timer fires now
                return "done";
            });
            return v.isPresent() && !Thread.currentThread().isInterrupted();
        });
        assertTrue(clean, "moveOnAfter returned the body's value with a clean flag");
    }
}
