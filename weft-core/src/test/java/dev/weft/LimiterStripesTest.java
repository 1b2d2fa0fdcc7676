package dev.weft;

import static dev.weft.LimiterTest.assertIdle;
import static dev.weft.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.weft.LimiterTest.Tracker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * {@link Limiter}'s striped paths (ADR 0013): free permits kept in per-thread cells, taken from
 * another thread's cell, collected when someone must wait, the capacity changes or a count is read.
 * Permits are conserved (after everything ends {@code available() == capacity} and
 * {@code inUse() == 0}), no more holders than the capacity at any instant (counted by an
 * {@code AtomicInteger}), under contention, cancellation and racing capacity changes.
 */
class LimiterStripesTest {

    /** Runs {@code body} on a fresh platform thread (its own cell) and returns its value. */
    private static <T> T onOtherThread(Callable<T> body) throws Exception {
        return TestSupport.on(TestSupport.Carrier.PLATFORM, body);
    }

    /** Makes a thread acquire {@code n} permits and release them all, so they sit free in its cell. */
    private static void parkPermitsInACell(Limiter limiter, int n) throws Exception {
        onOtherThread(() -> {
            List<Limiter.Permit> ps = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ps.add(limiter.tryAcquire().orElseThrow());
            }
            ps.forEach(Limiter.Permit::close);
            return null;
        });
    }

    /** Joins {@code threads}, failing (not hanging) if one never ends: a stranded permit would hang a waiter. */
    private static void joinAll(List<Thread> threads, String what) throws InterruptedException {
        await(what, () -> threads.stream().noneMatch(Thread::isAlive));
        for (Thread t : threads) {
            t.join();
        }
    }

    @Test
    void permitsFreeInAnotherThreadsCellAreCountedExactlyAndCanBeTaken() throws Exception {
        Limiter limiter = Limiter.of(4);
        parkPermitsInACell(limiter, 4);
        assertIdle(limiter, 4);
        assertEquals("Limiter[capacity=4, inUse=0, waiting=0]", limiter.toString());
        int taken = onOtherThread(() -> {
            List<Limiter.Permit> ps = new ArrayList<>();
            Optional<Limiter.Permit> p;
            while ((p = limiter.tryAcquire()).isPresent()) {
                ps.add(p.get());
                assertTrue(ps.size() <= 4, "more permits than the capacity: " + limiter);
            }
            assertEquals(4, limiter.inUse());
            assertEquals(0, limiter.available());
            ps.forEach(Limiter.Permit::close);
            return ps.size();
        });
        assertEquals(4, taken, "every permit free in the other thread's cell was found");
        assertIdle(limiter, 4);
        assertEquals(8, limiter.acquired());
    }

    @Test
    void loweringTheCapacityRetiresPermitsFreeInCellsAndPermitsHeldAsTheyComeBack() throws Exception {
        Limiter limiter = Limiter.of(6);
        parkPermitsInACell(limiter, 6);
        limiter.setCapacity(2); // no count read before the acquirers: reading one collects the cells
        onOtherThread(() -> {
            Limiter.Permit a = limiter.tryAcquire().orElseThrow();
            Limiter.Permit b = limiter.tryAcquire().orElseThrow();
            assertFalse(limiter.tryAcquire().isPresent(), "a permit retired by setCapacity(2) came back: " + limiter);
            a.close();
            b.close();
            return null;
        });
        assertIdle(limiter, 2);

        limiter.setCapacity(6);
        parkPermitsInACell(limiter, 6);
        List<Limiter.Permit> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(limiter.acquire()); // taken from the other thread's cell
        }
        limiter.setCapacity(2); // below the four in use: nobody is pre-empted
        assertEquals(4, limiter.inUse());
        assertEquals(0, limiter.available());
        held.removeFirst().close();
        held.removeFirst().close();
        assertEquals(2, limiter.inUse());
        assertFalse(onOtherThread(() -> limiter.tryAcquire().isPresent()), "admitted over the lowered capacity");
        held.removeFirst().close();
        Limiter.Permit again = onOtherThread(() -> limiter.tryAcquire().orElseThrow());
        assertEquals(2, limiter.inUse());
        again.close();
        held.removeFirst().close();
        assertIdle(limiter, 2);
    }

    @Test
    void aPermitReleasedOnAThreadWhoseCellHeldPermitsGoesToTheWaiterNotBackToTheCell() throws Exception {
        Limiter limiter = Limiter.of(2);
        parkPermitsInACell(limiter, 2);
        Limiter.Permit a = limiter.acquire();
        Limiter.Permit b = limiter.acquire();
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        Thread waiter = Thread.ofPlatform().start(() -> {
            try (Limiter.Permit _ = limiter.acquire()) {
                holding.countDown();
                letGo.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        await("the waiter is queued", () -> limiter.waiting() == 1);
        assertFalse(onOtherThread(() -> limiter.tryAcquire().isPresent()), "tryAcquire barged past the waiter");
        onOtherThread(() -> {
            a.close(); // on a thread whose cell the permits passed through
            return null;
        });
        await("the waiter holds the released permit", () -> holding.getCount() == 0);
        assertEquals(2, limiter.inUse());
        assertEquals(0, limiter.waiting());
        assertFalse(limiter.tryAcquire().isPresent(), "a permit was duplicated into a cell: " + limiter);
        letGo.countDown();
        waiter.join();
        b.close();
        assertIdle(limiter, 2);
    }

    /**
     * Waiting all the time at capacity one: each release races with an acquirer that has just found
     * every cell empty and is about to wait. A permit left in a cell behind a parked waiter would hang
     * the test (it fails, after a generous limit, instead).
     */
    @Test
    void releasesRacingWithAcquirersAboutToWaitNeverStrandAPermitInACell() throws Exception {
        Limiter limiter = Limiter.of(1);
        Tracker tracker = new Tracker();
        AtomicLong done = new AtomicLong();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int k = 0; k < 3000; k++) {
                        try (Limiter.Permit _ = limiter.acquire()) {
                            tracker.enter();
                            tracker.exit();
                        }
                        done.incrementAndGet();
                    }
                    assertFalse(Thread.currentThread().isInterrupted(), "stray interrupt");
                } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                }
            }));
        }
        joinAll(threads, "every acquirer has finished (a stranded permit would leave one waiting forever)");
        if (unexpected.get() != null) {
            fail("an acquirer failed", unexpected.get());
        }
        assertEquals(12_000, done.get());
        assertEquals(1, tracker.max.get());
        assertIdle(limiter, 1);
        assertEquals(12_000, limiter.acquired());
    }

    /**
     * Platform and virtual threads through every way of acquiring, a third of the permits closed by
     * another thread than the one that took them (so permits move between cells).
     */
    @Test
    void threadsHammeringTheStripedPathsNeverExceedTheCapacityAndConserveEveryPermit() throws Exception {
        int capacity = 5;
        Limiter limiter = Limiter.of(capacity);
        Tracker tracker = new Tracker();
        ConcurrentLinkedQueue<Limiter.Permit> handedOver = new ConcurrentLinkedQueue<>();
        AtomicLong kept = new AtomicLong();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 12; t++) {
            Thread.Builder b = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            threads.add(b.start(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                try {
                    for (int k = 0; k < 1500; k++) {
                        Limiter.Permit other = handedOver.poll();
                        if (other != null) {
                            tracker.exit();
                            other.close();
                        }
                        Limiter.Permit p = switch (r.nextInt(3)) {
                            case 0 -> limiter.acquire();
                            case 1 -> limiter.tryAcquire(Duration.ofMinutes(10)).orElseThrow();
                            default -> limiter.tryAcquire().orElse(null);
                        };
                        if (p == null) {
                            continue;
                        }
                        kept.incrementAndGet();
                        tracker.enter();
                        if (r.nextInt(3) == 0) {
                            handedOver.add(p); // closed later, by whichever thread polls it
                        } else {
                            tracker.exit();
                            p.close();
                        }
                    }
                    assertFalse(Thread.currentThread().isInterrupted(), "stray interrupt");
                } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                }
            }));
        }
        // a permit handed over by a thread that then ends must still be closed for the others to go on
        Thread closer = Thread.ofPlatform().start(() -> {
            while (threads.stream().anyMatch(Thread::isAlive)) {
                Limiter.Permit p = handedOver.poll();
                if (p != null) {
                    tracker.exit();
                    p.close();
                } else {
                    LockSupport.parkNanos(100_000); // polling, not synchronisation: nothing to close yet
                }
            }
        });
        joinAll(threads, "every hammering thread has finished");
        closer.join();
        for (Limiter.Permit p; (p = handedOver.poll()) != null; ) {
            tracker.exit();
            p.close();
        }
        if (unexpected.get() != null) {
            fail("a thread failed", unexpected.get());
        }
        assertTrue(tracker.max.get() <= capacity, "max holders " + tracker.max.get() + " exceeds the capacity " + capacity);
        assertEquals(0, tracker.now.get());
        assertIdle(limiter, capacity);
        assertEquals(kept.get(), limiter.acquired());
    }

    /** Virtual threads waiting and holding on a limiter of four, cancelled at random by another thread. */
    @Test
    void cancellationsWhileThreadsWaitAndHoldLoseAndDuplicateNoPermit() throws Exception {
        int capacity = 4;
        Limiter limiter = Limiter.of(capacity);
        Tracker tracker = new Tracker();
        int n = 48;
        List<CancelScope> scopes = new ArrayList<>();
        List<CompletableFuture<Integer>> ends = new ArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        for (int i = 0; i < n; i++) {
            CancelScope scope = CancelScope.create();
            CompletableFuture<Integer> end = new CompletableFuture<>();
            scopes.add(scope);
            ends.add(end);
            Thread.ofVirtual().start(() -> {
                int rounds = 0;
                try {
                    scope.run(() -> {
                        for (int k = 0; k < 200; k++) {
                            try (Limiter.Permit _ = k % 2 == 0 ? limiter.acquire()
                                    : limiter.tryAcquire(Duration.ofMinutes(10)).orElseThrow()) {
                                tracker.enter();
                                Thread.yield();
                                tracker.exit();
                            }
                        }
                        return null;
                    });
                    rounds = Thread.currentThread().isInterrupted() ? -1 : 1; // -1: a stray interrupt
                } catch (Throwable e) {
                    end.completeExceptionally(e);
                    return;
                }
                end.complete(rounds);
            });
        }
        Thread canceller = Thread.ofPlatform().start(() -> {
            ThreadLocalRandom r = ThreadLocalRandom.current();
            for (int i = 0; i < n / 2 && !stop.get(); i++) {
                scopes.get(r.nextInt(n)).cancel();
                Thread.yield();
            }
        });
        await("every task has ended", () -> ends.stream().allMatch(CompletableFuture::isDone));
        stop.set(true);
        canceller.join();
        for (CompletableFuture<Integer> e : ends) {
            assertEquals(1, e.get(), "a task ended with a stray interrupt");
        }
        assertTrue(tracker.max.get() <= capacity, "max holders " + tracker.max.get() + " exceeds the capacity " + capacity);
        assertIdle(limiter, capacity);
    }

    /**
     * The capacity changed over and over (0 to 8) while threads acquire and release: never more holders
     * than the largest capacity set; afterwards, at capacity 3, never more than 3 and every permit back.
     */
    @Test
    void setCapacityRacingWithAcquireAndReleaseConservesPermits() throws Exception {
        Limiter limiter = Limiter.of(4);
        Tracker tracker = new Tracker();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Thread.Builder b = t % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual();
            workers.add(b.start(() -> {
                ThreadLocalRandom r = ThreadLocalRandom.current();
                try {
                    while (!stop.get()) {
                        Limiter.Permit p = r.nextBoolean() ? limiter.tryAcquire().orElse(null)
                                : limiter.tryAcquire(Duration.ofMillis(1)).orElse(null);
                        if (p != null) {
                            tracker.enter();
                            Thread.yield();
                            tracker.exit();
                            p.close();
                        }
                    }
                } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                }
            }));
        }
        int[] capacities = {0, 1, 3, 8, 2, 5, 0, 7, 1, 4};
        for (int i = 0; i < 300; i++) {
            limiter.setCapacity(capacities[i % capacities.length]);
            Thread.yield();
        }
        limiter.setCapacity(3);
        stop.set(true);
        joinAll(workers, "every worker has stopped");
        if (unexpected.get() != null) {
            fail("a worker failed", unexpected.get());
        }
        assertTrue(tracker.max.get() <= 8, "max holders " + tracker.max.get() + " exceeds the largest capacity 8");
        assertIdle(limiter, 3);

        Tracker after = new Tracker();
        List<Thread> second = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            second.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int k = 0; k < 500; k++) {
                        try (Limiter.Permit _ = limiter.acquire()) {
                            after.enter();
                            after.exit();
                        }
                    }
                } catch (Throwable e) {
                    unexpected.compareAndSet(null, e);
                }
            }));
        }
        joinAll(second, "every acquirer at capacity 3 has finished");
        if (unexpected.get() != null) {
            fail("an acquirer failed", unexpected.get());
        }
        assertTrue(after.max.get() <= 3, "max holders " + after.max.get() + " at capacity 3: a permit leaked");
        assertIdle(limiter, 3);
    }
}
