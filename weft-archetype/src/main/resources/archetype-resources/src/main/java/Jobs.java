package ${package};

import dev.weft.CancelScope;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.Weft;
import dev.weft.channel.QueueShutdownException;
import dev.weft.channel.WorkQueue;
import dev.weft.http.HttpException;
import dev.weft.http.HttpSession;
import dev.weft.http.Response;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Background jobs: a bounded {@link WorkQueue} and a fixed number of workers taking from it. The
 * example job checks a URL (a link checker): the worker fetches it through the service's
 * {@link HttpSession} (so the per-host limit, retry budget and circuit breaker apply) under the
 * job's own time limit, and records the status, size and time. Replace {@link #process} with the
 * service's own work.
 *
 * <h2>Shutdown</h2> {@link #run()} runs the workers until {@link #shutdown()}; then they finish the
 * jobs already queued and return. The owner runs {@link #run()} in a shielded {@link CancelScope}
 * (see {@link App}), so a SIGTERM does not interrupt a job halfway; that scope's deadline, set when
 * the drain begins, bounds how long the queued jobs may take.
 */
public final class Jobs {
    private static final System.Logger LOG = System.getLogger(Jobs.class.getName());
    /** Jobs kept for {@code GET /jobs/{id}}; older ones are forgotten. */
    static final int KEEP = 10_000;

    /** A job's state. */
    public enum State {
        /** In the queue. */
        QUEUED,
        /** A worker has it. */
        RUNNING,
        /** Finished; the result says how. */
        DONE,
        /** It failed (the error says why) or ran out of time. */
        FAILED
    }

    /**
     * A job and what became of it.
     *
     * @param id the job's number
     * @param url the URL to check
     * @param state its state
     * @param httpStatus the status the URL answered (0 before it answered)
     * @param bytes the size of the body
     * @param ms how long the check took
     * @param error why it failed, or null
     */
    public record Job(long id, URI url, State state, int httpStatus, int bytes, long ms, String error) {
        Job with(State s, int status, int size, long took, String err) {
            return new Job(id, url, s, status, size, took, err);
        }
    }

    private final HttpSession session;
    private final Metrics metrics;
    private final Duration jobTimeout;
    private final int workers;
    private final WorkQueue<Job> queue;
    private final Map<Long, Job> jobs = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final CountDownLatch started;
    private final AtomicInteger alive = new AtomicInteger();
    /** Per worker: when its current job started (System.nanoTime), 0 when idle. */
    private final AtomicLongArray busySince;

    /**
     * Jobs with their workers (not started: see {@link #run()}).
     *
     * @param config the configuration (workers, queue size, job timeout)
     * @param session the HTTP client the jobs use
     * @param metrics where the jobs are counted
     */
    public Jobs(Config config, HttpSession session, Metrics metrics) {
        this.session = session;
        this.metrics = metrics;
        this.jobTimeout = config.jobTimeout();
        this.workers = config.workers();
        this.queue = WorkQueue.fifo(config.queueSize());
        this.started = new CountDownLatch(workers);
        this.busySince = new AtomicLongArray(workers);
        metrics.gauge("app_jobs_queued", queue::size);
        metrics.gauge("app_jobs_workers_alive", alive::get);
    }

    /**
     * Queues a job, or refuses it at once when the queue is full (the caller answers 503: back-pressure
     * instead of an unbounded backlog).
     *
     * @param url the URL to check
     * @return the job, or empty if the queue is full or shut down
     */
    public Optional<Job> submit(URI url) {
        Job job = new Job(ids.incrementAndGet(), url, State.QUEUED, 0, 0, 0, null);
        jobs.put(job.id(), job);
        jobs.remove(job.id() - KEEP);
        if (!queue.tryPut(job)) {
            jobs.remove(job.id());
            metrics.count("app_jobs_total{state=\"rejected\"}");
            return Optional.empty();
        }
        metrics.count("app_jobs_total{state=\"queued\"}");
        return Optional.of(job);
    }

    /**
     * A job by number.
     *
     * @param id the number
     * @return the job as it is now, or empty if unknown or forgotten
     */
    public Optional<Job> get(long id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /**
     * Runs the workers until {@link #shutdown()} and the queue is empty, or until cancelled.
     *
     * @throws InterruptedException if cancelled (the enclosing scope's deadline: jobs left in the queue are abandoned)
     */
    public void run() throws InterruptedException {
        TaskGroup.run(g -> {
            for (int i = 0; i < workers; i++) {
                int worker = i;
                g.launch("job-worker-" + i, () -> work(worker));
            }
            return null;
        });
    }

    private void work(int worker) throws InterruptedException {
        alive.incrementAndGet();
        started.countDown();
        try {
            while (true) {
                Job job;
                try {
                    job = queue.get();
                } catch (QueueShutdownException e) {
                    return; // shut down and empty: this worker is done
                }
                busySince.set(worker, Math.max(1, System.nanoTime()));
                try {
                    process(job);
                } finally {
                    busySince.set(worker, 0);
                    queue.taskDone();
                }
            }
        } finally {
            alive.decrementAndGet();
        }
    }

    /** One job: fetch the URL under the job's time limit; record the outcome. A cancellation is not a job failure. */
    private void process(Job job) throws InterruptedException {
        jobs.put(job.id(), job.with(State.RUNNING, 0, 0, 0, null));
        long t0 = System.nanoTime();
        try {
            Response r = Timeouts.failAfter(jobTimeout, () -> session.get(job.url().toString()));
            long ms = (System.nanoTime() - t0) / 1_000_000;
            jobs.put(job.id(), job.with(State.DONE, r.status(), r.body().length, ms, null));
            metrics.count("app_jobs_total{state=\"done\"}");
            LOG.log(Level.DEBUG, "job done", Map.of("job", job.id(), "url", job.url(), "status", r.status(), "ms", ms));
        } catch (HttpException | dev.weft.DeadlineExceededException | dev.weft.resilience.RejectedException e) {
            long ms = (System.nanoTime() - t0) / 1_000_000;
            jobs.put(job.id(), job.with(State.FAILED, 0, 0, ms, e.getMessage()));
            metrics.count("app_jobs_total{state=\"failed\"}");
            LOG.log(Level.INFO, "job failed", Map.of("job", job.id(), "url", job.url(), "error", String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            if (Weft.isCancellation(e)) {
                throw e;
            }
            jobs.put(job.id(), job.with(State.FAILED, 0, 0, 0, e.toString()));
            metrics.count("app_jobs_total{state=\"failed\"}");
            LOG.log(Level.WARNING, "job failed unexpectedly: " + job.id(), e);
        }
    }

    /** Refuses new jobs; the workers finish the queued ones, then {@link #run()} returns. */
    public void shutdown() {
        queue.shutdown();
    }

    /**
     * Jobs queued or running.
     *
     * @return the count of unfinished jobs
     */
    public long unfinished() {
        return queue.unfinished();
    }

    /**
     * Startup check: every worker has started.
     *
     * @return whether they all run
     */
    public boolean started() {
        return started.getCount() == 0;
    }

    /**
     * Readiness check: every worker is alive and the queue has room (below 90% full).
     *
     * @return whether new jobs will be taken
     */
    public boolean ready() {
        return alive.get() == workers && queue.size() < Math.max(1, queue.maxSize() * 9L / 10);
    }

    /**
     * Liveness check: no worker has been on one job for more than twice the job timeout (a job
     * ignoring its cancellation: restarting the process is the cure).
     *
     * @return whether no worker is stuck
     */
    public boolean live() {
        long now = System.nanoTime();
        long limit = jobTimeout.multipliedBy(2).toNanos();
        for (int i = 0; i < workers; i++) {
            long since = busySince.get(i);
            if (since != 0 && now - since > limit) {
                return false;
            }
        }
        return true;
    }
}
