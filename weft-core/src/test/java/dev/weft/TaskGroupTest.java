package dev.weft;

import static dev.weft.TestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.TestSupport.Carrier;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TaskGroupTest {

    /** Blocks until cancelled; records that it observed the interruption. */
    private static Integer blockUntilCancelled(CountDownLatch started, AtomicInteger interrupted) throws InterruptedException {
        started.countDown();
        try {
            new CountDownLatch(1).await();
            return -1;
        } catch (InterruptedException e) {
            interrupted.incrementAndGet();
            throw e;
        }
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void childFailureCancelsSiblingsAndBodyThenThrowsEveryFailure(Carrier carrier) throws Exception {
        AtomicInteger interrupted = new AtomicInteger();
        AtomicBoolean bodyCancelled = new AtomicBoolean();
        IllegalStateException boom = new IllegalStateException("boom");
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> TestSupport.on(carrier, () ->
                TaskGroup.run(g -> {
                    CountDownLatch started = new CountDownLatch(2);
                    g.spawn("sibling-1", () -> blockUntilCancelled(started, interrupted));
                    g.spawn("sibling-2", () -> {
                        try {
                            return blockUntilCancelled(started, interrupted);
                        } catch (InterruptedException ie) {
                            throw new IOException("cleanup failed during cancellation");
                        }
                    });
                    started.await();
                    g.spawn("failer", () -> {
                        throw boom;
                    });
                    try {
                        new CountDownLatch(1).await();
                    } catch (InterruptedException ie) {
                        bodyCancelled.set(true);
                        throw ie;
                    }
                    return null;
                })));
        assertEquals(2, interrupted.get(), "both siblings were interrupted");
        assertTrue(bodyCancelled.get(), "the body was cancelled");
        assertSame(boom, e.getCause(), "the first failure is the cause");
        assertEquals(2, e.failures().size(), "the cleanup failure is kept, the pure cancellation is not: " + e.failures());
        assertSame(boom, e.failures().get(0));
        assertInstanceOf(IOException.class, e.failures().get(1));
        assertEquals(Set.copyOf(e.failures()), Set.copyOf(Arrays.asList(e.getSuppressed())));
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void bodyExceptionCountsAsFailureAndCancelsChildren(Carrier carrier) throws Exception {
        AtomicInteger interrupted = new AtomicInteger();
        IllegalArgumentException bad = new IllegalArgumentException("body failed");
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> TestSupport.on(carrier, () ->
                TaskGroup.run(g -> {
                    CountDownLatch started = new CountDownLatch(1);
                    g.spawn(() -> blockUntilCancelled(started, interrupted));
                    started.await();
                    throw bad;
                })));
        assertEquals(List.of(bad), e.failures());
        assertEquals(1, interrupted.get());
    }

    @Test
    void nestedGroupExceptionIsOneMemberOfTheOuterList() {
        TaskGroupException outer = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            g.spawn("inner-owner", () -> TaskGroup.run(inner -> {
                inner.spawn(() -> {
                    throw new IllegalStateException("a");
                });
                inner.spawn(() -> {
                    throw new IllegalStateException("b");
                });
                return null;
            }));
            return null;
        }));
        assertEquals(1, outer.failures().size());
        TaskGroupException inner = assertInstanceOf(TaskGroupException.class, outer.failures().get(0));
        assertFalse(inner.failures().isEmpty());
        assertTrue(inner.failures().stream().allMatch(t -> t instanceof IllegalStateException));
    }

    @Test
    void cancelledTaskThatCatchesAndReturnsEndsAsSuccess() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        Task<String>[] t = new Task[1];
        TaskGroup.run(g -> {
            t[0] = g.spawn(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                    return "not cancelled";
                } catch (InterruptedException e) {
                    return "caught";
                }
            });
            started.await();
            assertTrue(t[0].cancel(), "the first cancel has an effect");
            return null;
        });
        assertEquals(new Outcome.Success<>("caught"), t[0].outcome());
        assertEquals(Task.State.SUCCESS, t[0].state());
        assertFalse(t[0].cancel(), "cancelling a finished task has no effect");
    }

    @Test
    void cancelledTaskThatThrowsSomethingElseEndsAsFailureAndFailsTheGroup() {
        CountDownLatch started = new CountDownLatch(1);
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            Task<Object> t = g.spawn(() -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                    return null;
                } catch (InterruptedException ie) {
                    throw new IOException("while cancelling");
                }
            });
            started.await();
            t.cancel();
            return null;
        }));
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void cancelledTaskEndsCancelledAndJoinThrowsCancellation() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        Task<Integer>[] t = new Task[1];
        TaskGroup.run(g -> {
            t[0] = g.spawn(() -> blockUntilCancelled(started, interrupted));
            started.await();
            assertTrue(t[0].cancel());
            assertFalse(t[0].cancel(), "a second cancel has no effect");
            assertThrows(java.util.concurrent.CancellationException.class, t[0]::join);
            return null;
        });
        assertEquals(Task.State.CANCELLED, t[0].state());
        assertInstanceOf(Outcome.Cancelled.class, t[0].outcome());
    }

    @Test
    void joinOfFailedTaskThrowsTaskFailedExceptionWithTheCause() throws Exception {
        IOException io = new IOException("disk");
        Outcome<Object> o = TaskGroup.supervise(g -> {
            Task<Object> t = g.spawn("reader", () -> {
                throw io;
            });
            TaskFailedException e = assertThrows(TaskFailedException.class, t::join);
            assertSame(io, e.getCause());
            return t.outcome();
        });
        assertEquals(new Outcome.Failure<>(io), o);
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void groupFailureRetractsItsOwnCancellationOfTheBody(Carrier carrier) throws Exception {
        boolean[] interruptedAfter = new boolean[1];
        TestSupport.on(carrier, () -> {
            assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
                g.spawn(() -> {
                    throw new IllegalStateException("x");
                });
                new CountDownLatch(1).await(); // interrupted by the group's cancellation
                return null;
            }));
            interruptedAfter[0] = Thread.currentThread().isInterrupted();
            Weft.checkpoint(); // must not throw
            Thread.sleep(1); // a JDK blocking call is not interrupted either
            return null;
        });
        assertFalse(interruptedAfter[0], "no stray interrupt after the group's own failure");
    }

    @Test
    void outsideCancellationIsNotSwallowedWhenTheGroupAlsoFails() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        AtomicBoolean checkpointThrew = new AtomicBoolean();
        CountDownLatch inGroup = new CountDownLatch(1);
        Task<Object>[] outer = new Task[1];
        TaskGroup.supervise(top -> {
            outer[0] = top.spawn(() -> {
                try {
                    TaskGroup.run(g -> {
                        g.spawn(() -> {
                            try {
                                inGroup.countDown();
                                new CountDownLatch(1).await();
                                return null;
                            } catch (InterruptedException e) {
                                throw new IOException("failed while being cancelled");
                            }
                        });
                        new CountDownLatch(1).await();
                        return null;
                    });
                } catch (Throwable t) {
                    thrown.set(t);
                }
                flagAfter.set(Thread.currentThread().isInterrupted());
                try {
                    Weft.checkpoint();
                } catch (InterruptedException e) {
                    checkpointThrew.set(true);
                }
                return null;
            });
            inGroup.await();
            outer[0].cancel();
            return null;
        });
        assertInstanceOf(TaskGroupException.class, thrown.get(), "the group's own errors are reported");
        assertTrue(flagAfter.get(), "the outside cancellation is still pending on the thread");
        assertTrue(checkpointThrew.get(), "and Weft's next checkpoint fails");
    }

    @Test
    void outsideCancellationWithoutFailuresThrowsInterruptedException() throws Exception {
        CountDownLatch inGroup = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        TaskGroup.supervise(top -> {
            Task<Object> t = top.spawn(() -> {
                try {
                    return TaskGroup.run(g -> {
                        g.spawn(() -> {
                            inGroup.countDown();
                            new CountDownLatch(1).await();
                            return null;
                        });
                        new CountDownLatch(1).await();
                        return null;
                    });
                } catch (Throwable e) {
                    thrown.set(e);
                    throw e;
                }
            });
            inGroup.await();
            t.cancel();
            assertInstanceOf(Outcome.Cancelled.class, t.outcome());
            return null;
        });
        assertInstanceOf(InterruptedException.class, thrown.get());
    }

    @Test
    void spawnIntoFailingGroupThrowsAndTheWorkNeverRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        AtomicReference<IllegalStateException> refused = new AtomicReference<>();
        assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            Task<Object> failer = g.spawn("failer", () -> {
                throw new IllegalStateException("first");
            });
            await("the failer has ended", failer::isDone); // polls: the body itself is being cancelled
            refused.set(assertThrows(IllegalStateException.class, () -> g.spawn(() -> ran.getAndSet(true))));
            return null;
        }));
        assertTrue(refused.get().getMessage().contains("failing"), refused.get().getMessage());
        assertTrue(refused.get().getMessage().contains("failer"), refused.get().getMessage());
        assertFalse(ran.get());
    }

    @Test
    void spawnIntoClosedGroupThrowsAndTheWorkNeverRuns() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        TaskGroup[] kept = new TaskGroup[1];
        TaskGroup.run(g -> kept[0] = g);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> kept[0].spawn(() -> ran.getAndSet(true)));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertFalse(ran.get());
    }

    @Test
    void fatalErrorPropagatesAsItIsAfterSiblingsAreCancelledAndJoined() {
        AtomicInteger interrupted = new AtomicInteger();
        AtomicBoolean siblingEnded = new AtomicBoolean();
        OutOfMemoryError oom = new OutOfMemoryError("simulated");
        OutOfMemoryError thrown = assertThrows(OutOfMemoryError.class, () -> TaskGroup.run(g -> {
            CountDownLatch started = new CountDownLatch(1);
            g.spawn(() -> {
                try {
                    return blockUntilCancelled(started, interrupted);
                } finally {
                    siblingEnded.set(true);
                }
            });
            started.await();
            g.spawn(() -> {
                throw oom;
            });
            return null;
        }));
        assertSame(oom, thrown);
        assertEquals(1, interrupted.get());
        assertTrue(siblingEnded.get(), "the sibling was joined before the error propagated");
    }

    @Test
    void anyTaskMaySpawnIntoTheGroupAlsoWhileItWaitsInClose() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        CountDownLatch bodyDone = new CountDownLatch(1);
        TaskGroup.run(g -> {
            Thread owner = Thread.currentThread();
            g.spawn(() -> {
                bodyDone.await();
                // the body has returned, so once the owner parks it is waiting in close for this task
                await("the group waits in close", () -> owner.getState() == Thread.State.WAITING && g.liveTasks() == 1);
                g.spawn(() -> {
                    g.spawn(ran::incrementAndGet);
                    return ran.incrementAndGet();
                });
                return ran.incrementAndGet();
            });
            bodyDone.countDown();
            return null;
        });
        assertEquals(3, ran.get(), "every task, including those spawned during close, ran before the group ended");
    }

    @Test
    void tryWithResourcesFormWaitsForEveryChildInClose() throws Exception {
        AtomicInteger done = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        try (TaskGroup g = TaskGroup.open("twr")) {
            for (int i = 0; i < 10; i++) {
                g.spawn(() -> {
                    release.await();
                    return done.incrementAndGet();
                });
            }
            release.countDown();
        }
        assertEquals(10, done.get());
    }

    @Test
    void tryWithResourcesFormJoinThrowsTheGroupException() throws Exception {
        TaskGroupException e;
        try (TaskGroup g = TaskGroup.open()) {
            g.spawn(() -> {
                throw new IllegalStateException("child");
            });
            e = assertThrows(TaskGroupException.class, g::join);
        }
        assertEquals("child", e.getCause().getMessage());
    }

    @Test
    void tryWithResourcesFormCloseThrowsWhenJoinWasNotCalled() {
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
            try (TaskGroup g = TaskGroup.open()) {
                g.spawn(() -> {
                    throw new IllegalStateException("child");
                });
            }
        });
        assertEquals(1, e.failures().size());
    }

    @Test
    void closeFromAnotherThreadIsRefused() throws Exception {
        try (TaskGroup g = TaskGroup.open("owned")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> TestSupport.on(Carrier.VIRTUAL, () -> {
                        g.close();
                        return null;
                    }));
            assertTrue(e.getMessage().contains("thread that opened"), e.getMessage());
        }
    }

    @Test
    void explicitGroupCancelEndsTheGroupNormally() throws Exception {
        AtomicInteger interrupted = new AtomicInteger();
        Object r = TaskGroup.run(g -> {
            CountDownLatch started = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                g.spawn(() -> blockUntilCancelled(started, interrupted));
            }
            started.await();
            g.cancel();
            new CountDownLatch(1).await(); // the body is cancelled too
            return "unreachable";
        });
        assertNull(r);
        assertEquals(3, interrupted.get());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void supervisorGroupCancelsNothingAndHandsBackOutcomes() throws Exception {
        List<Outcome<Integer>> outcomes = TaskGroup.supervise(g -> {
            List<Task<Integer>> ts = new ArrayList<>();
            ts.add(g.spawn(() -> 1));
            ts.add(g.spawn(() -> {
                throw new IOException("two");
            }));
            ts.add(g.spawn(() -> 3));
            List<Outcome<Integer>> out = new ArrayList<>();
            for (Task<Integer> t : ts) {
                out.add(t.outcome());
            }
            return out;
        });
        assertEquals(new Outcome.Success<>(1), outcomes.get(0));
        assertInstanceOf(Outcome.Failure.class, outcomes.get(1));
        assertEquals(new Outcome.Success<>(3), outcomes.get(2));
    }

    @Test
    void manyConcurrentFailuresAreAllKeptNoneDuplicated() {
        int n = 200;
        CountDownLatch ready = new CountDownLatch(n);
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            for (int i = 0; i < n; i++) {
                int id = i;
                g.spawn(() -> {
                    ready.countDown();
                    try {
                        ready.await();
                    } catch (InterruptedException ie) {
                        // cancelled by an earlier failure: fail anyway, with our own error
                    }
                    throw new IllegalStateException("task " + id);
                });
            }
            return null;
        }));
        assertEquals(n, e.failures().size());
        assertEquals(n, e.failures().stream().map(Throwable::getMessage).distinct().count());
    }

    @Test
    void thousandTasksWithRandomCancellationsAllEndAndNoneLeak() throws Exception {
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        Set<Integer> completed = ConcurrentHashMap.newKeySet();
        List<Task<Integer>> ts = new ArrayList<>();
        Set<Integer> cancelCalled = new java.util.HashSet<>();
        TaskGroup.supervise(g -> {
            for (int i = 0; i < 1000; i++) {
                int id = i;
                ts.add(g.spawn(() -> {
                    threads.add(Thread.currentThread());
                    Weft.checkpoint();
                    Thread.yield();
                    completed.add(id);
                    return id;
                }));
            }
            for (int i = 0; i < ts.size(); i++) {
                if (ThreadLocalRandom.current().nextBoolean()) {
                    ts.get(i).cancel();
                    cancelCalled.add(i);
                }
            }
            return null;
        });
        await("every task thread has terminated", () -> threads.stream().allMatch(t -> !t.isAlive()));
        int succeeded = 0;
        for (int i = 0; i < ts.size(); i++) {
            Outcome<Integer> o = ts.get(i).outcome();
            if (o instanceof Outcome.Success<Integer>(Integer v)) {
                succeeded++;
                assertEquals(i, v, "a task returned another task's result");
                assertTrue(completed.contains(i), "task " + i + " succeeded without running to its end");
            } else {
                assertInstanceOf(Outcome.Cancelled.class, o, "task " + i + " neither succeeded nor was cancelled");
                assertTrue(cancelCalled.contains(i), "task " + i + " was cancelled though nobody cancelled it");
                assertFalse(completed.contains(i), "task " + i + " ran to its end but reports Cancelled");
            }
        }
        assertEquals(completed.size(), succeeded, "every task that ran to its end, and only those, succeeded");
        assertTrue(ts.size() - cancelCalled.size() <= succeeded, "every task nobody cancelled succeeded");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void taskNamesAreGivenOrGenerated() throws Exception {
        TaskGroup.run(g -> {
            assertEquals("fetch-a", g.spawn("fetch-a", () -> 1).name());
            assertTrue(g.spawn(() -> 1).name().startsWith(g.name() + "-"));
            return null;
        });
    }

    @Test
    void nullWorkIsRejectedWithItsName() throws Exception {
        TaskGroup.run(g -> {
            NullPointerException e = assertThrows(NullPointerException.class, () -> g.spawn(null));
            assertEquals("work", e.getMessage());
            return null;
        });
    }

    @Test
    void aTaskThatLeavesAScopeOpenFailsClearlyAndItsGroupStillEnds() {
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            g.spawn("leaky", () -> CancelScope.create().open()); // opened, never closed
            return null;
        }));
        assertTrue(e.getCause().getMessage().contains("still open"), e.getCause().getMessage());
    }
}
