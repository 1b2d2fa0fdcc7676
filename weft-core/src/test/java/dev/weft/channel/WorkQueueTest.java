package dev.weft.channel;

import static dev.weft.channel.ChannelTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.TaskFailedException;
import dev.weft.Timeouts;
import dev.weft.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** asyncio.Queue's behaviour (CPython test_queues, incl. 3.13 shutdown), for Weft's WorkQueue. */
class WorkQueueTest {

    @Test
    void fifoLifoAndPriorityOrders() throws Exception {
        WorkQueue<Integer> fifo = WorkQueue.fifo(0);
        WorkQueue<Integer> lifo = WorkQueue.lifo(0);
        WorkQueue<Integer> prio = WorkQueue.priority(0);
        for (int v : new int[] {3, 1, 2}) {
            fifo.put(v);
            lifo.put(v);
            prio.put(v);
        }
        assertEquals(List.of(3, 1, 2), List.of(fifo.get(), fifo.get(), fifo.get()));
        assertEquals(List.of(2, 1, 3), List.of(lifo.get(), lifo.get(), lifo.get()));
        assertEquals(List.of(1, 2, 3), List.of(prio.get(), prio.get(), prio.get()));
    }

    @Test
    void boundedQueueBlocksPuttersAndServesThemFifo() throws Exception {
        WorkQueue<Integer> q = WorkQueue.fifo(1);
        q.put(0);
        assertFalse(q.tryPut(99), "full: put_nowait fails");
        TaskGroup.run(g -> {
            for (int i = 1; i <= 3; i++) {
                int v = i;
                g.spawn(() -> {
                    q.put(v);
                    return null;
                });
                await("putter " + v + " waits", () -> q.waitingPutters() == v);
            }
            List<Integer> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                got.add(q.get());
            }
            assertEquals(List.of(0, 1, 2, 3), got);
            return null;
        });
    }

    @Test
    void itemPutWhileAGetterWaitsBelongsToIt() throws Exception {
        WorkQueue<String> q = WorkQueue.fifo(0);
        TaskGroup.run(g -> {
            Task<String> getter = g.spawn(q::get);
            await("getter waits", () -> q.waitingGetters() == 1);
            q.put("x");
            assertEquals(Optional.empty(), q.tryGet(), "no barging");
            assertEquals("x", getter.join());
            return null;
        });
    }

    @Test
    void taskDoneWithNothingOutstandingThrows() {
        WorkQueue<String> q = WorkQueue.fifo(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
        assertTrue(e.getMessage().contains("more times"), e.getMessage());
    }

    @Test
    void joinOnAnEmptyQueueReturnsAtOnce() throws Exception {
        WorkQueue<String> q = WorkQueue.fifo(0);
        VirtualTime time = VirtualTime.autoAdvancing();
        // on virtual time a join that blocked would let the hour pass and come back empty
        assertEquals(Optional.of("joined"), time.run(() -> Timeouts.moveOnAfter(Duration.ofHours(1), () -> {
            q.join();
            return "joined";
        })));
        assertEquals(Duration.ZERO, time.elapsed(), "join returned at once");
        assertEquals(0, q.waitingJoiners());
    }

    @Test
    void joinReturnsOnceEveryItemPutIsDone() throws Exception {
        WorkQueue<Integer> q = WorkQueue.fifo(10);
        AtomicInteger sum = new AtomicInteger();
        TaskGroup.run(g -> {
            for (int w = 0; w < 3; w++) {
                g.spawn(() -> {
                    while (true) {
                        int v;
                        try {
                            v = q.get();
                        } catch (QueueShutdownException end) {
                            return null;
                        }
                        sum.addAndGet(v);
                        q.taskDone();
                    }
                });
            }
            for (int i = 0; i < 100; i++) {
                q.put(i);
            }
            q.join();
            assertEquals(4950, sum.get(), "join returned only after every item was processed");
            assertEquals(0, q.unfinished());
            q.shutdown();
            return null;
        });
    }

    @Test
    void shutdownMakesPutsFailGetsDrainThenFailAndJoinWaitsForHandedOutItems() throws Exception {
        WorkQueue<String> q = WorkQueue.fifo(2);
        q.put("a");
        q.put("b");
        TaskGroup.supervise(g -> {
            Task<Object> blockedPutter = g.spawn(() -> {
                q.put("c");
                return null;
            });
            await("putter waits", () -> q.waitingPutters() == 1);
            q.shutdown();
            assertInstanceOf(QueueShutdownException.class,
                    assertThrows(TaskFailedException.class, blockedPutter::join).getCause());
            return null;
        });
        assertThrows(QueueShutdownException.class, () -> q.put("d"));
        assertThrows(QueueShutdownException.class, () -> q.tryPut("d"));
        assertEquals("a", q.get());
        assertEquals("b", q.get());
        assertThrows(QueueShutdownException.class, q::get);
        assertEquals(2, q.unfinished(), "handed-out items are still outstanding");
        TaskGroup.run(g -> {
            Task<Object> joiner = g.spawn(() -> {
                q.join();
                return "joined";
            });
            await("the joiner waits", () -> q.waitingJoiners() == 1);
            q.taskDone();
            assertFalse(joiner.isDone(), "one item is still outstanding");
            assertEquals(1, q.waitingJoiners());
            q.taskDone();
            assertEquals("joined", joiner.join());
            return null;
        });
    }

    @Test
    void immediateShutdownDrainsLowersTheCountAndWakesEveryone() throws Exception {
        WorkQueue<String> items = WorkQueue.fifo(0);
        items.put("x");
        items.put("y");
        TaskGroup.run(g -> {
            Task<Object> joiner = g.spawn(() -> {
                items.join();
                return "joined";
            });
            await("the joiner waits", () -> items.waitingJoiners() == 1);
            items.shutdown(true);
            assertEquals(0, items.size());
            assertEquals(0, items.unfinished());
            assertEquals("joined", joiner.join());
            return null;
        });
        WorkQueue<String> empty = WorkQueue.fifo(0);
        TaskGroup.supervise(g -> {
            Task<String> getter = g.spawn(empty::get);
            await("getter waits", () -> empty.waitingGetters() == 1);
            empty.shutdown(true);
            assertInstanceOf(QueueShutdownException.class, assertThrows(TaskFailedException.class, getter::join).getCause());
            return null;
        });
    }

    @Test
    void cancelledGettersAndPuttersLoseAndDuplicateNothing() throws Exception {
        WorkQueue<Integer> q = WorkQueue.fifo(4);
        int n = 2000;
        List<Integer> got = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger putOk = new AtomicInteger();
        TaskGroup.run(g -> {
            List<Task<Object>> putters = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int base = p * n;
                putters.add(g.spawn(() -> {
                    for (int i = 0; i < n; i++) {
                        q.put(base + i);
                        putOk.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (int r = 0; r < 40; r++) {
                Task<Object> t = g.spawn(() -> {
                    while (true) {
                        got.add(q.get());
                    }
                });
                for (int k = ThreadLocalRandom.current().nextInt(200); k > 0; k--) {
                    Thread.onSpinWait();
                }
                t.cancel();
                assertInstanceOf(Outcome.Cancelled.class, t.outcome());
            }
            for (Task<Object> p : putters) {
                while (!p.isDone() || q.size() > 0) {
                    Optional<Integer> v = q.tryGet();
                    v.ifPresent(got::add);
                    if (v.isEmpty()) {
                        Thread.yield();
                    }
                }
            }
            return null;
        });
        List<Integer> sorted = new ArrayList<>(got);
        Collections.sort(sorted);
        assertEquals(IntStream.range(0, 4 * n).boxed().toList(), sorted);
        assertEquals(4 * n, putOk.get(), "every put returned");

        // cancelled putters: three block on the full queue and are cancelled there; their items
        // are not enqueued (their put threw), the queued ones are intact
        for (int i = 0; i < 4; i++) {
            assertTrue(q.tryPut(-1 - i));
        }
        AtomicInteger cancelledPutOk = new AtomicInteger();
        TaskGroup.supervise(g -> {
            List<Task<Object>> blocked = new ArrayList<>();
            for (int p = 0; p < 3; p++) {
                int item = 10_000 + p;
                blocked.add(g.spawn(() -> {
                    q.put(item);
                    cancelledPutOk.incrementAndGet();
                    return null;
                }));
            }
            await("three putters wait on the full queue", () -> q.waitingPutters() == 3);
            for (Task<Object> t : blocked) {
                t.cancel();
                assertInstanceOf(Outcome.Cancelled.class, t.outcome());
            }
            return null;
        });
        assertEquals(0, cancelledPutOk.get(), "a cancelled putter's put did not return");
        assertEquals(0, q.waitingPutters());
        List<Integer> left = new ArrayList<>();
        for (Optional<Integer> v = q.tryGet(); v.isPresent(); v = q.tryGet()) {
            left.add(v.get());
        }
        assertEquals(List.of(-1, -2, -3, -4), left, "nothing of the cancelled puts was enqueued, nothing queued was lost");
    }

    @Test
    void getWaitsNoLongerThanTheDeadline() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        WorkQueue<String> q = WorkQueue.fifo(0);
        assertEquals(Optional.empty(), time.run(() -> Timeouts.moveOnAfter(Duration.ofSeconds(9), q::get)));
        assertEquals(0, q.waitingGetters());
        assertEquals(Duration.ofSeconds(9), time.elapsed());
    }

    @Test
    void badInputIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> WorkQueue.fifo(-1));
        assertThrows(NullPointerException.class, () -> WorkQueue.fifo(0).put(null));
    }
}
