package dev.weft.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Limiter;
import dev.weft.TaskGroup;
import dev.weft.debug.TaskStats;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The metrics counters of Channel, WorkQueue and Limiter balance under contention: every item
 * sent is received exactly once in the counts, whichever path (buffer, hand-off, select) carried it.
 */
class StatsTest {
    private static final int PRODUCERS = 4;
    private static final int ITEMS = 2_000;

    @Test
    void channelCountsBalanceAcrossPlainAndSelectPaths() throws Exception {
        for (int capacity : new int[] {0, 1, 16}) {
            Channel<Integer> ch = capacity == 0 ? Channel.rendezvous() : Channel.buffered(capacity);
            Channel<Integer> other = Channel.buffered(1); // never sent to: select has two clauses
            AtomicLong got = new AtomicLong();
            TaskGroup.run(g -> {
                for (int p = 0; p < PRODUCERS; p++) {
                    boolean viaSelect = p % 2 == 0;
                    g.launch(() -> {
                        for (int i = 0; i < ITEMS; i++) {
                            if (viaSelect) {
                                Select.select(ch.sendClause(i));
                            } else {
                                ch.send(i);
                            }
                        }
                    });
                }
                for (int c = 0; c < PRODUCERS; c++) {
                    boolean viaSelect = c % 2 == 1;
                    g.launch(() -> {
                        for (int i = 0; i < ITEMS; i++) {
                            if (viaSelect) {
                                Select.select(ch.receiveClause(), other.receiveClause());
                            } else {
                                ch.receive();
                            }
                            got.incrementAndGet();
                        }
                    });
                }
                return null;
            });
            Channel.Stats s = ch.stats();
            long total = (long) PRODUCERS * ITEMS;
            assertEquals(total, got.get());
            assertEquals(total, s.sent(), "capacity " + capacity + ": " + s);
            assertEquals(total, s.received(), "capacity " + capacity + ": " + s);
            assertEquals(0, s.size());
            assertEquals(0, s.undelivered());
            assertEquals(0, s.waitingSenders());
            assertEquals(0, s.waitingReceivers());
        }
    }

    @Test
    void workQueueCountsBalanceUnderContention() throws Exception {
        WorkQueue<Integer> q = WorkQueue.fifo(8);
        TaskGroup.run(g -> {
            for (int p = 0; p < PRODUCERS; p++) {
                g.launch(() -> {
                    for (int i = 0; i < ITEMS; i++) {
                        if (i % 3 == 0 && q.tryPut(i)) {
                            continue;
                        }
                        q.put(i);
                    }
                });
                g.launch(() -> {
                    for (int i = 0; i < ITEMS; i++) {
                        q.get();
                        q.taskDone();
                    }
                });
            }
            return null;
        });
        WorkQueue.Stats s = q.stats();
        long total = (long) PRODUCERS * ITEMS;
        assertEquals(total, s.added(), s.toString());
        assertEquals(total, s.taken(), s.toString());
        assertEquals(total, s.done(), s.toString());
        assertEquals(0, s.size());
        assertEquals(0, s.unfinished());
    }

    @Test
    void limiterCountsEveryPermitOnceUnderContention() throws Exception {
        Limiter limiter = Limiter.of(2);
        TaskGroup.run(g -> {
            for (int t = 0; t < 8; t++) {
                g.launch(() -> {
                    for (int i = 0; i < 500; i++) {
                        limiter.run(() -> null);
                    }
                });
            }
            return null;
        });
        assertEquals(8 * 500, limiter.acquired());
        assertEquals(0, limiter.inUse());
        // every acquisition either took a permit at once or waited once
        long waited = limiter.waitCount();
        assertTrue(waited <= 8 * 500, "waits " + waited);
    }

    @Test
    void taskStatsBalanceOnceNothingRuns() throws Exception {
        TaskStats before = TaskStats.now();
        TaskGroup.run(g -> {
            for (int i = 0; i < 100; i++) {
                g.spawn(() -> 1);
            }
            return null;
        });
        TaskStats after = TaskStats.now();
        assertEquals(100, after.started() - before.started());
        assertEquals(100, after.succeeded() - before.succeeded());
        assertEquals(after.started(), after.ended() + after.running());
    }
}
