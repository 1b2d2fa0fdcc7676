package dev.weft;

import static dev.weft.TestSupport.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.TestSupport.Carrier;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The structured combinators of {@link Weft}: gather, gatherOutcomes, race, asCompleted, shield,
 * map, mapOutcomes and offload. Orders are driven with latches; "has ended" is recorded by the
 * work itself in a {@code finally} block and read at the moment the combinator returns or throws.
 */
class GatherRaceMapTest {

    /** Work that blocks until it is interrupted, recording that it was and that it ended. */
    private static final class Blocker {
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        final AtomicBoolean ended = new AtomicBoolean();

        <T> Callable<T> callable() {
            return () -> {
                started.countDown();
                try {
                    new CountDownLatch(1).await();
                    throw new AssertionError("unreachable: nobody opens this latch");
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    throw e;
                } finally {
                    ended.set(true);
                }
            };
        }
    }

    // ---------------------------------------------------------------- gather

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void gatherReturnsResultsInArgumentOrderWhateverOrderTheyFinishIn(Carrier carrier) throws Exception {
        Queue<String> finished = new ConcurrentLinkedQueue<>();
        CountDownLatch thirdDone = new CountDownLatch(1);
        CountDownLatch secondDone = new CountDownLatch(1);
        List<String> results = on(carrier, () -> Weft.gather(
                () -> {
                    secondDone.await();
                    finished.add("first");
                    return "first";
                },
                () -> {
                    thirdDone.await();
                    finished.add("second");
                    secondDone.countDown();
                    return "second";
                },
                () -> {
                    finished.add("third");
                    thirdDone.countDown();
                    return "third";
                }));
        assertEquals(List.of("third", "second", "first"), List.copyOf(finished));
        assertEquals(List.of("first", "second", "third"), results);
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void theFirstFailureOfGatherCancelsTheOthersWaitsForThemAndThrowsEveryFailure(Carrier carrier) {
        IOException boom = new IOException("boom");
        IllegalStateException cleanupError = new IllegalStateException("cleanup failed while cancelled");
        Blocker blocked = new Blocker();
        Blocker failsInCleanup = new Blocker();
        AtomicBoolean othersEndedWhenGatherThrew = new AtomicBoolean();
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> on(carrier, () -> {
            try {
                return Weft.gather(
                        () -> {
                            blocked.started.await();
                            failsInCleanup.started.await();
                            throw boom;
                        },
                        blocked.callable(),
                        () -> {
                            try {
                                return failsInCleanup.<String>callable().call();
                            } catch (InterruptedException ie) {
                                throw cleanupError;
                            }
                        });
            } catch (TaskGroupException x) {
                othersEndedWhenGatherThrew.set(blocked.ended.get() && failsInCleanup.ended.get());
                throw x;
            }
        }));
        assertTrue(blocked.interrupted.get(), "the blocked sibling was not cancelled");
        assertTrue(failsInCleanup.interrupted.get(), "the other sibling was not cancelled");
        assertTrue(othersEndedWhenGatherThrew.get(), "gather threw before its siblings had ended");
        assertEquals(List.of(boom, cleanupError), e.failures(), "cancellations are not failures; errors are kept");
        assertSame(boom, e.getCause());
        assertEquals(List.of(boom, cleanupError), List.of(e.getSuppressed()));
    }

    // ---------------------------------------------------------------- gatherOutcomes

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void gatherOutcomesWaitsForAllAndReturnsTheirOutcomesInArgumentOrder(Carrier carrier) throws Exception {
        IOException boom = new IOException("boom");
        CountDownLatch failing = new CountDownLatch(1);
        List<Outcome<String>> outcomes = on(carrier, () -> Weft.gatherOutcomes(
                () -> "a",
                () -> {
                    failing.countDown();
                    throw boom;
                },
                () -> {
                    failing.await(); // finishes after the failure: a failure cancels nothing here
                    Weft.checkpoint();
                    return "c";
                }));
        assertEquals(List.of(new Outcome.Success<>("a"), new Outcome.Failure<>(boom), new Outcome.Success<>("c")),
                outcomes);
    }

    @Test
    void cancellingTheTaskThatWaitsInGatherOutcomesCancelsEveryChildAndTheTaskEndsCancelled() throws Exception {
        Blocker one = new Blocker();
        Blocker two = new Blocker();
        AtomicBoolean childrenEndedWhenItThrew = new AtomicBoolean();
        Outcome<List<Outcome<String>>> outcome = TaskGroup.run(g -> {
            Task<List<Outcome<String>>> caller = g.spawn(() -> {
                try {
                    return Weft.<String>gatherOutcomes(one.callable(), two.callable());
                } finally {
                    childrenEndedWhenItThrew.set(one.ended.get() && two.ended.get());
                }
            });
            one.started.await();
            two.started.await();
            assertTrue(caller.cancel());
            return caller.outcome();
        });
        assertInstanceOf(Outcome.Cancelled.class, outcome);
        assertTrue(one.interrupted.get() && two.interrupted.get(), "the children were not cancelled");
        assertTrue(childrenEndedWhenItThrew.get(), "gatherOutcomes returned before its children ended");
    }

    /** Issue 2, semantics 4: outcomes never swallow the caller's own cancellation. */
    @Test
    void childrenThatSwallowTheirCancellationDoNotHideTheCallersCancellation() throws Exception {
        CountDownLatch started = new CountDownLatch(2);
        AtomicInteger swallowed = new AtomicInteger();
        Callable<String> swallower = () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
                return "never";
            } catch (InterruptedException e) {
                swallowed.incrementAndGet();
                return "swallowed";
            }
        };
        Outcome<List<Outcome<String>>> outcome = TaskGroup.run(g -> {
            Task<List<Outcome<String>>> caller = g.spawn(() -> Weft.gatherOutcomes(swallower, swallower));
            started.await();
            caller.cancel();
            return caller.outcome();
        });
        assertEquals(2, swallowed.get(), "both children should have been cancelled");
        assertInstanceOf(Outcome.Cancelled.class, outcome,
                "the caller's cancellation was swallowed by its children's successful outcomes");
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void cancellingTheScopeAroundGatherOutcomesCancelsEveryChildAndTheScopeSeesItsCancellation(Carrier carrier)
            throws Exception {
        Blocker one = new Blocker();
        Blocker two = new Blocker();
        CancelScope scope = CancelScope.create();
        Thread canceller = Thread.ofVirtual().start(() -> {
            try {
                one.started.await();
                two.started.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            scope.cancel();
        });
        Optional<List<Outcome<String>>> r = on(carrier,
                () -> scope.run(() -> Weft.<String>gatherOutcomes(one.callable(), two.callable())));
        canceller.join();
        assertTrue(r.isEmpty(), "gatherOutcomes returned outcomes although its caller was cancelled: " + r);
        assertTrue(scope.cancelledCaught());
        assertTrue(one.ended.get() && two.ended.get());
        assertTrue(one.interrupted.get() && two.interrupted.get());
    }

    // ---------------------------------------------------------------- race

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void raceReturnsTheFirstSuccessfulResultAndCancelsAndJoinsTheLosers(Carrier carrier) throws Exception {
        CountDownLatch aFailed = new CountDownLatch(1);
        Blocker loser = new Blocker();
        AtomicBoolean loserEndedWhenRaceReturned = new AtomicBoolean();
        String winner = on(carrier, () -> {
            try {
                return Weft.race(
                        () -> {
                            loser.started.await();
                            try {
                                throw new IOException("a fails first, and a failure does not win");
                            } finally {
                                aFailed.countDown();
                            }
                        },
                        () -> {
                            aFailed.await();
                            return "b";
                        },
                        loser.callable());
            } finally {
                loserEndedWhenRaceReturned.set(loser.ended.get());
            }
        });
        assertEquals("b", winner);
        assertTrue(loser.interrupted.get(), "the loser was not cancelled");
        assertTrue(loserEndedWhenRaceReturned.get(), "race returned before the loser ended");
    }

    @Test
    void aLoserThatSwallowsItsCancellationAndReturnsDoesNotChangeTheWinner() throws Exception {
        CountDownLatch loserStarted = new CountDownLatch(1);
        String winner = Weft.race(
                () -> {
                    loserStarted.countDown();
                    try {
                        new CountDownLatch(1).await();
                        return "never";
                    } catch (InterruptedException e) {
                        return "late";
                    }
                },
                () -> {
                    loserStarted.await();
                    return "winner";
                });
        assertEquals("winner", winner);
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void whenEveryRacerFailsRaceThrowsEveryFailure(Carrier carrier) {
        IOException a = new IOException("a");
        IllegalStateException b = new IllegalStateException("b");
        IOException c = new IOException("c");
        TaskGroupException e = assertThrows(TaskGroupException.class, () -> on(carrier, () -> Weft.<String>race(
                () -> {
                    throw a;
                },
                () -> {
                    throw b;
                },
                () -> {
                    throw c;
                })));
        assertEquals(Set.of(a, b, c), Set.copyOf(e.failures()));
        assertEquals(3, e.failures().size());
        assertSame(e.failures().getFirst(), e.getCause(), "the first failure is the cause");
        assertEquals(e.failures(), List.of(e.getSuppressed()));
        assertEquals("race: all 3 callables failed", e.getMessage());
    }

    @Test
    void raceOfNoCallablesIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Weft.race(List.<Callable<String>>of()));
        assertEquals("race needs at least one callable", e.getMessage());
    }

    @Test
    void cancellingTheCallerOfRaceCancelsAndJoinsEveryRacer() throws Exception {
        Blocker one = new Blocker();
        Blocker two = new Blocker();
        AtomicBoolean endedWhenRaceThrew = new AtomicBoolean();
        Outcome<String> outcome = TaskGroup.run(g -> {
            Task<String> caller = g.spawn(() -> {
                try {
                    return Weft.<String>race(one.callable(), two.callable());
                } finally {
                    endedWhenRaceThrew.set(one.ended.get() && two.ended.get());
                }
            });
            one.started.await();
            two.started.await();
            caller.cancel();
            return caller.outcome();
        });
        assertInstanceOf(Outcome.Cancelled.class, outcome);
        assertTrue(endedWhenRaceThrew.get(), "race threw before its racers ended");
    }

    // ---------------------------------------------------------------- asCompleted

    @Test
    void asCompletedYieldsTasksInTheOrderTheyFinish() throws Exception {
        CountDownLatch go1 = new CountDownLatch(1);
        CountDownLatch go2 = new CountDownLatch(1);
        CountDownLatch go3 = new CountDownLatch(1);
        List<Task<String>> yielded = new ArrayList<>();
        List<Task<String>> spawned = new ArrayList<>();
        AtomicReference<Throwable> afterTheEnd = new AtomicReference<>();
        TaskGroup.run(g -> {
            spawned.add(g.spawn(() -> {
                go1.await();
                return "1";
            }));
            spawned.add(g.spawn(() -> {
                go2.await();
                return "2";
            }));
            spawned.add(g.spawn(() -> {
                go3.await();
                return "3";
            }));
            AsCompleted<String> done = Weft.asCompleted(spawned);
            go2.countDown();
            yielded.add(done.next());
            go3.countDown();
            yielded.add(done.next());
            go1.countDown();
            yielded.add(done.next());
            if (done.hasNext()) {
                afterTheEnd.set(new AssertionError("hasNext() after every task was returned"));
            } else {
                afterTheEnd.set(assertThrows(NoSuchElementException.class, done::next));
            }
            return null;
        });
        assertEquals(List.of(spawned.get(1), spawned.get(2), spawned.get(0)), yielded);
        assertTrue(yielded.stream().allMatch(t -> t.outcomeNow().isPresent()), "a yielded task had not finished");
        assertInstanceOf(NoSuchElementException.class, afterTheEnd.get());
    }

    @Test
    void asCompletedTimeoutThrowsDeadlineExceededAndDoesNotCancelTheUnfinishedTasks() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        AtomicReference<Task<String>> fast = new AtomicReference<>();
        AtomicReference<Task<String>> slow = new AtomicReference<>();
        AtomicReference<Task.State> slowWhenTimedOut = new AtomicReference<>();
        AtomicReference<Duration> elapsedWhenTimedOut = new AtomicReference<>();
        AtomicReference<DeadlineExceededException> timeout = new AtomicReference<>();
        time.run(() -> TaskGroup.run(g -> {
            fast.set(g.spawn(() -> "fast"));
            slow.set(g.spawn(() -> {
                Weft.sleep(Duration.ofHours(1));
                return "slow";
            }));
            AsCompleted<String> done = Weft.asCompleted(List.of(fast.get(), slow.get()), Duration.ofSeconds(10));
            done.next();
            timeout.set(assertThrows(DeadlineExceededException.class, done::next));
            slowWhenTimedOut.set(slow.get().state());
            elapsedWhenTimedOut.set(time.elapsed());
            return null;
        }));
        assertEquals(VirtualTime.DEFAULT_EPOCH.plusSeconds(10), timeout.get().deadline());
        assertEquals(Duration.ofSeconds(10), elapsedWhenTimedOut.get());
        assertEquals(Task.State.RUNNING, slowWhenTimedOut.get(), "the timeout touched the unfinished task");
        assertEquals(new Outcome.Success<>("slow"), slow.get().outcomeNow().orElseThrow(),
                "the unfinished task should run on to completion after the timeout");
        assertEquals(Duration.ofHours(1), time.elapsed());
    }

    // ---------------------------------------------------------------- shield

    @Test
    void shieldedWorkRunsToCompletionWhenItsTaskIsCancelledAndTheTaskObservesItsCancellationAfterwards()
            throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicReference<String> shieldResult = new AtomicReference<>();
        AtomicBoolean interruptedInside = new AtomicBoolean(true);
        AtomicBoolean flagSetAfterwards = new AtomicBoolean();
        AtomicBoolean checkpointThrewAfterwards = new AtomicBoolean();
        Outcome<String> outcome = TaskGroup.run(g -> {
            Task<String> caller = g.spawn(() -> {
                shieldResult.set(Weft.shield(() -> {
                    inside.countDown();
                    proceed.await(); // a JDK wait: would throw if the cancellation got through
                    Weft.checkpoint();
                    interruptedInside.set(Thread.currentThread().isInterrupted() || Weft.isCancelled());
                    return "done";
                }));
                flagSetAfterwards.set(Thread.currentThread().isInterrupted());
                Thread.interrupted(); // even with the flag cleared, Weft's checkpoint is level-triggered
                try {
                    Weft.checkpoint();
                } catch (InterruptedException e) {
                    checkpointThrewAfterwards.set(true);
                    throw e;
                }
                return "not cancelled";
            });
            inside.await();
            assertTrue(caller.cancel());
            proceed.countDown();
            return caller.outcome();
        });
        assertEquals("done", shieldResult.get());
        assertFalse(interruptedInside.get(), "the shielded work saw the outside cancellation");
        assertTrue(flagSetAfterwards.get(), "the interrupt flag was not set again after the shield");
        assertTrue(checkpointThrewAfterwards.get(), "the caller's next checkpoint did not throw");
        assertInstanceOf(Outcome.Cancelled.class, outcome);
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void shieldedWorkRunsToCompletionWhenTheCallersScopeIsCancelled(Carrier carrier) throws Exception {
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch proceed = new CountDownLatch(1);
        AtomicReference<String> shieldResult = new AtomicReference<>();
        AtomicBoolean checkpointThrewAfterwards = new AtomicBoolean();
        CancelScope scope = CancelScope.create();
        Thread canceller = Thread.ofVirtual().start(() -> {
            try {
                inside.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            scope.cancel();
            proceed.countDown();
        });
        Optional<String> r = on(carrier, () -> scope.run(() -> {
            shieldResult.set(Weft.shield(() -> {
                inside.countDown();
                proceed.await();
                return "done";
            }));
            try {
                Weft.checkpoint();
            } catch (InterruptedException e) {
                checkpointThrewAfterwards.set(true);
                throw e;
            }
            return "not cancelled";
        }));
        canceller.join();
        assertEquals("done", shieldResult.get());
        assertTrue(checkpointThrewAfterwards.get());
        assertTrue(r.isEmpty());
        assertTrue(scope.cancelledCaught());
    }

    // ---------------------------------------------------------------- map

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void mapReturnsResultsInItemOrder(Carrier carrier) throws Exception {
        List<Integer> items = IntStream.range(0, 20).boxed().toList();
        Queue<Integer> finished = new ConcurrentLinkedQueue<>();
        CountDownLatch lastDone = new CountDownLatch(1);
        List<Integer> squares = on(carrier, () -> Weft.map(items, 5, i -> {
            if (i == 19) {
                lastDone.countDown();
            } else if (i < 4) {
                lastDone.await(); // the first items finish after the last one
            }
            finished.add(i);
            return i * i;
        }));
        assertEquals(items.stream().map(i -> i * i).toList(), squares);
        assertTrue(finished.peek() != 0, "items finished in order anyway; the test drove nothing");
    }

    @Test
    void mapNeverRunsMoreThanLimitAtOnceAndDoesReachTheLimit() throws Exception {
        int limit = 3;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        CountDownLatch firstThreeTogether = new CountDownLatch(limit);
        List<Integer> items = IntStream.range(0, 60).boxed().toList();
        List<Integer> results = Weft.map(items, limit, i -> {
            max.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                if (i < limit) {
                    firstThreeTogether.countDown();
                    firstThreeTogether.await(); // only returns if the first three run at the same time
                }
                for (int k = 0; k < 3; k++) {
                    Thread.yield();
                    Weft.checkpoint();
                }
                return i;
            } finally {
                running.decrementAndGet();
            }
        });
        assertEquals(items, results);
        assertEquals(limit, max.get(), "observed " + max.get() + " running at once with a limit of " + limit);
    }

    /**
     * Fail-fast: once an item has failed, no further item starts. Driven many times, since an item
     * that fails frees its permit in the same instant as the failure cancels the spawning loop.
     */
    @ParameterizedTest
    @EnumSource(Carrier.class)
    void mapFailsFastCancellingWhatRunsAndStartingNothingMore(Carrier carrier) throws Exception {
        for (int round = 0; round < 30; round++) {
            IOException boom = new IOException("item 1 fails");
            Blocker item0 = new Blocker();
            Queue<Integer> started = new ConcurrentLinkedQueue<>();
            AtomicBoolean item0EndedWhenMapThrew = new AtomicBoolean();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> on(carrier, () -> {
                try {
                    return Weft.map(IntStream.range(0, 10).boxed().toList(), 2, i -> {
                        started.add(i);
                        if (i == 0) {
                            return item0.<Integer>callable().call();
                        }
                        if (i == 1) {
                            item0.started.await();
                            throw boom;
                        }
                        return i;
                    });
                } catch (TaskGroupException x) {
                    item0EndedWhenMapThrew.set(item0.ended.get());
                    throw x;
                }
            }));
            assertEquals(List.of(boom), e.failures(), "round " + round);
            assertSame(boom, e.getCause());
            assertTrue(item0.interrupted.get(), "the running item was not cancelled");
            assertTrue(item0EndedWhenMapThrew.get(), "map threw before the running item ended");
            assertEquals(Set.of(0, 1), Set.copyOf(started), "round " + round + ": items started after item 1 failed");
        }
    }

    @Test
    void mapOutcomesKeepsPartialFailuresInItemOrder() throws Exception {
        List<Integer> items = IntStream.range(0, 6).boxed().toList();
        AtomicInteger calls = new AtomicInteger();
        List<Outcome<Integer>> outcomes = Weft.mapOutcomes(items, 2, i -> {
            calls.incrementAndGet();
            if (i % 2 == 1) {
                throw new IllegalArgumentException("odd " + i);
            }
            return i * 10;
        });
        assertEquals(6, calls.get(), "a failure stopped other items");
        for (int i = 0; i < 6; i++) {
            Outcome<Integer> o = outcomes.get(i);
            if (i % 2 == 0) {
                assertEquals(new Outcome.Success<>(i * 10), o);
            } else {
                Outcome.Failure<Integer> f = assertInstanceOf(Outcome.Failure.class, o);
                assertEquals("odd " + i, f.error().getMessage());
            }
        }
    }

    @Test
    void mapRejectsALimitBelowOneWithIllegalArgumentException() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Weft.map(List.of(1), 0, i -> i));
        assertEquals("map limit must be >= 1, got 0", e.getMessage());
    }

    @Test
    void mapOutcomesRejectsALimitBelowOneWithIllegalArgumentException() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Weft.mapOutcomes(List.of(1), -1, i -> i));
        assertEquals("map limit must be >= 1, got -1", e.getMessage());
    }

    // ---------------------------------------------------------------- offload

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void offloadRunsTheWorkOnAPlatformThreadAndReturnsItsResult(Carrier carrier) throws Exception {
        Thread worker = on(carrier, () -> Weft.offload(Thread::currentThread));
        assertFalse(worker.isVirtual(), "offloaded work ran on a virtual thread");
        assertTrue(worker.getName().startsWith("weft-offload-"), worker.getName());
        assertEquals(42, (int) on(carrier, () -> Weft.offload(() -> 6 * 7)));
    }

    @Test
    void offloadRethrowsTheWorksExceptionUnchanged() {
        IOException boom = new IOException("boom");
        IOException thrown = assertThrows(IOException.class, () -> Weft.offload(() -> {
            throw boom;
        }));
        assertSame(boom, thrown);
    }

    @Test
    void cancellingTheTaskThatOffloadsInterruptsTheWorkAndTheWorkHasEndedBeforeOffloadThrows() throws Exception {
        Blocker work = new Blocker();
        AtomicBoolean endedWhenOffloadThrew = new AtomicBoolean();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Outcome<String> outcome = TaskGroup.run(g -> {
            Task<String> caller = g.spawn(() -> {
                try {
                    return Weft.offload(() -> work.<String>callable().call());
                } catch (Throwable t) {
                    endedWhenOffloadThrew.set(work.ended.get());
                    thrown.set(t);
                    throw t;
                }
            });
            work.started.await();
            caller.cancel();
            return caller.outcome();
        });
        assertInstanceOf(Outcome.Cancelled.class, outcome);
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertTrue(work.interrupted.get(), "the offloaded work was not interrupted");
        assertTrue(endedWhenOffloadThrew.get(), "offload threw while its work was still running");
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void cancellingTheScopeAroundOffloadInterruptsTheWorkAndWaitsForIt(Carrier carrier) throws Exception {
        Blocker work = new Blocker();
        AtomicBoolean endedWhenOffloadThrew = new AtomicBoolean();
        CancelScope scope = CancelScope.create();
        Thread canceller = Thread.ofVirtual().start(() -> {
            try {
                work.started.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            scope.cancel();
        });
        Optional<String> r = on(carrier, () -> scope.run(() -> {
            try {
                return Weft.offload(() -> work.<String>callable().call());
            } finally {
                endedWhenOffloadThrew.set(work.ended.get());
            }
        }));
        canceller.join();
        assertTrue(r.isEmpty());
        assertTrue(scope.cancelledCaught());
        assertTrue(work.interrupted.get());
        assertTrue(endedWhenOffloadThrew.get(), "offload returned while its work was still running");
    }

    @ParameterizedTest
    @EnumSource(Carrier.class)
    void theDeadlineInsideOffloadedWorkIsTheCallers(Carrier carrier) throws Exception {
        VirtualTime time = VirtualTime.manual();
        List<Optional<Deadline>> seen = on(carrier, () -> time.run(() -> Timeouts.failAfter(Duration.ofMinutes(5), () -> {
            Optional<Deadline> mine = Deadline.current();
            Optional<Deadline> theirs = Weft.offload(Deadline::current);
            return List.of(mine, theirs);
        })));
        assertTrue(seen.get(0).isPresent());
        assertEquals(seen.get(0), seen.get(1));
        assertEquals(VirtualTime.DEFAULT_EPOCH.plusSeconds(300), seen.get(1).orElseThrow().instant());
    }

    /**
     * Offloaded work runs on behalf of its caller, like a task blocked in a non-Weft call, so
     * auto-advancing virtual time must not jump while it runs (else every timeout around offload
     * would fire at once in tests).
     */
    @Test
    void offloadedWorkHoldsBackAutoAdvancingVirtualTimeWhileItRuns() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        CountDownLatch finishWork = new CountDownLatch(1);
        AtomicBoolean workInterrupted = new AtomicBoolean();
        CompletableFuture<Optional<Integer>> result = new CompletableFuture<>();
        Thread caller = Thread.ofVirtual().unstarted(() -> {
            try {
                result.complete(time.run(() -> Timeouts.moveOnAfter(Duration.ofHours(1), () -> Weft.offload(() -> {
                    try {
                        finishWork.await();
                    } catch (InterruptedException e) {
                        workInterrupted.set(true);
                        throw e;
                    }
                    return 42;
                }))));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        caller.start();
        TestSupport.await("the caller waits for its offloaded work (or the deadline fired)",
                () -> caller.getState() == Thread.State.WAITING || workInterrupted.get() || result.isDone());
        finishWork.countDown();
        caller.join();
        assertEquals(Optional.of(42), result.get(), "virtual time jumped to the deadline while the offloaded work ran");
        assertEquals(Duration.ZERO, time.elapsed());
    }

    @Test
    void offloadedWorkSeesNoDeadlineWhenTheCallerHasNone() throws Exception {
        assertEquals(Optional.empty(), on(Carrier.VIRTUAL, () -> Weft.offload(Deadline::current)));
    }
}
