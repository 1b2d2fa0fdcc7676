package dev.weft.test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import dev.weft.debug.Debug;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/** The extension, run on sample test classes through the JUnit test kit. */
class WeftExtensionTest {

    private static Events run(Class<?> sample) {
        try {
            return EngineTestKit.engine("junit-jupiter").selectors(selectClass(sample)).execute().allEvents();
        } finally {
            Samples.RELEASES.forEach(CountDownLatch::countDown); // end what leftRunning left running
        }
    }

    private static String failureOf(Events events, String test) {
        Event e = events.failed().stream().filter(x -> x.getTestDescriptor().getDisplayName().startsWith(test))
                .findFirst().orElseThrow(() -> new AssertionError(test + " did not fail; events: " + events.list()));
        return e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable().orElseThrow().getMessage();
    }

    @Test
    void weftTestTurnsDebugModeOnForTheTestJvm() {
        assertTrue(Debug.isEnabled(), "the launcher-session listener enables it before any test class runs");
    }

    // ---- samples (nested static classes: not run by surefire itself)

    @WeftTest
    static class Samples {
        static final List<CountDownLatch> RELEASES = new java.util.concurrent.CopyOnWriteArrayList<>();
        static final java.util.concurrent.atomic.AtomicInteger RUNS = new java.util.concurrent.atomic.AtomicInteger();
        static volatile Task<?> kept;

        @Test
        void clean(VirtualTime time) throws Exception {
            Timeouts.failAfter(Duration.ofHours(1), () -> {
                Weft.sleep(Duration.ofMinutes(30)); // virtual: instant
                return null;
            });
            assertEquals(Duration.ofMinutes(30), time.elapsed());
        }

        @Test
        void leftRunning() {
            CountDownLatch release = new CountDownLatch(1);
            RELEASES.add(release);
            String name = "lingering-" + RUNS.incrementAndGet();
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    TaskGroup.run(g -> g.spawn(name, () -> {
                        release.await();
                        return null;
                    }));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            while (Debug.snapshot().stream().noneMatch(n -> n.name().equals(name))) {
                Thread.onSpinWait();
            }
        }

        @Test
        void unreadFailure() throws Exception {
            TaskGroup.supervise(g -> {
                kept = g.spawn("unread", () -> {
                    throw new IllegalStateException("nobody reads me");
                });
                return null;
            });
        }
    }

    @Test
    void aCleanTestPassesAndVirtualTimeMakesItsSleepInstant() {
        Events events = run(Samples.class);
        assertTrue(events.succeeded().stream().anyMatch(e -> e.getTestDescriptor().getDisplayName().startsWith("clean")),
                "events: " + events.list());
    }

    @Test
    void aTestThatLeavesATaskRunningFailsNamingIt() throws Exception {
        Events events = run(Samples.class);
        String m = failureOf(events, "leftRunning");
        assertTrue(m.contains("Weft task(s), group(s) or scope(s) running"), m);
        assertTrue(m.contains("task 'lingering-"), m);
    }

    @Test
    void aTestThatLeavesAFailureUnreadFailsWithTheFailure() throws Exception {
        Events events = run(Samples.class);
        String m = failureOf(events, "unreadFailure");
        assertTrue(m.contains("task 'unread'") && m.contains("nobody reads me"), m);
        assertTrue(Samples.kept.outcome() instanceof Outcome.Failure<?>); // read it: later tests are not blamed
    }

    /** Parks in a class initializer: pins its carrier on JDK 25. */
    static final class SlowInit {
        static {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {
        }
    }

    @WeftTest
    static class PinningSample {
        @Test
        void pins() throws Exception {
            TaskGroup.run(g -> g.spawn("pinner", () -> {
                SlowInit.touch();
                return null;
            }).join());
        }
    }

    @Test
    void aTestThatPinsACarrierFailsEvenWhenJfrDeliversLate() {
        Events events = run(PinningSample.class);
        List<Event> failed = events.failed().list();
        String all = failed.stream().map(e -> e.getPayload(TestExecutionResult.class).orElseThrow().getThrowable()
                .orElseThrow().getMessage()).reduce("", String::concat);
        assertTrue(all.contains("task 'pinner' #") && all.contains("pinned its carrier"), "failures: " + all);
        assertTrue(all.contains("pins"), "names the test: " + all);
    }

    @WeftTest
    static class ManualSample {
        @Test
        void manual(@ManualTime VirtualTime time) {
            assertEquals(Duration.ZERO, time.elapsed());
            time.advance(Duration.ofSeconds(5));
            assertEquals(Duration.ofSeconds(5), time.elapsed());
        }
    }

    @Test
    void manualTimeIsInjectedOnRequest() {
        Events events = run(ManualSample.class);
        assertEquals(0, events.failed().count(), "events: " + events.list());
        assertEquals(1, events.succeeded().stream().filter(e -> e.getTestDescriptor().isTest()).count());
    }
}
