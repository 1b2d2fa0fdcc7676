package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.debug.DebugReport;
import dev.weft.examples.pitfalls.ClassInitBlocking;
import dev.weft.examples.pitfalls.CommonPoolStage;
import dev.weft.examples.pitfalls.JettyCallback;
import dev.weft.examples.pitfalls.NativeCallbackPin;
import dev.weft.examples.pitfalls.Orphans;
import dev.weft.examples.pitfalls.SynchronizedIo;
import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebResponse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;

/**
 * Runs the deliberately wrong code of {@code dev.weft.examples.pitfalls} and checks that debug mode
 * reports what docs/debugging.md says it reports.
 */
class PitfallsTest {
    static final Duration MAX = Duration.ofSeconds(20);
    static final URI LOCAL_FILE = Path.of("pom.xml").toAbsolutePath().toUri();

    @Test
    void blockingInANativeCallbackIsReportedAsPinned() throws Exception {
        try (var reports = new Debugging.ReportCollector()) {
            int[] sorted = TaskGroup.run(g -> g.spawn("sorter", () -> {
                try {
                    return NativeCallbackPin.sortNatively(new int[] {3, 1});
                } catch (Throwable t) {
                    throw new AssertionError(t);
                }
            }).join());
            assertArrayEquals(new int[] {1, 3}, sorted);
            DebugReport r = reports.await(DebugReport.Kind.PINNED, MAX);
            System.out.println(r.summary() + "\n" + r.detail());
            assertEquals("sorter", r.taskName());
            assertTrue(r.summary().contains("Native or VM frame on stack"), r.summary());
        }
    }

    @Test
    void blockingInAClassInitializerIsReportedAsPinned() throws Exception {
        try (var reports = new Debugging.ReportCollector()) {
            int length = TaskGroup.run(g -> g.spawn("config-reader", ClassInitBlocking::settingsLength).join());
            assertEquals(Files.readString(Path.of("pom.xml")).length(), length);
            DebugReport r = reports.await(DebugReport.Kind.PINNED, MAX);
            System.out.println(r.summary() + "\n" + r.detail());
            assertEquals("config-reader", r.taskName());
            assertTrue(r.summary().contains("<clinit>"), r.summary());
        }
    }

    @Test
    void aWeftJoinInACommonPoolStageIsReported() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (var reports = new Debugging.ReportCollector()) {
            String shouted = TaskGroup.run(g -> {
                Task<String> task = g.spawn("greeting", () -> {
                    release.await(); // still running when the stage joins it
                    return "hello";
                });
                CompletableFuture<Task<String>> pending = new CompletableFuture<>();
                CompletableFuture<String> stage = CommonPoolStage.shout(pending); // the stage is attached first,
                CompletableFuture<Void> completer = CompletableFuture.runAsync(() -> pending.complete(task));
                // so it runs on the common-pool worker that completes `pending`, not on this thread
                DebugReport r = reports.await(DebugReport.Kind.BLOCKING_IN_WRONG_PLACE, MAX);
                System.out.println(r.summary() + "\n" + r.detail());
                assertTrue(r.summary().contains("common-pool thread"), r.summary());
                release.countDown();
                completer.get(20, TimeUnit.SECONDS);
                return stage.get(20, TimeUnit.SECONDS);
            });
            assertEquals("HELLO", shouted);
        } finally {
            release.countDown();
        }
    }

    @Test
    void theOtherBlockingPitfallsRunAndWorkWhichIsWhyTheyGoUnnoticed() throws Exception {
        assertTrue(CommonPoolStage.sizeOf(LOCAL_FILE).get(20, TimeUnit.SECONDS) > 0);
        assertTrue(new SynchronizedIo().config(LOCAL_FILE).length > 0);
        RunningApp server = WebApp.builder().host("127.0.0.1").port(0)
                .get("/", r -> WebResponse.text("hi")).build().start();
        HttpClient jetty = new HttpClient();
        try {
            jetty.start();
            assertEquals(200, JettyCallback.statusThenAudit(jetty, server.uri(), LOCAL_FILE).get(20, TimeUnit.SECONDS));
        } finally {
            jetty.stop();
            server.close();
        }
    }

    @Test
    void orphanedJdkTasksRun() throws Exception {
        CountDownLatch ran = new CountDownLatch(3);
        try (ExecutorService pool = Executors.newFixedThreadPool(1)) {
            Orphans.fireAndForget(pool, ran::countDown);
            assertTrue(ran.await(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void anUnreadSupervisorFailureIsReportedWhenItsHandleIsCollected() throws Exception {
        try (var reports = new Debugging.ReportCollector()) {
            Orphans.auditInBackground();
            DebugReport r = null;
            for (int i = 0; i < 100 && r == null; i++) {
                System.gc();
                try {
                    r = reports.await(DebugReport.Kind.UNOBSERVED_FAILURE, Duration.ofMillis(200));
                } catch (AssertionError notYet) {
                    // the Cleaner has not run yet
                }
            }
            assertTrue(r != null, "no UNOBSERVED_FAILURE report");
            System.out.println(r.summary() + "\n" + r.detail());
            assertEquals("audit", r.taskName());
        }
    }

    @Test
    void aGroupLeftOpenByMainIsReportedAndCancelled() throws Exception {
        try (var reports = new Debugging.ReportCollector()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, Orphans::startAndReturn);
            System.out.println(e.getMessage());
            DebugReport r = reports.await(DebugReport.Kind.RUNNING_AT_EXIT, MAX);
            System.out.println(r.summary() + "\n" + r.detail());
            assertTrue(r.detail().contains("task 'poller' RUNNING"), r.detail());
        }
    }
}
