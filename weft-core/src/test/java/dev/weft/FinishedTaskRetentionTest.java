package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A finished task's handle keeps its outcome, not its thread: callers keep a million handles until
 * they read them. (The lock-free task list of ADR 0010 once kept every ended task's scope, and with
 * it the thread, linked to the closed group that each handle still reaches.)
 */
class FinishedTaskRetentionTest {

    @Test
    void aHandleKeptAfterTheGroupClosedDoesNotKeepItsThreadAlive() throws Exception {
        List<WeakReference<Thread>> threads = new ArrayList<>();
        List<Task<Integer>> handles = TaskGroup.run(g -> {
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 0; i < 200; i++) { // more than one sweep interval of the group's task list
                final int v = i;
                ts.add(g.spawn(() -> {
                    synchronized (threads) {
                        threads.add(new WeakReference<>(Thread.currentThread()));
                    }
                    Thread.yield();
                    return v;
                }));
            }
            return ts;
        });
        int cleared = 0;
        for (int gc = 0; gc < 50 && cleared < threads.size(); gc++) {
            System.gc(); // a full collection clears weak references to unreachable threads
            cleared = (int) threads.stream().filter(r -> r.get() == null).count();
        }
        assertEquals(threads.size(), cleared, "threads of finished tasks still reachable from their handles");
        long sum = 0;
        for (Task<Integer> t : handles) {
            sum += t.join(); // the handles themselves still answer
        }
        assertEquals(199L * 200 / 2, sum);
    }

    @Test
    void anEndedTaskOfAGroupThatIsStillOpenDoesNotKeepItsThreadAlive() throws Exception {
        // fewer spawns than one sweep interval: the ended tasks stay in the group's list until the
        // group closes, and must not keep their threads (nor scopes, nor thread states) alive there
        List<WeakReference<Thread>> threads = new ArrayList<>();
        int cleared = TaskGroup.run(g -> {
            List<Task<Integer>> ts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                final int v = i;
                ts.add(g.spawn(() -> {
                    synchronized (threads) {
                        threads.add(new WeakReference<>(Thread.currentThread()));
                    }
                    return v;
                }));
            }
            for (Task<Integer> t : ts) {
                t.join();
            }
            Task<Void> running = g.launch(() -> Thread.sleep(Long.MAX_VALUE)); // the group stays busy
            int n = 0;
            for (int gc = 0; gc < 50 && n < 10; gc++) {
                System.gc();
                synchronized (threads) {
                    n = (int) threads.stream().filter(r -> r.get() == null).count();
                }
            }
            running.cancel();
            return n;
        });
        assertEquals(10, cleared, "threads of ended tasks kept alive by a group that is still open");
    }
}
