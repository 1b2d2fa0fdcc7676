package dev.weft.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.TaskGroupException;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Each kind of debug report, triggered on purpose. */
@Tag("debug-mode")
class ReportKindsTest {

    /** A failing task in a supervisor group whose handle is dropped unread (asyncio: "exception was never retrieved"). */
    @Test
    void leakedFailingTaskIsReportedWithItsSpawnSiteWhenCollected() throws Exception {
        try (Reports r = new Reports()) {
            spawnFailingAndForget();
            DebugReport rep = r.await(DebugReport.Kind.UNOBSERVED_FAILURE, x -> "doomed".equals(x.taskName()), System::gc);
            assertTrue(rep.summary().contains("boom"), rep.summary());
            assertTrue(rep.summary().contains("garbage collected"), rep.summary());
            assertEquals("spawnFailingAndForget", spawnMethod(rep), "spawn site: " + rep.stack());
            assertTrue(rep.detail().contains("spawned at"), rep.detail());
        }
    }

    private static void spawnFailingAndForget() throws InterruptedException {
        TaskGroup.supervise(g -> {
            g.spawn("doomed", () -> {
                throw new IllegalStateException("boom");
            });
            return null;
        });
    }

    /** The lambda frame of the spawn site is in the method that spawned. */
    private static String spawnMethod(DebugReport rep) {
        String m = rep.stack().get(0).getMethodName();
        return m.startsWith("lambda$") ? m.substring(7, m.indexOf('$', 7)) : m;
    }

    @Test
    void unreadFailureIsListedUntilReadAndReadingItClearsIt() throws Exception {
        Task<?>[] kept = new Task<?>[1];
        TaskGroup.supervise(g -> {
            kept[0] = g.spawn("kept", () -> {
                throw new IllegalStateException("read me");
            });
            return null;
        });
        assertTrue(Debug.unreadFailures().stream().anyMatch(x -> "kept".equals(x.taskName())), "" + Debug.unreadFailures());
        assertInstanceOf(Outcome.Failure.class, kept[0].outcome()); // read after the group closed: allowed
        assertTrue(Debug.unreadFailures().stream().noneMatch(x -> "kept".equals(x.taskName())), "" + Debug.unreadFailures());
    }

    @Test
    void failFastGroupFailuresAreObservedThroughTheGroup() {
        assertThrows(TaskGroupException.class, () -> TaskGroup.run(g -> {
            g.spawn("thrown", () -> {
                throw new IllegalStateException("thrown by the group");
            });
            return null;
        }));
        assertTrue(Debug.unreadFailures().stream().noneMatch(x -> "thrown".equals(x.taskName())));
    }

    @Test
    void tasksStillRunningWhenMainReturnsAreListedAndCancelled() throws Exception {
        Task<?>[] straggler = new Task<?>[1];
        try (Reports r = new Reports()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Weft.run(() -> {
                TaskGroup g = TaskGroup.open("forgotten"); // never closed
                straggler[0] = g.spawn("straggler", () -> {
                    Weft.sleep(Duration.ofHours(1));
                    return null;
                });
                return "main is done";
            }));
            assertTrue(e.getMessage().contains("still open"), e.getMessage());
            DebugReport rep = r.await(DebugReport.Kind.RUNNING_AT_EXIT, x -> x.summary().contains("straggler"));
            assertTrue(rep.summary().contains("group 'forgotten'"), rep.summary());
            assertTrue(rep.detail().contains("task 'straggler' RUNNING"), rep.detail());
            assertInstanceOf(Outcome.Cancelled.class, straggler[0].outcome(), "Weft.run cancels what main left running");
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void groupCloseNamesTheChildThatIgnoresItsInterrupt() throws Exception {
        slowCloseNamesTheStubbornChild(true);
    }

    /** As above, for a group run by {@code TaskGroup.run}: its wait for the tasks is a group close too. */
    @Test
    void groupRunNamesTheChildThatIgnoresItsInterrupt() throws Exception {
        slowCloseNamesTheStubbornChild(false);
    }

    /** A task swallows its interrupt while its failing group closes ({@code TaskGroup.open} or {@code run}). */
    private static void slowCloseNamesTheStubbornChild(boolean openAndClose) throws Exception {
        String stubborn = openAndClose ? "stubborn" : "stubborn-run";
        Predicate<DebugReport> ours = openAndClose ? x -> "stubborn-group".equals(x.taskName())
                : x -> x.summary().contains("'" + stubborn + "'"); // a run group's name is generated
        Duration before = Debug.thresholds().get(0);
        Debug.setCloseGrace(Duration.ofMillis(100));
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        DebugListener releaser = x -> {
            if (x.kind() == DebugReport.Kind.SLOW_CLOSE && ours.test(x)) {
                release.countDown();
            }
        };
        Callable<Object> swallower = () -> {
            started.countDown();
            while (true) {
                try {
                    release.await(20, TimeUnit.SECONDS); // bounded: without the report the test fails, not hangs
                    return null;
                } catch (InterruptedException ignored) {
                    // the bug this report is for: the interrupt is swallowed
                }
            }
        };
        Callable<Object> failer = () -> {
            started.await();
            throw new IllegalStateException("fail and cancel the group");
        };
        try (Reports r = new Reports()) {
            Debug.addListener(releaser);
            assertThrows(TaskGroupException.class, () -> {
                if (openAndClose) {
                    try (TaskGroup g = TaskGroup.open("stubborn-group")) {
                        g.spawn(stubborn, swallower);
                        g.spawn("failer", failer);
                    }
                } else {
                    TaskGroup.run(g -> {
                        g.spawn(stubborn, swallower);
                        g.spawn("failer", failer);
                        return null;
                    });
                }
            });
            DebugReport rep = r.await(DebugReport.Kind.SLOW_CLOSE, ours);
            assertTrue(rep.summary().contains("ignore their interrupt: '" + stubborn + "'"), rep.summary());
            assertTrue(rep.detail().contains("now at"), rep.detail());
            assertTrue(rep.detail().contains("CountDownLatch.await"), "the stuck task's current stack: " + rep.detail());
            assertTrue(rep.detail().contains("interrupt flag cleared"), rep.detail());
        } finally {
            Debug.removeListener(releaser);
            Debug.setCloseGrace(before);
        }
    }

    /** Blocks in a class initializer: a virtual thread that parks during class initialization stays pinned (JDK 25). */
    static final class SlowInit {
        static {
            try {
                Thread.sleep(150);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {
        }
    }

    @Test
    void waitInClassInitializerIsReportedAsPinningWithTheTaskAndStack() throws Exception {
        try (Reports r = new Reports()) {
            TaskGroup.run(g -> {
                g.spawn("initializer", () -> {
                    SlowInit.touch();
                    return null;
                });
                return null;
            });
            DebugReport rep = r.await(DebugReport.Kind.PINNED, x -> "initializer".equals(x.taskName()));
            assertTrue(rep.summary().startsWith("task 'initializer'"), rep.summary());
            assertTrue(rep.stack().stream().anyMatch(f -> f.getClassName().equals(SlowInit.class.getName())
                    && f.getMethodName().equals("<clinit>")), "pinned stack: " + rep.stack());
        }
    }

    @Test
    void cpuBoundLoopOnAVirtualThreadIsReportedAsHoggingItsCarrier() throws Exception {
        Duration before = Debug.thresholds().get(2);
        Debug.setHogThreshold(Duration.ofMillis(50));
        AtomicBoolean stop = new AtomicBoolean();
        try (Reports r = new Reports()) {
            TaskGroup.run(g -> {
                g.spawn("spinner", () -> {
                    long x = 0;
                    while (!stop.get()) {
                        x++;
                    }
                    return x;
                });
                try {
                    DebugReport rep = r.await(DebugReport.Kind.CARRIER_HOG, x -> "spinner".equals(x.taskName()));
                    assertTrue(rep.summary().contains("without blocking"), rep.summary());
                    assertTrue(rep.stack().stream().anyMatch(f -> f.getClassName().equals(ReportKindsTest.class.getName())),
                            "the spinning frame: " + rep.stack());
                } finally {
                    stop.set(true);
                }
                return null;
            });
        } finally {
            Debug.setHogThreshold(before);
        }
    }

    @Test
    void joinFromACommonPoolStageIsReportedAsBlockingInTheWrongPlace() throws Exception {
        try (Reports r = new Reports()) {
            TaskGroup.run(g -> {
                Task<Integer> t = g.spawn("answer", () -> 42);
                assertEquals(42, ForkJoinPool.commonPool().submit(() -> t.join()).get());
                return null;
            });
            DebugReport rep = r.await(DebugReport.Kind.BLOCKING_IN_WRONG_PLACE, x -> x.summary().contains("join task 'answer'"));
            assertTrue(rep.summary().contains("common-pool"), rep.summary());
        }
    }

    @Test
    void sleepOnTheOffloadPoolIsReportedAsBlockingInTheWrongPlace() throws Exception {
        try (Reports r = new Reports()) {
            Weft.offload(() -> {
                Weft.sleep(Duration.ofMillis(1)); // holds one of the few offload threads while it waits
                return null;
            });
            DebugReport rep = r.await(DebugReport.Kind.BLOCKING_IN_WRONG_PLACE, x -> x.summary().contains("offload-pool"));
            assertTrue(rep.summary().startsWith("blocking Weft call (sleep PT0.001S)"), rep.summary());
        }
    }

    @Test
    void weftJfrEventsRecordSpawnEndAndCancel() throws Exception {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (var rs = new jdk.jfr.consumer.RecordingStream()) {
            rs.enable("dev.weft.TaskSpawn");
            rs.enable("dev.weft.TaskEnd");
            rs.enable("dev.weft.ScopeCancel");
            rs.onEvent(e -> seen.add(e.getEventType().getName() + " " + (e.hasField("task") ? e.getString("task")
                    : e.getString("scope")) + (e.hasField("outcome") ? " " + e.getString("outcome") : "")));
            rs.startAsync();
            TaskGroup.run(g -> {
                Task<?> t = g.spawn("jfr-task", () -> {
                    Weft.sleep(Duration.ofHours(1));
                    return null;
                });
                t.cancel();
                return null;
            });
            long limit = System.nanoTime() + 60_000_000_000L;
            while (!(seen.contains("dev.weft.TaskSpawn jfr-task") && seen.contains("dev.weft.TaskEnd jfr-task cancelled")
                    && seen.stream().anyMatch(s -> s.startsWith("dev.weft.ScopeCancel task 'jfr-task'")))) {
                assertTrue(System.nanoTime() - limit < 0, "events seen: " + seen);
                Thread.sleep(20);
            }
        }
    }
}
