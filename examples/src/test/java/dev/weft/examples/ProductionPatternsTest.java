package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.http.HttpSession;
import dev.weft.http.Request;
import dev.weft.http.RunningApp;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Runs the service of docs/production-patterns.md on loopback: jobs in, drain, worker finishes. */
class ProductionPatternsTest {
    @Test
    void serviceAcceptsJobsThenDrainsAndTheWorkerFinishesThem() throws Exception {
        CompletableFuture<RunningApp> ready = new CompletableFuture<>();
        ProductionPatterns.Stopped stopped = TaskGroup.run(group -> {
            Task<ProductionPatterns.Stopped> service = group.spawn("service",
                    () -> ProductionPatterns.serve(0, ready::complete));
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
}
