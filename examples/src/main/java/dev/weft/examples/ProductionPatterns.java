package dev.weft.examples;

import dev.weft.CancelScope;
import dev.weft.TaskGroup;
import dev.weft.Weft;
import dev.weft.channel.QueueShutdownException;
import dev.weft.channel.WorkQueue;
import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebException;
import dev.weft.http.WebResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The samples of {@code docs/production-patterns.md}: a {@code main} under {@link Weft#main},
 * a web app with health checks and graceful drain, and a background worker that finishes the
 * queued jobs before the process exits.
 */
public final class ProductionPatterns {
    private ProductionPatterns() {
    }

    /**
     * How the service stopped.
     *
     * @param report the web app's drain report
     * @param processed jobs the worker finished
     */
    public record Stopped(RunningApp.ShutdownReport report, long processed) {
    }

    // tag::main[]
    /**
     * Runs the service until SIGTERM or Ctrl-C.
     *
     * @param args {@code [port]}
     */
    public static void main(String[] args) {
        Weft.main(args, ProductionPatterns::run); // exit 0, 1 on failure, 130/143 on SIGINT/SIGTERM
    }

    static void run(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Stopped stopped = serve(port, ConcurrencyPatterns::fetch, app -> System.out.println("listening on " + app.uri()));
        System.out.println("stopped: " + stopped);
    }
    // end::main[]

    // tag::service[]
    static Stopped serve(int port, Weft.ThrowingFunction<String, ?> handleJob, Consumer<RunningApp> onReady)
            throws Exception {
        WorkQueue<String> jobs = WorkQueue.fifo(1000);   // bounded: back-pressure, not memory growth
        AtomicLong processed = new AtomicLong();
        WebApp app = WebApp.builder()
                .host("127.0.0.1").port(port)
                .requestTimeout(Duration.ofSeconds(5))
                .drainTimeout(Duration.ofSeconds(20))    // requests in flight may finish on SIGTERM
                .post("/jobs", request -> {
                    if (!jobs.tryPut(request.text())) {
                        throw new WebException(503, "job queue full, retry later");
                    }
                    return WebResponse.status(202);
                })
                .get("/stats", request -> WebResponse.json(Map.of("processed", processed.get())))
                .readinessCheck("queue", Duration.ofMillis(100), () -> jobs.size() < 900)
                .build();
        // the worker's own scope: shielded, so a SIGTERM does not cut a job in half; it ends when
        // the queue is shut down and drained, or when the deadline set at shutdown passes
        CancelScope workerScope = CancelScope.create().shielded();
        RunningApp.ShutdownReport report = TaskGroup.run(group -> {
            group.launch("worker", () -> workerScope.run(() -> {
                while (true) {
                    String job;
                    try {
                        job = jobs.get();
                    } catch (QueueShutdownException e) {
                        return null;                     // shut down and drained
                    }
                    try {
                        handleJob.apply(job);
                        processed.incrementAndGet();
                    } finally {
                        jobs.taskDone();
                    }
                }
            }));
            try {
                return app.serve(onReady);               // until SIGTERM/SIGINT or app.shutdown()
            } finally {
                workerScope.rescheduleAfter(Duration.ofSeconds(10)); // the drain below gets 10 s
                jobs.shutdown();                         // no new jobs; the worker drains the rest
            }
        });
        return new Stopped(report, processed.get());     // the group has waited for the worker
    }
    // end::service[]
}
