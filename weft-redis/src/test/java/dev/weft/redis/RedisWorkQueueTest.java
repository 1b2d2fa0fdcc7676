package dev.weft.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.channel.QueueShutdownException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(RedisServerExtension.class)
@Timeout(60)
class RedisWorkQueueTest {
    private static final AtomicLong NAMES = new AtomicLong();
    private static Redis redis;
    private static RedisServer server;

    record Job(int n, String what) {
    }

    @BeforeAll
    static void connect(RedisServer s) {
        server = s;
        redis = s.connect();
    }

    @AfterAll
    static void close() {
        redis.close();
    }

    private static String newName() {
        return "q" + NAMES.incrementAndGet();
    }

    private static RedisWorkQueue.Builder<Job> jobs(String name) {
        return RedisWorkQueue.builder(redis, name, Job.class).pollInterval(Duration.ofMillis(20));
    }

    @Test
    void putGetTaskDoneJoinRoundTripsJsonItems() throws Exception {
        try (RedisWorkQueue<Job> q = jobs(newName()).build()) {
            q.put(new Job(1, "a"));
            q.put(new Job(2, "b"));
            assertEquals(new RedisWorkQueue.Stats(2, 0, 2, 0), q.stats());
            assertEquals(new Job(1, "a"), q.get());
            assertEquals(new RedisWorkQueue.Stats(1, 1, 2, 0), q.stats());
            q.taskDone();
            assertEquals(new Job(2, "b"), q.get());
            assertEquals(1, q.pending(10).size());
            assertEquals(q.consumer(), q.pending(10).get(0).consumer());
            q.taskDone();
            q.join();
            assertEquals(new RedisWorkQueue.Stats(0, 0, 0, 0), q.stats());
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void taskDoneWithoutAnItemOnThisThreadSaysWhatToDo() throws Exception {
        try (RedisWorkQueue<Job> q = jobs(newName()).build()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, q::taskDone);
            assertTrue(e.getMessage().contains("use receive() and ack(delivery)"), e.getMessage());
        }
    }

    @Test
    void badOptionsAreRefusedWithTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> jobs("x").maxSize(-1));
        assertEquals("maxSize must be >= 0 (0 means unbounded), got -1", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> jobs("a{b}"));
        assertTrue(e.getMessage().contains("without braces"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Redis.connect("http://x:1/q"));
        assertEquals("not a Redis address: 'http://x:1/q' (expected redis://HOST:PORT/NAME)", e.getMessage());
    }

    /** Four producers and six consumers on two queue instances (two "processes"): each item exactly once. */
    @Test
    void contendedProducersAndConsumersLoseAndDuplicateNothing() throws Exception {
        String name = newName();
        int producers = 4;
        int perProducer = 150;
        Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
        try (RedisWorkQueue<Job> a = jobs(name).prefetch(4).build(); RedisWorkQueue<Job> b = jobs(name).build()) {
            TaskGroup.run(g -> {
                List<Task<Void>> consumers = new ArrayList<>();
                for (int c = 0; c < 6; c++) {
                    RedisWorkQueue<Job> q = c % 2 == 0 ? a : b;
                    consumers.add(g.launch(() -> {
                        while (true) {
                            Job j;
                            try {
                                j = q.get();
                            } catch (QueueShutdownException e) {
                                return;
                            }
                            seen.computeIfAbsent(j.n(), k -> new AtomicInteger()).incrementAndGet();
                            q.taskDone();
                        }
                    }));
                }
                List<Task<Void>> ps = new ArrayList<>();
                for (int p = 0; p < producers; p++) {
                    int base = p * perProducer;
                    ps.add(g.launch(() -> {
                        for (int i = 0; i < perProducer; i++) {
                            a.put(new Job(base + i, "x"));
                        }
                    }));
                }
                for (Task<Void> t : ps) {
                    t.join();
                }
                b.join();
                a.shutdown();
                for (Task<Void> t : consumers) {
                    t.join();
                }
                return null;
            });
            assertEquals(producers * perProducer, seen.size());
            seen.forEach((k, v) -> assertEquals(1, v.get(), "item " + k));
            assertEquals(new RedisWorkQueue.Stats(0, 0, 0, 0), a.stats());
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    /**
     * Getters cancelled while items arrive: every item is either returned by the cancelled get or
     * handed to a later get; none lost, none twice.
     */
    @Test
    void cancelledGetsLoseNoItem() throws Exception {
        String name = newName();
        int rounds = 40;
        List<Integer> got = java.util.Collections.synchronizedList(new ArrayList<>());
        try (RedisWorkQueue<Job> q = jobs(name).build()) {
            for (int i = 0; i < rounds; i++) {
                int n = i;
                CountDownLatch started = new CountDownLatch(1);
                Outcome<Job> o = TaskGroup.supervise(g -> {
                    Task<Job> getter = g.spawn(() -> {
                        started.countDown();
                        Job j = q.get();
                        got.add(j.n()); // the get returned it: counted whatever the outcome says
                        q.taskDone();
                        return j;
                    });
                    started.await();
                    if (n % 2 == 0) {
                        q.put(new Job(n, "race"));
                        getter.cancel();
                    } else {
                        getter.cancel();
                        q.put(new Job(n, "after"));
                    }
                    return getter.outcome();
                });
                if (!(o instanceof Outcome.Success<Job>)) {
                    assertInstanceOf(Outcome.Cancelled.class, o, o.toString());
                }
            }
            while (true) {
                var next = q.tryGet();
                if (next.isEmpty()) {
                    break;
                }
                got.add(next.get().n());
                q.taskDone();
            }
            // a read the server answered after its caller gave up stays pending for this consumer
            // and is delivered by tryGet above (own pending first), or it is still waiting
            Set<Integer> unique = new HashSet<>(got);
            assertEquals(got.size(), unique.size(), "duplicates: " + got);
            assertEquals(rounds, unique.size(), "got " + got.size() + " of " + rounds + ": " + q.stats());
            assertEquals(0, q.unfinished());
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    /** Putters cancelled at random points: an item is in the queue exactly when its put returned. */
    @Test
    void aCancelledPutAddsItsItemOnceOrNotAtAll() throws Exception {
        Set<Integer> returned = ConcurrentHashMap.newKeySet();
        try (RedisWorkQueue<Job> q = jobs(newName()).build()) {
            for (int round = 0; round < 10; round++) {
                int base = round * 100;
                TaskGroup.supervise(g -> {
                    List<Task<Void>> putters = new ArrayList<>();
                    for (int p = 0; p < 4; p++) {
                        int from = base + p * 25;
                        putters.add(g.launch(() -> {
                            for (int i = from; i < from + 25; i++) {
                                q.put(new Job(i, "p"));
                                returned.add(i);
                            }
                        }));
                    }
                    Thread.yield();
                    putters.forEach(Task::cancel);
                    return null;
                });
            }
            List<Integer> inQueue = new ArrayList<>();
            while (true) {
                var j = q.tryGet();
                if (j.isEmpty()) {
                    break;
                }
                inQueue.add(j.get().n());
                q.taskDone();
            }
            assertEquals(inQueue.size(), new HashSet<>(inQueue).size(), "an item added twice");
            // a put cancelled after its item landed returns normally (flag set again), so it is in `returned`
            assertEquals(returned, new HashSet<>(inQueue));
            assertEquals(0, q.unfinished());
        }
    }

    @Test
    void aCancelledGetInAScopeThatIsAlreadyCancelledFailsAtOnce() throws Exception {
        try (RedisWorkQueue<Job> q = jobs(newName()).build()) {
            q.put(new Job(1, "kept"));
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, q::get);
            assertFalse(Thread.currentThread().isInterrupted());
            assertEquals(new Job(1, "kept"), q.get());
            q.taskDone();
        }
    }

    /** Finishing is never lost to a cancellation: a cancelled handler's taskDone and ack land, and its interrupt stays set. */
    @Test
    void aCancelledHandlerStillFinishesItsItemsAndKeepsItsInterrupt() throws Exception {
        try (RedisWorkQueue<Job> q = jobs(newName()).build()) {
            q.put(new Job(1, "a"));
            q.put(new Job(2, "b"));
            Delivery<Job> d = q.receive();
            assertEquals(new Job(2, "b"), q.get());
            Thread.currentThread().interrupt();
            q.taskDone();
            assertTrue(Thread.interrupted());
            Thread.currentThread().interrupt();
            assertTrue(q.ack(d));
            assertTrue(Thread.interrupted());
            assertEquals(0, q.unfinished());
        }
    }

    /**
     * An ack interrupted while it waits for a pooled connection (every connection busy) still lands
     * once one is free, and the interrupt is kept (it was reported as "Redis unreachable", the
     * interrupt lost).
     */
    @Test
    void anAckInterruptedWhileWaitingForAConnectionStillLands() throws Exception {
        try (Redis one = Redis.connect("127.0.0.1", server.port(), 1, Duration.ofSeconds(5));
             RedisWorkQueue<Job> q = RedisWorkQueue.builder(one, newName(), Job.class).build()) {
            q.put(new Job(1, "a"));
            Delivery<Job> d = q.receive();
            CountDownLatch holding = new CountDownLatch(1);
            Thread holder = Thread.ofVirtual().start(() -> {
                try {
                    one.call("hold the only connection", j -> {
                        holding.countDown();
                        return j.blpop(1, "{nothing}");
                    });
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            holding.await();
            AtomicReference<Object> acked = new AtomicReference<>();
            AtomicBoolean interrupted = new AtomicBoolean();
            Thread acker = Thread.ofVirtual().start(() -> {
                try {
                    acked.set(q.ack(d));
                } catch (RuntimeException e) {
                    acked.set(e);
                }
                interrupted.set(Thread.currentThread().isInterrupted());
            });
            while (acker.getState() != Thread.State.TIMED_WAITING && acker.getState() != Thread.State.WAITING) {
                Thread.sleep(1); // parked in the pool's wait for a connection
            }
            acker.interrupt();
            acker.join();
            holder.join();
            assertEquals(Boolean.TRUE, acked.get());
            assertTrue(interrupted.get());
            assertEquals(0, q.unfinished());
        }
    }

    @Test
    void aDeadConsumersItemIsClaimedAfterTheVisibilityTimeout() throws Exception {
        String name = newName();
        try (RedisWorkQueue<Job> live = jobs(name).visibilityTimeout(Duration.ofMillis(300)).build()) {
            RedisWorkQueue<Job> dying = jobs(name).visibilityTimeout(Duration.ofMillis(300)).build();
            live.put(new Job(7, "orphan"));
            Delivery<Job> first = dying.receive();
            dying.close(); // stops renewing: as if the process died holding the item
            Delivery<Job> again = live.receive();
            assertEquals(first.id(), again.id());
            assertEquals(new Job(7, "orphan"), again.item());
            assertEquals(2, again.deliveries());
            assertTrue(live.ack(again));
            assertEquals(0, live.unfinished());
        }
    }

    /** A restarted consumer (same name) gets its unacknowledged item again, counted as a second delivery. */
    @Test
    void anItemReReadFromTheConsumersOwnPendingListCountsAsADelivery() throws Exception {
        String name = newName();
        String consumer = "restarting-" + name;
        try (RedisWorkQueue<Job> before = jobs(name).consumer(consumer).build()) {
            before.put(new Job(5, "in hand at the crash"));
            assertEquals(1, before.receive().deliveries());
        } // closed without an ack: as if the process died holding the item
        try (RedisWorkQueue<Job> after = jobs(name).consumer(consumer).build()) {
            Delivery<Job> again = after.receive(); // from its own pending list, at once
            assertEquals(new Job(5, "in hand at the crash"), again.item());
            assertEquals(2, again.deliveries());
            assertEquals(2, after.pending(1).get(0).deliveries(), "Redis counts it too (maxDeliveries sees it)");
            assertTrue(after.ack(again));
            assertEquals(0, after.unfinished());
        }
    }

    /**
     * A consumer that stalled past the visibility timeout and then renews must not take back the
     * item another consumer claimed meanwhile (a plain XCLAIM with min-idle 0 would).
     */
    @Test
    void aStalledConsumersRenewalLeavesAClaimedItemToItsNewOwner() throws Exception {
        String name = newName();
        try (RedisWorkQueue<Job> live = jobs(name).visibilityTimeout(Duration.ofMillis(300)).build();
             RedisWorkQueue<Job> stalled = jobs(name).visibilityTimeout(Duration.ofMillis(300)).build()) {
            live.put(new Job(3, "contested"));
            Delivery<Job> first = stalled.receive();
            stalled.close(); // its renewer stops: the stall
            Delivery<Job> again = live.receive(); // claimed once the item was idle past the visibility timeout
            assertEquals(first.id(), again.id());
            stalled.renewHeld(); // the stalled consumer wakes up and renews what it thinks it holds
            RedisWorkQueue.Pending p = live.pending(1).get(0);
            assertEquals(live.consumer(), p.consumer(), "the item stays with the consumer that claimed it");
            assertEquals(2, p.deliveries());
            assertTrue(live.ack(again));
            assertEquals(0, live.unfinished());
        }
    }

    /** A live instance renews the items it holds: their idle time keeps going back to zero (observed, not timed). */
    @Test
    void aLiveSlowHandlersItemIsRenewed() throws Exception {
        try (RedisWorkQueue<Job> slow = jobs(newName()).visibilityTimeout(Duration.ofMillis(300)).build()) {
            slow.put(new Job(1, "slow"));
            Delivery<Job> d = slow.receive();
            Duration last = slow.pending(1).get(0).idle();
            for (int renewals = 0; renewals < 3; ) {
                RedisWorkQueue.Pending p = slow.pending(1).get(0);
                assertEquals(slow.consumer(), p.consumer());
                assertEquals(1, p.deliveries());
                if (p.idle().compareTo(last) < 0) {
                    renewals++;
                }
                last = p.idle();
                dev.weft.Weft.sleep(Duration.ofMillis(10));
            }
            assertTrue(slow.ack(d));
        }
    }

    @Test
    void failedItemsAreRetriedThenDeadLetteredWithTheirLastError() throws Exception {
        try (RedisWorkQueue<Job> q = jobs(newName()).maxDeliveries(2).retryBackoff(Duration.ofMillis(1))
                .visibilityTimeout(Duration.ofMillis(200)).build()) {
            q.put(new Job(1, "poison"));
            Delivery<Job> d1 = q.receive();
            assertEquals(1, d1.deliveries());
            q.fail(d1, new IllegalStateException("boom 1"));
            Delivery<Job> d2 = q.receive();
            assertEquals(d1.id(), d2.id());
            assertEquals(2, d2.deliveries());
            q.fail(d2, new IllegalStateException("boom 2"));
            List<RedisWorkQueue.DeadLetter> dead = q.deadLetters(10);
            assertEquals(1, dead.size());
            assertEquals(d1.id(), dead.get(0).id());
            assertEquals("IllegalStateException: boom 2", dead.get(0).error());
            assertEquals(2, dead.get(0).deliveries());
            assertTrue(dead.get(0).payload().contains("poison"));
            assertEquals(new RedisWorkQueue.Stats(0, 0, 0, 1), q.stats());
            q.join();
        }
    }

    /** A failed item waits its retry back-off even if a get was cancelled meanwhile (which makes the next get read this consumer's own pending entries). */
    @Test
    void aFailedItemWaitsItsBackOffAfterACancelledGet() throws Exception {
        try (RedisWorkQueue<Job> q = jobs(newName()).retryBackoff(Duration.ofSeconds(20)).pollInterval(Duration.ofSeconds(2)).build()) {
            q.put(new Job(1, "retry later"));
            Delivery<Job> d = q.receive();
            q.fail(d, new IllegalStateException("boom"));
            Outcome<Job> o = TaskGroup.supervise(g -> {
                Task<Job> getter = g.spawn(q::get);
                Thread.sleep(200); // blocked on the server
                getter.cancel();
                return getter.outcome();
            });
            assertInstanceOf(Outcome.Cancelled.class, o, o.toString());
            assertEquals(java.util.Optional.empty(), q.tryGet());
            assertEquals(1, q.pending(10).get(0).deliveries());
        }
    }

    @Test
    void undecodableItemsGoToTheDeadLetters() throws Exception {
        String name = newName();
        try (RedisWorkQueue<String> raw = RedisWorkQueue.builder(redis, name, Codec.strings()).build();
             RedisWorkQueue<Job> q = jobs(name).build()) {
            raw.put("not json");
            raw.put("{\"n\":2,\"what\":\"ok\"}");
            assertEquals(new Job(2, "ok"), q.get());
            q.taskDone();
            assertEquals("the codec cannot decode this item", q.deadLetters(1).get(0).error());
            assertEquals(0, q.unfinished());
        }
    }

    @Test
    void shutdownIsSeenByABlockedConsumerOfAnotherInstance() throws Exception {
        String name = newName();
        try (RedisWorkQueue<Job> a = jobs(name).build(); RedisWorkQueue<Job> b = jobs(name).build()) {
            a.put(new Job(1, "left"));
            Outcome<Void> o = TaskGroup.supervise(g -> {
                CountDownLatch tookOne = new CountDownLatch(1);
                Task<Void> consumer = g.launch(() -> {
                    b.get();
                    b.taskDone();
                    tookOne.countDown();
                    b.get(); // blocks until the shutdown
                });
                tookOne.await();
                a.shutdown();
                return consumer.outcome();
            });
            Outcome.Failure<Void> f = assertInstanceOf(Outcome.Failure.class, o);
            assertInstanceOf(QueueShutdownException.class, f.error());
            assertThrows(QueueShutdownException.class, () -> a.put(new Job(2, "late")));
        }
    }

    @Test
    void shutdownDeliversWhatIsLeftImmediateShutdownDropsIt() throws Exception {
        String name = newName();
        try (RedisWorkQueue<Job> q = jobs(name).build()) {
            q.put(new Job(1, "a"));
            q.put(new Job(2, "b"));
            q.shutdown();
            assertEquals(1, q.get().n());
            q.taskDone();
            q.put(new Job(3, "c")); // refused below
        } catch (QueueShutdownException expected) {
            // put after shutdown
        }
        try (RedisWorkQueue<Job> q = jobs(name).build()) {
            assertEquals(1, q.unfinished());
            q.shutdown(true);
            assertEquals(0, q.unfinished());
            assertThrows(QueueShutdownException.class, q::get);
            q.join();
        }
    }

    @Test
    void aBoundedQueueRefusesTryPutAndBlocksPutUntilThereIsRoom() throws Exception {
        try (RedisWorkQueue<Job> q = jobs(newName()).maxSize(2).build()) {
            assertTrue(q.tryPut(new Job(1, "")));
            assertTrue(q.tryPut(new Job(2, "")));
            assertFalse(q.tryPut(new Job(3, "")));
            TaskGroup.run(g -> {
                Task<String> putter = g.spawn(() -> q.put(new Job(3, "")));
                assertEquals(1, q.get().n()); // makes room: delivered items do not count
                putter.join();
                return null;
            });
            assertEquals(new RedisWorkQueue.Stats(2, 1, 3, 0), q.stats());
        }
    }

    @Test
    void aDeadlineBoundsAGetAndLeavesNoStrayInterrupt() throws Exception {
        try (RedisWorkQueue<Job> q = jobs(newName()).build()) {
            assertTrue(dev.weft.Timeouts.moveOnAfter(Duration.ofMillis(50), () -> q.get()).isEmpty());
            assertFalse(Thread.currentThread().isInterrupted());
            q.put(new Job(1, "after"));
            assertEquals(1, q.get().n());
            q.taskDone();
        }
    }
}
