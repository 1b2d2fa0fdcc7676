package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.CancelScope;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.http.HttpSession;
import dev.weft.http.Request;
import dev.weft.http.RunningApp;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the service of docs/production-patterns.md on loopback: jobs in, drain, worker finishes. */
class ProductionPatternsTest {
    @Test
    void serviceAcceptsJobsThenDrainsAndTheWorkerFinishesThem() throws Exception {
        CompletableFuture<RunningApp> ready = new CompletableFuture<>();
        ProductionPatterns.Stopped stopped = TaskGroup.run(group -> {
            Task<ProductionPatterns.Stopped> service = group.spawn("service",
                    () -> ProductionPatterns.serve(0, ConcurrencyPatterns::fetch, ready::complete));
            RunningApp app = ready.get(30, TimeUnit.SECONDS);
            try (HttpSession session = HttpSession.create()) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(202, session.send(Request.post(app.uri().resolve("/jobs").toString()).withText("job" + i)).status());
                }
                assertEquals(200, session.get(app.uri().resolve("/health/ready").toString()).status());
            }
            app.shutdown();
            return service.join();
        });
        assertEquals(5, stopped.processed());
        assertTrue(stopped.report().clean(), stopped.report().toString());
    }

    /** What SIGTERM does under Weft.run: a cancellation from outside; queued jobs still finish. */
    @Test
    void aCancellationFromOutsideDrainsAndTheShieldedWorkerFinishesTheQueuedJobs() throws Exception {
        CompletableFuture<RunningApp> ready = new CompletableFuture<>();
        CountDownLatch firstJobStarted = new CountDownLatch(1);
        CountDownLatch gate = new CountDownLatch(1);
        Queue<String> handled = new ConcurrentLinkedQueue<>();
        CancelScope signal = CancelScope.create();
        Optional<ProductionPatterns.Stopped> result = TaskGroup.run(group -> {
            Task<Optional<ProductionPatterns.Stopped>> service = group.spawn("service", () -> signal.run(
                    () -> ProductionPatterns.serve(0, job -> {
                        firstJobStarted.countDown();
                        gate.await(); // the worker is busy when the cancellation comes
                        return handled.add(job);
                    }, ready::complete)));
            RunningApp app = ready.get(30, TimeUnit.SECONDS);
            try (HttpSession session = HttpSession.create()) {
                for (int i = 0; i < 5; i++) {
                    assertEquals(202, session.send(Request.post(app.uri().resolve("/jobs").toString()).withText("job" + i)).status());
                }
            }
            firstJobStarted.await();
            signal.cancel();   // as SIGTERM cancels Weft.run's root
            gate.countDown();  // the job in hand finishes; four are still queued
            return service.join();
        });
        assertTrue(result.isEmpty(), "the cancelled scope returns empty");
        assertEquals(List.of("job0", "job1", "job2", "job3", "job4"), List.copyOf(handled));
    }
}
