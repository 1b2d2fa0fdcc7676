package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Issue 11: a joiner that gives up (cancelled or timed out) leaves no node on the task it joined. */
class JoinWaitersTest {

    @Test
    void hundredThousandCancelledJoiners_leaveNoNodesOnALongLivedTask() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TaskGroup.run(outer -> {
            Task<String> longLived = outer.spawn(() -> {
                release.await();
                return "finally";
            });
            AtomicInteger cancelled = new AtomicInteger();
            for (int round = 0; round < 100; round++) {
                List<CancelScope> scopes = new ArrayList<>();
                TaskGroup.run(g -> {
                    for (int i = 0; i < 1000; i++) {
                        CancelScope cs = CancelScope.create();
                        scopes.add(cs);
                        g.spawn(() -> {
                            Optional<String> v = cs.run(longLived::join);
                            if (v.isEmpty() && cs.cancelledCaught()) {
                                cancelled.incrementAndGet();
                            }
                            return null;
                        });
                    }
                    TestSupport.await("1000 joiners waiting", () -> longLived.joinWaiters() == 1000);
                    scopes.forEach(CancelScope::cancel);
                    return null;
                });
                assertEquals(0, longLived.joinWaiters(), "nodes left by cancelled joiners after round " + round);
            }
            assertEquals(100_000, cancelled.get());
            // a joiner still waiting is woken as before
            Task<String> last = outer.spawn(longLived::join);
            TestSupport.await("the last joiner waiting", () -> longLived.joinWaiters() == 1);
            release.countDown();
            assertEquals("finally", last.join());
            return null;
        });
    }

    @Test
    void timedOutJoiners_leaveNoNodes_onVirtualTime() throws Exception {
        VirtualTime vt = VirtualTime.autoAdvancing();
        CountDownLatch release = new CountDownLatch(1);
        int left = vt.run(() -> TaskGroup.run(g -> {
            Task<String> t = g.spawn(() -> {
                Weft.sleep(Duration.ofDays(1));
                return "x";
            });
            for (int i = 0; i < 1000; i++) {
                assertTrue(Timeouts.moveOnAfter(Duration.ofSeconds(1), t::join).isEmpty());
            }
            int n = t.joinWaiters();
            t.cancel();
            release.countDown();
            return n;
        }));
        assertEquals(0, left);
    }
}
