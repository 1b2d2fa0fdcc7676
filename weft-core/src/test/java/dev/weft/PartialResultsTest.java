package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Issue 18: partial results under an overall deadline (asyncio.wait(timeout=...)): done and pending, nothing lost. */
class PartialResultsTest {

    private static List<Integer> range(int n) {
        return IntStream.range(0, n).boxed().toList();
    }

    @Test
    void mapOutcomesUnderADeadlineKeepsEveryFinishedResultAndCancelsTheRest() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        List<Outcome<Integer>> all = time.run(() -> Weft.mapOutcomes(range(20), 4, Duration.ofSeconds(5), i -> {
            if (i % 5 == 2) {
                Weft.sleep(Duration.ofHours(1)); // hangs: holds its permit until the deadline
            } else if (i % 5 == 4) {
                throw new IOException("item " + i + " failed");
            }
            Weft.sleep(Duration.ofMillis(100));
            return i;
        }));
        assertEquals(20, all.size());
        for (int i = 0; i < 20; i++) {
            Outcome<Integer> o = all.get(i);
            if (i % 5 == 2 || i >= 18) { // the four hangers, and the two items that never got a permit
                assertInstanceOf(Outcome.Cancelled.class, o, "item " + i);
            } else if (i % 5 == 4) {
                assertEquals("item " + i + " failed", ((Outcome.Failure<Integer>) o).error().getMessage());
            } else {
                assertEquals(new Outcome.Success<>(i), o, "item " + i);
            }
        }
        assertEquals(Duration.ofSeconds(5), time.elapsed(), "it returned at the deadline, not after the hangers");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void mapOutcomesUnderADeadlineThatDoesNotFireIsMapOutcomes() throws Exception {
        List<Outcome<Integer>> all = Weft.mapOutcomes(range(50), 8, Duration.ofHours(1), i -> i * 2);
        for (int i = 0; i < 50; i++) {
            assertEquals(new Outcome.Success<>(i * 2), all.get(i));
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void theMoveOnAfterPitfallLosesEverythingTheBoundedFormKeepsIt() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        ThrowingWork body = () -> Weft.mapOutcomes(range(200), 10, i -> {
            Weft.sleep(i == 199 ? Duration.ofHours(1) : Duration.ofMillis(10));
            return i;
        });
        assertTrue(time.run(() -> Timeouts.moveOnAfter(Duration.ofSeconds(5), body::call)).isEmpty(),
                "the documented pitfall: the whole call is cancelled, 199 results are lost");
        List<Outcome<Integer>> kept = VirtualTime.autoAdvancing().run(() -> Weft.mapOutcomes(range(200), 10,
                Duration.ofSeconds(5), i -> {
                    Weft.sleep(i == 199 ? Duration.ofHours(1) : Duration.ofMillis(10));
                    return i;
                }));
        assertEquals(199, kept.stream().filter(Outcome::isSuccess).count());
        assertInstanceOf(Outcome.Cancelled.class, kept.get(199));
    }

    interface ThrowingWork {
        List<Outcome<Integer>> call() throws InterruptedException;
    }

    @Test
    void gatherOutcomesUnderADeadline() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        List<Callable<String>> calls = List.of(
                () -> "fast",
                () -> {
                    Weft.sleep(Duration.ofMinutes(1));
                    return "slow";
                },
                () -> {
                    throw new IllegalStateException("broken");
                },
                () -> {
                    try {
                        Weft.sleep(Duration.ofMinutes(1));
                        return "unreachable";
                    } catch (InterruptedException e) {
                        return "caught the cancellation"; // what it did is what its outcome says
                    }
                });
        List<Outcome<String>> all = time.run(() -> Weft.gatherOutcomes(Duration.ofSeconds(1), calls));
        assertEquals(new Outcome.Success<>("fast"), all.get(0));
        assertInstanceOf(Outcome.Cancelled.class, all.get(1));
        assertInstanceOf(IllegalStateException.class, ((Outcome.Failure<String>) all.get(2)).error());
        assertEquals(new Outcome.Success<>("caught the cancellation"), all.get(3));
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void underContentionEverySuccessIsReportedOnceAndNothingIsLost() throws Exception {
        for (int round = 0; round < 5; round++) {
            AtomicInteger completed = new AtomicInteger();
            AtomicInteger started = new AtomicInteger();
            AtomicInteger ended = new AtomicInteger();
            int n = 2_000;
            // a real-time deadline that lands somewhere in the middle (or not at all on a slow machine):
            // the assertions hold wherever it lands
            List<Outcome<Integer>> all = Weft.mapOutcomes(range(n), 32, Duration.ofMillis(20), i -> {
                started.incrementAndGet();
                try {
                    if (ThreadLocalRandom.current().nextInt(4) == 0) {
                        Weft.sleep(Duration.ofMillis(ThreadLocalRandom.current().nextInt(3)));
                    }
                    completed.incrementAndGet();
                    return i;
                } finally {
                    ended.incrementAndGet();
                }
            });
            assertEquals(n, all.size());
            assertEquals(started.get(), ended.get(), "every started item ended before mapOutcomes returned");
            long successes = 0;
            for (int i = 0; i < n; i++) {
                Outcome<Integer> o = all.get(i);
                if (o instanceof Outcome.Success<Integer> s) {
                    assertEquals(i, s.value());
                    successes++;
                } else {
                    assertInstanceOf(Outcome.Cancelled.class, o, "item " + i);
                }
            }
            assertEquals(completed.get(), successes, "every completed item is a Success, and only those");
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }

    @Test
    void anOuterCancellationStillCancelsTheCaller() throws Exception {
        CountDownLatch running = new CountDownLatch(3);
        AtomicInteger ended = new AtomicInteger();
        CancelScope outer = CancelScope.create();
        Thread.ofVirtual().start(() -> {
            try {
                running.await();
            } catch (InterruptedException e) {
                return;
            }
            outer.cancel();
        });
        assertThrows(java.util.concurrent.CancellationException.class, () -> outer.call(() ->
                Weft.mapOutcomes(range(10), 3, Duration.ofHours(1), i -> {
                    try {
                        running.countDown();
                        Weft.sleep(Duration.ofHours(1));
                        return i;
                    } finally {
                        ended.incrementAndGet();
                    }
                })));
        assertEquals(3, ended.get(), "the running items were cancelled and joined; no more were started");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void asCompletedPendingListsWhatDidNotFinishByTheDeadline() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        time.run(() -> TaskGroup.run(g -> {
            List<Task<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int d = i;
                tasks.add(g.spawn(() -> {
                    Weft.sleep(Duration.ofSeconds(d % 2 == 0 ? d : 100));
                    return d;
                }));
            }
            AsCompleted<Integer> it = Weft.asCompleted(tasks, Duration.ofSeconds(10));
            List<Integer> done = new ArrayList<>();
            assertThrows(DeadlineExceededException.class, () -> {
                while (it.hasNext()) {
                    done.add(it.next().join());
                }
            });
            assertEquals(List.of(0, 2, 4), done);
            List<Task<Integer>> pending = it.pending();
            assertEquals(List.of(tasks.get(1), tasks.get(3), tasks.get(5)), pending);
            pending.forEach(Task::cancel);
            return null;
        }));
    }
}
