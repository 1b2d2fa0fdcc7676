package dev.weft;

import static dev.weft.TestSupport.await;
import static dev.weft.TestSupport.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.TestSupport.Carrier;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link Limiter}: FIFO hand-off with no barging, run-time capacity, counts, cancellation that never
 * loses nor duplicates a permit, level-triggered checks, deadlines and virtual time. The cases where
 * the caller could be a platform thread run on both kinds of thread.
 */
class LimiterTest {

    // ---------------------------------------------------------------- helpers

    /** Counts holders of a permit right now and the most ever seen at once (also used by {@link LimiterStripesTest}). */
    static final class Tracker {
        final AtomicInteger now = new AtomicInteger();
        final AtomicInteger max = new AtomicInteger();

        void enter() {
            max.accumulateAndGet(now.incrementAndGet(), Math::max);
        }

        void exit() {
            now.decrementAndGet();
        }
    }

    /**
     * A thread (of the given kind) that waits for a permit inside its own cancel scope, holds it until
     * {@link #letGo} opens, and records how it ended: "released" or "cancelled" (or the exception).
     */
    private static final class Waiter {
        final String name;
        final CancelScope scope = CancelScope.create();
        final CountDownLatch holding = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);
        final CompletableFuture<String> ended = new CompletableFuture<>();
        final Thread thread;

        Waiter(Carrier carrier, Limiter limiter, String name, Queue<String> order, Tracker tracker) {
            this.name = name;
            this.thread = TestSupport.start(carrier, () -> {
                try {
                    Optional<String> r = scope.run(() -> {
                        try (Limiter.Permit p = limiter.acquire()) {
                            tracker.enter();
                            try {
                                order.add(name);
                                holding.countDown();
                                letGo.await();
                            } finally {
                                tracker.exit();
                            }
                        }
                        return "released";
                    });
                    ended.complete(r.orElse("cancelled"));
                } catch (Throwable t) {
                    ended.completeExceptionally(t);
                }
            });
        }

        /** Waits for the thread to end (failing, not hanging, if it never does) and returns how it ended. */
        String result() throws InterruptedException, ExecutionException {
            await(name + " has ended", ended::isDone);
            return ended.get();
        }

        /** Waits until the waiter holds a permit (failing, not hanging, if it never does). */
        void awaitHolding() {
            await(name + " holds a permit", () -> holding.getCount() == 0);
        }

        /** Lets the waiter release its permit as soon as it gets one. */
        Waiter releasingAtOnce() {
            letGo.countDown();
            return this;
        }
    }

    /** Starts a waiter on a full limiter and waits until it is queued (so queue order is start order). */
    private static Waiter enqueue(Carrier carrier, Limiter limiter, String name, Queue<String> order, Tracker tracker) {
        int before = limiter.waiting();
        Waiter w = new Waiter(carrier, limiter, name, order, tracker);
        await(name + " is queued for a permit", () -> limiter.waiting() == before + 1);
        return w;
    }

    /** The value of a future that some thread completes (failing, not hanging, if it never does). */
    private static <T> T valueOf(CompletableFuture<T> future, String what) throws InterruptedException, ExecutionException {
        await(what, future::isDone);
        return future.get();
    }

    /** Asserts no permit is held, nobody waits and every permit of {@code capacity} is available. */
    static void assertIdle(Limiter limiter, int capacity) {
        assertEquals(0, limiter.inUse(), "permits in use: " + limiter);
        assertEquals(0, limiter.waiting(), "waiters: " + limiter);
        assertEquals(capacity, limiter.available(), "permits available: " + limiter);
        assertEquals(capacity, limiter.capacity(), "capacity: " + limiter);
    }

    // ---------------------------------------------------------------- FIFO, no barging

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void releasesGoToTheLongestWaiterFirst(Carrier carrier) throws Exception {
        Limiter limiter = Limiter.of(1);
        Queue<String> order = new ConcurrentLinkedQueue<>();
        Tracker tracker = new Tracker();
        Limiter.Permit mine = limiter.acquire();
        Waiter a = enqueue(carrier, limiter, "a", order, tracker);
        Waiter b = enqueue(carrier, limiter, "b", order, tracker);
        Waiter c = enqueue(carrier, limiter, "c", order, tracker);

        mine.close();
        a.awaitHolding();
        assertEquals(List.of("a"), List.copyOf(order));
        assertEquals(2, limiter.waiting());

        a.letGo.countDown();
        b.awaitHolding();
        assertEquals(List.of("a", "b"), List.copyOf(order));
        assertEquals(1, limiter.waiting());

        b.letGo.countDown();
        c.awaitHolding();
        c.letGo.countDown();
        assertEquals("released", a.result());
        assertEquals("released", b.result());
        assertEquals("released", c.result());
        assertEquals(List.of("a", "b", "c"), List.copyOf(order));
        assertEquals(1, tracker.max.get());
        assertIdle(limiter, 1);
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void aPermitReleasedWhileAThreadWaitsGoesToThatThreadAndTryAcquireCannotBarge(Carrier carrier) throws Exception {
        for (int i = 0; i < 50; i++) {
            Limiter limiter = Limiter.of(1);
            Limiter.Permit mine = limiter.acquire();
            Waiter w = enqueue(carrier, limiter, "w", new ConcurrentLinkedQueue<>(), new Tracker());

            mine.close(); // handed to w, even though w may not have run yet
            assertTrue(limiter.tryAcquire().isEmpty(), "tryAcquire() barged ahead of a waiter (round " + i + ")");
            assertTrue(limiter.tryAcquire(Duration.ZERO).isEmpty(), "tryAcquire(0) barged ahead of a waiter");
            assertEquals(1, limiter.inUse());

            w.awaitHolding();
            w.letGo.countDown();
            assertEquals("released", w.result());
            assertIdle(limiter, 1);
        }
    }

    @Test
    void tryAcquireFailsWhileAnyoneWaitsEvenOnceCapacityIsBeingFreedForThem() throws Exception {
        Limiter limiter = Limiter.of(2);
        Limiter.Permit p1 = limiter.acquire();
        Limiter.Permit p2 = limiter.acquire();
        Tracker tracker = new Tracker();
        Queue<String> order = new ConcurrentLinkedQueue<>();
        Waiter a = enqueue(Carrier.VIRTUAL, limiter, "a", order, tracker);
        Waiter b = enqueue(Carrier.VIRTUAL, limiter, "b", order, tracker);

        p1.close(); // goes to a; b still waits
        a.awaitHolding();
        assertEquals(1, limiter.waiting());
        assertTrue(limiter.tryAcquire().isEmpty(), "tryAcquire() succeeded while b waits");
        p2.close(); // goes to b
        assertTrue(limiter.tryAcquire().isEmpty(), "tryAcquire() took a permit that was handed to b");

        a.releasingAtOnce();
        b.releasingAtOnce();
        assertEquals("released", a.result());
        assertEquals("released", b.result());
        assertEquals(List.of("a", "b"), List.copyOf(order));
        assertIdle(limiter, 2);
        assertTrue(limiter.tryAcquire().isPresent(), "tryAcquire() fails on an idle limiter");
    }

    // ---------------------------------------------------------------- capacity and counts

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void raisingTheCapacityAdmitsWaitersAtOnceInFifoOrder(Carrier carrier) throws Exception {
        Limiter limiter = Limiter.of(1);
        Queue<String> order = new ConcurrentLinkedQueue<>();
        Tracker tracker = new Tracker();
        Limiter.Permit mine = limiter.acquire();
        Waiter a = enqueue(carrier, limiter, "a", order, tracker);
        Waiter b = enqueue(carrier, limiter, "b", order, tracker);
        Waiter c = enqueue(carrier, limiter, "c", order, tracker);

        limiter.setCapacity(3);
        a.awaitHolding();
        b.awaitHolding();
        assertEquals(3, limiter.inUse());
        assertEquals(1, limiter.waiting(), "c should still wait: " + limiter);
        assertEquals(List.of("a", "b"), order.stream().sorted().toList());
        assertEquals(1, c.holding.getCount(), "c was admitted beyond the new capacity");

        limiter.setCapacity(4);
        c.awaitHolding();
        assertEquals(4, limiter.inUse());

        for (Waiter w : List.of(a, b, c)) {
            w.letGo.countDown();
            assertEquals("released", w.result());
        }
        mine.close();
        assertEquals(3, tracker.max.get());
        assertIdle(limiter, 4);
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void loweringTheCapacityTakesEffectAsPermitsAreReleasedAndPreemptsNobody(Carrier carrier) throws Exception {
        Limiter limiter = Limiter.of(3);
        Limiter.Permit p1 = limiter.acquire();
        Limiter.Permit p2 = limiter.acquire();
        Limiter.Permit p3 = limiter.acquire();

        limiter.setCapacity(1);
        assertEquals(1, limiter.capacity());
        assertEquals(3, limiter.inUse(), "lowering the capacity must not take permits back");
        assertEquals(0, limiter.available(), "available is 0 while over capacity");
        assertFalse(p1.isReleased() || p2.isReleased() || p3.isReleased());
        assertTrue(limiter.tryAcquire().isEmpty());

        Waiter w = enqueue(carrier, limiter, "w", new ConcurrentLinkedQueue<>(), new Tracker());
        p1.close();
        assertEquals(2, limiter.inUse());
        assertEquals(1, limiter.waiting(), "w admitted while 2 permits are held and the capacity is 1");
        p2.close();
        assertEquals(1, limiter.inUse());
        assertEquals(1, limiter.waiting(), "w admitted while 1 permit is held and the capacity is 1");
        p3.close();
        w.awaitHolding();
        assertEquals(1, limiter.inUse());
        assertEquals(0, limiter.waiting());
        w.letGo.countDown();
        assertEquals("released", w.result());
        assertIdle(limiter, 1);
    }

    @Test
    void countsReportPermitsInUseWaitersAndAvailablePermits() throws Exception {
        Limiter limiter = Limiter.of(2);
        assertIdle(limiter, 2);
        Limiter.Permit p1 = limiter.acquire();
        assertEquals(1, limiter.inUse());
        assertEquals(1, limiter.available());
        Limiter.Permit p2 = limiter.tryAcquire().orElseThrow();
        assertEquals(2, limiter.inUse());
        assertEquals(0, limiter.available());
        assertEquals(0, limiter.waiting());

        Waiter w = enqueue(Carrier.VIRTUAL, limiter, "w", new ConcurrentLinkedQueue<>(), new Tracker());
        assertEquals(1, limiter.waiting());
        assertEquals("Limiter[capacity=2, inUse=2, waiting=1]", limiter.toString());

        p1.close(); // handed over: still 2 in use, nobody waits
        assertEquals(2, limiter.inUse());
        assertEquals(0, limiter.waiting());
        assertEquals(0, limiter.available());
        w.letGo.countDown();
        assertEquals("released", w.result());
        assertEquals(1, limiter.inUse());
        assertEquals(1, limiter.available());
        p2.close();
        assertIdle(limiter, 2);
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void aLimiterOfCapacityZeroPausesEveryAcquirerUntilTheCapacityIsRaised(Carrier carrier) throws Exception {
        Limiter limiter = Limiter.of(0);
        assertTrue(limiter.tryAcquire().isEmpty());
        assertEquals(0, limiter.available());
        Waiter w = enqueue(carrier, limiter, "w", new ConcurrentLinkedQueue<>(), new Tracker()).releasingAtOnce();
        limiter.setCapacity(1);
        assertEquals("released", w.result());
        assertIdle(limiter, 1);
    }

    @Test
    void aNegativeCapacityIsRejectedWithAnExactMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Limiter.of(-1));
        assertEquals("limiter capacity must be >= 0 (0 pauses all acquirers), got -1", e.getMessage());

        Limiter limiter = Limiter.of(2);
        e = assertThrows(IllegalArgumentException.class, () -> limiter.setCapacity(-5));
        assertEquals("limiter capacity must be >= 0 (0 pauses all acquirers), got -5", e.getMessage());
        assertEquals(2, limiter.capacity(), "a rejected setCapacity changed the capacity");
    }

    // ---------------------------------------------------------------- permits and run

    @Test
    void closingAPermitTwiceReleasesItOnce() throws Exception {
        Limiter limiter = Limiter.of(2);
        Limiter.Permit p = limiter.acquire();
        assertFalse(p.isReleased());
        p.close();
        assertTrue(p.isReleased());
        p.close();
        assertTrue(p.isReleased());
        assertIdle(limiter, 2);
    }

    @Test
    void closingAPermitTwiceHandsOnlyOnePermitToTheWaiters() throws Exception {
        Limiter limiter = Limiter.of(1);
        Queue<String> order = new ConcurrentLinkedQueue<>();
        Tracker tracker = new Tracker();
        Limiter.Permit mine = limiter.acquire();
        Waiter a = enqueue(Carrier.VIRTUAL, limiter, "a", order, tracker);
        Waiter b = enqueue(Carrier.VIRTUAL, limiter, "b", order, tracker);

        mine.close();
        mine.close();
        a.awaitHolding();
        assertEquals(1, limiter.inUse());
        assertEquals(1, limiter.waiting(), "a second close() admitted b too");
        assertEquals(List.of("a"), List.copyOf(order));

        a.letGo.countDown();
        b.letGo.countDown();
        assertEquals("released", a.result());
        assertEquals("released", b.result());
        assertEquals(1, tracker.max.get());
        assertIdle(limiter, 1);
    }

    @Test
    void aPermitClosedByTwoThreadsAtOnceIsReleasedOnce() throws Exception {
        for (int i = 0; i < 200; i++) {
            Limiter limiter = Limiter.of(2);
            Limiter.Permit kept = limiter.acquire();
            Limiter.Permit shared = limiter.acquire();
            CountDownLatch go = new CountDownLatch(1);
            Runnable closer = () -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                shared.close();
            };
            Thread t1 = Thread.ofVirtual().start(closer);
            Thread t2 = Thread.ofVirtual().start(closer);
            go.countDown();
            t1.join();
            t2.join();
            assertEquals(1, limiter.inUse(), "round " + i + ": " + limiter);
            assertEquals(1, limiter.available());
            kept.close();
            assertIdle(limiter, 2);
        }
    }

    @Test
    void runHoldsAPermitWhileTheWorkRunsAndReleasesItEvenWhenTheWorkThrows() throws Exception {
        Limiter limiter = Limiter.of(1);
        assertEquals(1, (int) limiter.run(limiter::inUse));
        IOException boom = new IOException("boom");
        IOException thrown = assertThrows(IOException.class, () -> limiter.run(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
        assertIdle(limiter, 1);
    }

    // ---------------------------------------------------------------- cancellation

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void aWaiterCancelledWhileBlockedLeavesTheQueueAndLosesNoPermit(Carrier carrier) throws Exception {
        Limiter limiter = Limiter.of(1);
        Queue<String> order = new ConcurrentLinkedQueue<>();
        Tracker tracker = new Tracker();
        Limiter.Permit mine = limiter.acquire();
        Waiter a = enqueue(carrier, limiter, "a", order, tracker);
        Waiter b = enqueue(carrier, limiter, "b", order, tracker);

        a.scope.cancel();
        assertEquals("cancelled", a.result());
        assertTrue(a.scope.cancelledCaught());
        assertEquals(1, limiter.waiting(), "a cancelled waiter stayed in the queue");
        assertEquals(1, limiter.inUse());

        mine.close();
        b.awaitHolding();
        assertEquals(List.of("b"), List.copyOf(order));
        b.letGo.countDown();
        assertEquals("released", b.result());
        assertIdle(limiter, 1);
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void aWaiterInterruptedFromOutsideWeftThrowsAndLeavesTheQueue(Carrier carrier) throws Exception {
        Limiter limiter = Limiter.of(1);
        Limiter.Permit mine = limiter.acquire();
        Waiter a = enqueue(carrier, limiter, "a", new ConcurrentLinkedQueue<>(), new Tracker());

        a.thread.interrupt();
        ExecutionException e = assertThrows(ExecutionException.class, a::result);
        assertInstanceOf(InterruptedException.class, e.getCause(), "a foreign interrupt is not Weft's to convert");
        assertEquals(0, limiter.waiting());
        mine.close();
        assertIdle(limiter, 1);
    }

    /**
     * The permit is handed to a waiter in the same instant as the waiter is cancelled: either the
     * waiter keeps it and releases it, or it passes it on to the next waiter. Driven many times, with
     * the calls made in either order and concurrently; nothing may be lost or duplicated. Which
     * order the waiter observes is up to the race here; {@link
     * #aWaiterCancelledBeforeOrAfterTheGrantPassesThePermitOn} forces each.
     */
    @ParameterizedTest
    @EnumSource(Carrier.class)
    void aPermitGrantedAsTheWaiterIsCancelledIsNeitherLostNorDuplicated(Carrier carrier) throws Exception {
        int[] endings = new int[2];
        for (int i = 0; i < 300; i++) {
            Limiter limiter = Limiter.of(1);
            Queue<String> order = new ConcurrentLinkedQueue<>();
            Tracker tracker = new Tracker();
            Limiter.Permit mine = limiter.acquire();
            Waiter a = enqueue(carrier, limiter, "a", order, tracker).releasingAtOnce();
            Waiter b = enqueue(carrier, limiter, "b", order, tracker).releasingAtOnce();

            switch (i % 3) {
                case 0 -> {
                    a.scope.cancel();
                    mine.close();
                }
                case 1 -> {
                    mine.close();
                    a.scope.cancel();
                }
                default -> {
                    CountDownLatch go = new CountDownLatch(1);
                    Thread closer = Thread.ofVirtual().start(() -> {
                        go.countDown();
                        mine.close();
                    });
                    go.await();
                    a.scope.cancel();
                    closer.join();
                }
            }

            String aEnded = a.result();
            assertEquals("released", b.result(), "round " + i + ": b never got the permit");
            List<String> held = List.copyOf(order);
            if (aEnded.equals("released")) {
                endings[0]++;
                assertEquals(List.of("a", "b"), held, "round " + i);
            } else {
                endings[1]++;
                assertEquals("cancelled", aEnded);
                // a was cancelled while waiting, or got the permit and was cancelled while holding it
                assertTrue(held.equals(List.of("b")) || held.equals(List.of("a", "b")), "round " + i + ": " + held);
            }
            assertEquals(1, tracker.max.get(), "round " + i + ": two holders at once");
            assertIdle(limiter, 1);
        }
        assertEquals(300, endings[0] + endings[1]);
    }

    /**
     * The two orders of the race above, each forced: (1) the cancellation lands first, the waiter
     * leaves the queue, and the release passes the permit to the next waiter; (2) the grant lands
     * first, the waiter holds the permit when it is cancelled, and its release passes the permit on.
     * Either way exactly one holder at a time, nothing lost.
     */
    @ParameterizedTest
    @EnumSource(Carrier.class)
    void aWaiterCancelledBeforeOrAfterTheGrantPassesThePermitOn(Carrier carrier) throws Exception {
        for (boolean cancelFirst : new boolean[] {true, false}) {
            Limiter limiter = Limiter.of(1);
            Queue<String> order = new ConcurrentLinkedQueue<>();
            Tracker tracker = new Tracker();
            Limiter.Permit mine = limiter.acquire();
            Waiter a = enqueue(carrier, limiter, "a", order, tracker);
            Waiter b = enqueue(carrier, limiter, "b", order, tracker).releasingAtOnce();
            if (cancelFirst) {
                a.scope.cancel();
                await("a has left the queue", () -> limiter.waiting() == 1);
                mine.close();
                assertEquals("cancelled", a.result());
                assertEquals("released", b.result());
                assertEquals(List.of("b"), List.copyOf(order), "a never held the permit");
            } else {
                mine.close();
                a.awaitHolding();
                a.scope.cancel(); // a holds the permit and waits for letGo: the cancellation ends that wait
                assertEquals("cancelled", a.result());
                assertEquals("released", b.result());
                assertEquals(List.of("a", "b"), List.copyOf(order), "a held it, then passed it on");
            }
            assertEquals(1, tracker.max.get(), "two holders at once");
            assertIdle(limiter, 1);
        }
    }

    // per-task states of the hammer below
    private static final int NOT_STARTED = 0;
    private static final int WAITING = 1;
    private static final int HOLDING = 2;
    private static final int RELEASED = 3;
    private static final int REFUSED = 4;

    /**
     * A thousand tasks on a limiter of three, a third of them cancelled. The test holds all three
     * permits while the first 300 tasks are spawned, so the cancellations made then hit tasks that
     * are waiting for a permit (not tasks not yet started); the rest land anywhere. Each task's
     * outcome is checked against where it was: a success released its permit (or was refused by
     * {@code tryAcquire}), a cancelled task never ends holding one, and cancellations did hit waiters.
     */
    @Test
    void aThousandTasksHammeringALimiterOfThreeWithRandomCancellationsLeaveAllThreePermitsAvailable()
            throws Exception {
        Limiter limiter = Limiter.of(3);
        Tracker tracker = new Tracker();
        Random random = new Random(20260101);
        int n = 1000;
        AtomicIntegerArray state = new AtomicIntegerArray(n);
        List<Limiter.Permit> blockers = new ArrayList<>(List.of(limiter.acquire(), limiter.acquire(), limiter.acquire()));
        AtomicInteger cancelledWhileSeenWaiting = new AtomicInteger();
        List<Task<Integer>> tasks = TaskGroup.supervise(g -> {
            List<Task<Integer>> list = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                int kind = i % 4;
                list.add(g.spawn(() -> hammerOnce(limiter, tracker, kind, state, id)));
                if (random.nextInt(3) == 0) {
                    int victim = random.nextInt(list.size());
                    if (!blockers.isEmpty()) {
                        await("task " + victim + " has started", () -> state.get(victim) != NOT_STARTED
                                || list.get(victim).isDone());
                        if (victim % 4 != 3 && state.get(victim) == WAITING && !list.get(victim).isDone()) {
                            cancelledWhileSeenWaiting.incrementAndGet(); // no permit is free: it cannot move on
                        }
                    }
                    list.get(victim).cancel();
                }
                if (i == 300) {
                    blockers.forEach(Limiter.Permit::close);
                    blockers.clear();
                } else if (i == 400) {
                    limiter.setCapacity(1); // over capacity for a while: releases retire permits
                } else if (i == 600) {
                    limiter.setCapacity(3);
                }
            }
            for (int i = 0; i < n / 10; i++) {
                list.get(random.nextInt(n)).cancel();
            }
            return list;
        });

        int cancelledWaiting = 0;
        int held = 0;
        for (int i = 0; i < n; i++) {
            Outcome<Integer> o = tasks.get(i).outcomeNow().orElseThrow();
            int st = state.get(i);
            if (st == RELEASED) {
                held++;
            }
            switch (o) {
                case Outcome.Success<Integer>(Integer got) -> assertEquals(got == 1 ? RELEASED : REFUSED, st,
                        "task " + i + " succeeded with " + got + " in state " + st);
                case Outcome.Cancelled<Integer> c -> {
                    assertTrue(st != HOLDING, "task " + i + " was cancelled and left holding its permit");
                    if (st == WAITING) {
                        cancelledWaiting++;
                    }
                }
                case Outcome.Failure<Integer> f -> fail("task " + i + " failed", f.error());
            }
        }
        assertTrue(cancelledWhileSeenWaiting.get() > 0, "no cancellation was made while its task waited");
        assertTrue(cancelledWaiting >= cancelledWhileSeenWaiting.get(),
                cancelledWaiting + " tasks cancelled while waiting, fewer than the " + cancelledWhileSeenWaiting
                        + " cancelled while no permit was free (tryAcquire() tasks, which never wait, not counted)");
        assertTrue(tracker.max.get() <= 3, "max concurrency " + tracker.max.get() + " exceeds the capacity 3");
        assertEquals(0, tracker.now.get());
        assertIdle(limiter, 3);
        // acquired() counts each permit kept once: the three blockers and every task that held one (a
        // permit passed on by a waiter cancelled as it was granted is counted for whoever keeps it)
        assertEquals(3 + held, limiter.acquired(), "permits counted by acquired()");
    }

    /** One task of the hammer: each kind goes through a different way of acquiring. */
    private static int hammerOnce(Limiter limiter, Tracker tracker, int kind) throws InterruptedException {
        return hammerOnce(limiter, tracker, kind, null, 0);
    }

    /** {@link #hammerOnce(Limiter, Tracker, int)}, recording the task's progress in {@code state[id]} if given. */
    private static int hammerOnce(Limiter limiter, Tracker tracker, int kind, AtomicIntegerArray state, int id)
            throws InterruptedException {
        if (state != null) {
            state.set(id, WAITING);
        }
        Limiter.Permit p = switch (kind) {
            case 0, 1 -> limiter.acquire();
            case 2 -> limiter.tryAcquire(Duration.ofMinutes(10)).orElseThrow();
            default -> limiter.tryAcquire().orElse(null);
        };
        if (p == null) {
            if (state != null) {
                state.set(id, REFUSED);
            }
            return 0;
        }
        try (p) {
            if (state != null) {
                state.set(id, HOLDING);
            }
            tracker.enter();
            try {
                Thread.yield();
                Weft.checkpoint();
            } finally {
                tracker.exit();
            }
        } finally {
            if (state != null) {
                state.set(id, RELEASED);
            }
        }
        return 1;
    }

    @Test
    void platformThreadsHammeringALimiterOfThreeWithRandomInterruptsLeaveAllThreePermitsAvailable()
            throws Exception {
        Limiter limiter = Limiter.of(3);
        Tracker tracker = new Tracker();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int k = 0; k < 40; k++) {
                    try {
                        hammerOnce(limiter, tracker, k % 4);
                    } catch (InterruptedException expected) {
                        // a random interrupt: the next round goes on
                    } catch (Throwable t) {
                        unexpected.compareAndSet(null, t);
                    }
                }
            }));
        }
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            threads.get(random.nextInt(threads.size())).interrupt();
            Thread.yield();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (unexpected.get() != null) {
            fail("a thread failed", unexpected.get());
        }
        assertTrue(tracker.max.get() <= 3, "max concurrency " + tracker.max.get() + " exceeds the capacity 3");
        assertIdle(limiter, 3);
    }

    // ---------------------------------------------------------------- level-triggered cancellation

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void acquireInsideACancelledScopeFailsAtOnceEvenAfterTheInterruptFlagWasCleared(Carrier carrier) throws Exception {
        on(carrier, () -> {
            Limiter limiter = Limiter.of(1); // a permit is free: only the cancellation can make acquire fail
            CancelScope scope = CancelScope.create();
            scope.run(() -> {
                scope.cancel();
                assertTrue(Thread.interrupted(), "cancel() should have interrupted the body");
                for (int i = 0; i < 2; i++) {
                    assertThrows(InterruptedException.class, limiter::acquire, "acquire #" + (i + 1));
                    assertTrue(Thread.interrupted(), "a failed checkpoint leaves the flag set for JDK calls");
                }
                assertThrows(InterruptedException.class, () -> limiter.tryAcquire(Duration.ofSeconds(1)));
                Thread.interrupted();
                assertThrows(InterruptedException.class, () -> limiter.run(() -> "never"));
                Thread.interrupted();
                assertEquals(0, limiter.inUse(), "a cancelled acquire took a permit");
                return null;
            });
            assertFalse(Thread.currentThread().isInterrupted(), "the scope left a stray interrupt behind");
            try (Limiter.Permit p = limiter.acquire()) {
                assertEquals(1, limiter.inUse());
            }
            assertIdle(limiter, 1);
            return null;
        });
    }

    // ---------------------------------------------------------------- deadlines and virtual time

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void acquireOnAFullLimiterWaitsNoLongerThanTheScopesDeadline(Carrier carrier) throws Exception {
        on(carrier, () -> {
            VirtualTime time = VirtualTime.autoAdvancing();
            Limiter limiter = Limiter.of(1);
            try (Limiter.Permit held = limiter.acquire()) {
                Optional<Limiter.Permit> got = time.run(() -> Timeouts.moveOnAfter(Duration.ofSeconds(5), () -> {
                    assertEquals(Duration.ofSeconds(5), Deadline.current().orElseThrow().remaining());
                    return limiter.acquire();
                }));
                assertTrue(got.isEmpty(), "acquire returned a permit from a full limiter");
                assertEquals(Duration.ofSeconds(5), time.elapsed());
                assertEquals(0, limiter.waiting(), "the timed-out waiter stayed in the queue");
                assertEquals(1, limiter.inUse());
                assertFalse(Thread.currentThread().isInterrupted(), "the expired deadline left a stray interrupt");
            }
            assertIdle(limiter, 1);
            return null;
        });
    }

    @Test
    void acquireUnderFailAfterThrowsDeadlineExceededNamingTheDeadline() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        Limiter limiter = Limiter.of(0);
        DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                () -> time.run(() -> Timeouts.failAfter(Duration.ofMillis(250), () -> limiter.acquire())));
        assertEquals(VirtualTime.DEFAULT_EPOCH.plusMillis(250), e.deadline());
        assertInstanceOf(InterruptedException.class, e.getCause());
        assertEquals(Duration.ofMillis(250), time.elapsed());
        assertIdle(limiter, 0);
    }

    @Test
    void acquireInATaskSpawnedInsideAScopeWaitsNoLongerThanTheInheritedDeadline() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        Limiter limiter = Limiter.of(0);
        AtomicReference<Duration> remainingInTask = new AtomicReference<>();
        AtomicReference<Task<Limiter.Permit>> task = new AtomicReference<>();
        Optional<Limiter.Permit> r = time.run(() -> Timeouts.moveOnAfter(Duration.ofSeconds(30), () -> TaskGroup.run(g -> {
            task.set(g.spawn(() -> {
                remainingInTask.set(Deadline.current().map(Deadline::remaining).orElse(null));
                return limiter.acquire();
            }));
            return task.get().join();
        })));
        assertTrue(r.isEmpty());
        assertEquals(Duration.ofSeconds(30), remainingInTask.get(), "the task did not inherit the deadline");
        assertEquals(Task.State.CANCELLED, task.get().state());
        assertEquals(Duration.ofSeconds(30), time.elapsed());
        assertIdle(limiter, 0);
    }

    @Test
    void tryAcquireWithATimeoutGivesUpWhenTheTimeoutPassesInVirtualTime() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        Limiter limiter = Limiter.of(1);
        try (Limiter.Permit held = limiter.acquire()) {
            Optional<Limiter.Permit> got = time.run(() -> limiter.tryAcquire(Duration.ofSeconds(3)));
            assertTrue(got.isEmpty());
            assertEquals(Duration.ofSeconds(3), time.elapsed());
            assertEquals(0, limiter.waiting());
        }
        assertIdle(limiter, 1);
    }

    @Test
    void tryAcquireWithATimeoutWaitsNoLongerThanAShorterDeadline() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        Limiter limiter = Limiter.of(0);
        Optional<Optional<Limiter.Permit>> got = time.run(() -> Timeouts.moveOnAfter(Duration.ofSeconds(2),
                () -> limiter.tryAcquire(Duration.ofSeconds(10))));
        assertTrue(got.isEmpty(), "the scope's deadline should have cut the wait short");
        assertEquals(Duration.ofSeconds(2), time.elapsed());
        assertIdle(limiter, 0);
    }

    @Test
    void tryAcquireWithAZeroOrNegativeTimeoutNeverWaits() throws Exception {
        Limiter limiter = Limiter.of(1);
        Limiter.Permit p = limiter.tryAcquire(Duration.ZERO).orElseThrow();
        assertTrue(limiter.tryAcquire(Duration.ZERO).isEmpty());
        assertTrue(limiter.tryAcquire(Duration.ofSeconds(-1)).isEmpty());
        assertEquals(0, limiter.waiting());
        p.close();
        assertIdle(limiter, 1);
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void tryAcquireWithATimeoutGetsAPermitReleasedBeforeTheTimeoutInManualVirtualTime(Carrier carrier)
            throws Exception {
        VirtualTime time = VirtualTime.manual();
        Limiter limiter = Limiter.of(1);
        Limiter.Permit held = limiter.acquire();
        CompletableFuture<Optional<Limiter.Permit>> result = new CompletableFuture<>();
        TestSupport.start(carrier, () -> {
            try {
                result.complete(time.run(() -> limiter.tryAcquire(Duration.ofSeconds(10))));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        await("the waiter has armed its 10 s timer", () -> time.pendingTimers() == 1);
        time.advance(Duration.ofSeconds(4));
        assertEquals(1, limiter.waiting(), "the waiter gave up before its timeout");
        assertFalse(result.isDone());

        held.close();
        Limiter.Permit got = valueOf(result, "the waiter returned").orElseThrow(() -> new AssertionError("no permit after a release in time"));
        assertEquals(1, limiter.inUse());
        got.close();
        assertEquals(Duration.ofSeconds(4), time.elapsed());
        assertIdle(limiter, 1);
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void tryAcquireWithATimeoutReturnsEmptyAndLeavesTheQueueWhenManualTimeReachesTheTimeout(Carrier carrier)
            throws Exception {
        VirtualTime time = VirtualTime.manual();
        Limiter limiter = Limiter.of(1);
        Limiter.Permit held = limiter.acquire();
        CompletableFuture<Optional<Limiter.Permit>> result = new CompletableFuture<>();
        TestSupport.start(carrier, () -> {
            try {
                result.complete(time.run(() -> limiter.tryAcquire(Duration.ofSeconds(10))));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        await("the waiter has armed its 10 s timer", () -> time.pendingTimers() == 1);
        time.advance(Duration.ofSeconds(10));
        assertTrue(valueOf(result, "the waiter returned").isEmpty());
        assertEquals(0, limiter.waiting());
        held.close();
        assertIdle(limiter, 1);
    }

    /** The timeout passes in the same instant as a permit is handed over: the permit is kept or passed on, never lost. */
    @Test
    void aPermitGrantedAsTheTimedWaitRunsOutIsNeitherLostNorDuplicated() throws Exception {
        for (int i = 0; i < 200; i++) {
            VirtualTime time = VirtualTime.manual();
            Limiter limiter = Limiter.of(1);
            Limiter.Permit held = limiter.acquire();
            CompletableFuture<Optional<Limiter.Permit>> result = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> {
                try {
                    result.complete(time.run(() -> limiter.tryAcquire(Duration.ofSeconds(1))));
                } catch (Throwable t) {
                    result.completeExceptionally(t);
                }
            });
            await("the waiter has armed its timer", () -> time.pendingTimers() == 1);
            if (i % 2 == 0) {
                held.close();
                time.advance(Duration.ofSeconds(1));
            } else {
                Thread closer = Thread.ofVirtual().start(held::close);
                time.advance(Duration.ofSeconds(1));
                closer.join();
            }
            Optional<Limiter.Permit> got = valueOf(result, "the waiter returned");
            assertEquals(got.isPresent() ? 1 : 0, limiter.inUse(), "round " + i + ": " + limiter);
            assertEquals(0, limiter.waiting());
            got.ifPresent(Limiter.Permit::close);
            assertIdle(limiter, 1);
        }
    }

    @Test
    void closingOnePermitDoesNotReleaseAnother() throws Exception {
        Limiter limiter = Limiter.of(2);
        Limiter.Permit p1 = limiter.acquire();
        Limiter.Permit p2 = limiter.acquire();
        p1.close();
        assertFalse(p2.isReleased(), "closing one permit released another");
        p2.close();
        assertIdle(limiter, 2);
    }
}
