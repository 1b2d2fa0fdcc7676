package ${package};

import dev.weft.CancelScope;
import dev.weft.TaskGroup;
import dev.weft.Weft;
import dev.weft.http.HttpSession;
import dev.weft.http.RunningApp;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The entry point. {@code main} reads and checks the configuration (exit status 2 with a message
 * listing every problem), sets up JSON logging, and runs the service under {@link Weft#main}: a
 * SIGTERM or Ctrl-C starts the graceful shutdown, a second one exits at once.
 *
 * <h2>Shutdown</h2> On SIGTERM: readiness turns DOWN, new requests get 503, requests in flight
 * finish (up to {@code drain.timeout}); then the job queue stops taking jobs and the workers finish
 * the queued ones (up to {@code drain.timeout} again); then the HTTP client closes and the process
 * exits 0 (1 if requests or jobs had to be abandoned).
 */
public final class App {
    private static final System.Logger LOG = System.getLogger(App.class.getName());

    private App() {
    }

    /**
     * What the shutdown left undone.
     *
     * @param abandonedRequests requests still running at the end of the drain (cut off)
     * @param abandonedJobs jobs queued or running at the end of the drain (lost)
     * @param cleanupErrors cleanups that failed
     */
    public record Report(int abandonedRequests, long abandonedJobs, int cleanupErrors) {
        /**
         * Whether nothing was abandoned.
         *
         * @return true for a clean shutdown
         */
        public boolean clean() {
            return abandonedRequests == 0 && abandonedJobs == 0 && cleanupErrors == 0;
        }
    }

    /**
     * Starts the service.
     *
     * @param args {@code --config FILE} (optional)
     */
    public static void main(String[] args) {
        Config config;
        try {
            config = Config.load(System.getenv(), args, Config.DEFAULT_FILE);
        } catch (Config.Invalid e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        JsonLogFormatter.install(config.logLevel());
        boolean[] clean = {true};
        int status = Weft.exitStatus(args, a -> clean[0] = run(config, new Metrics(), running ->
                LOG.log(Level.INFO, "listening", Map.of("uri", running.uri().toString(), "port", running.port()))).clean());
        System.out.flush();
        System.exit(status == 0 && !clean[0] ? 1 : status);
    }

    /**
     * Runs the service until the calling task is cancelled (SIGTERM or SIGINT under {@link Weft#run})
     * or someone calls {@link RunningApp#shutdown()}, then shuts down gracefully (see the class comment).
     *
     * @param config the configuration
     * @param metrics where the service counts (served by {@code GET /metrics})
     * @param onReady called once the service is listening and its startup hooks have run
     * @return what the shutdown left undone
     * @throws Exception if the service could not start (the message says why: the port is taken...)
     */
    public static Report run(Config config, Metrics metrics, Consumer<RunningApp> onReady) throws Exception {
        HttpSession session = Service.httpSession(config);
        try {
            Jobs jobs = new Jobs(config, session, metrics);
            // Shielded: a SIGTERM does not interrupt a job halfway. Its deadline, set when the drain
            // begins, bounds how long the queued jobs may take.
            CancelScope jobScope = CancelScope.create().shielded();
            RunningApp.ShutdownReport http;
            try (TaskGroup group = TaskGroup.open("service")) {
                group.launch("jobs", () -> jobScope.run(() -> {
                    jobs.run();
                    return null;
                }));
                try {
                    http = Service.webApp(config, session, jobs, metrics).serve(onReady);
                    LOG.log(Level.INFO, "requests drained", Map.of("ms", http.drainTime().toMillis(),
                            "abandoned", http.abandonedRequests(), "queuedJobs", jobs.unfinished()));
                } finally {
                    // the deadline first: once the queue is shut, the workers may drain it and end the
                    // scope at once, and a finished scope cannot be rescheduled
                    jobScope.rescheduleAfter(config.drainTimeout());
                    jobs.shutdown(); // no more jobs (the HTTP side is closed); the workers finish the queued ones
                }
            } // the group's close waits for the workers: the queue empties, or the drain deadline cancels them
            long abandonedJobs = jobs.unfinished();
            Report report = new Report(http.abandonedRequests(), abandonedJobs, http.cleanupErrors().size());
            LOG.log(report.clean() ? Level.INFO : Level.WARNING, "stopped", Map.of("abandonedRequests", report.abandonedRequests(),
                    "abandonedJobs", abandonedJobs, "cleanupErrors", report.cleanupErrors()));
            return report;
        } finally {
            // after a SIGTERM this thread stays cancelled: close the client shielded, so that its own
            // shutdown (which waits for its threads) is not cut short
            Weft.shield(() -> {
                session.close();
                return null;
            });
        }
    }
}
