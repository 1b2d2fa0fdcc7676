package dev.weft.http;

import dev.weft.Weft;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A started {@link WebApp}: its port, state, requests in flight, and its graceful shutdown.
 *
 * <h2>Design</h2> The app counts requests in flight itself (Helidon's own stop has a short grace
 * period and interrupts what is still running): an admission filter in front of every route
 * increments the count, <em>then</em> reads the state, and refuses (decrementing again) unless
 * the app is running; shutdown sets the state to {@code DRAINING}, <em>then</em> waits for the
 * count to reach zero. Both are volatile accesses, so either a request sees {@code DRAINING} and
 * is refused, or the drain sees its count: no request slips in unseen. The count's zero is
 * signalled through a {@link ReentrantLock} condition, held only to signal and wait.
 *
 * <h2>Thread safety</h2> All methods are thread-safe; {@link #shutdown()} is idempotent (later and
 * concurrent callers wait for the first one and get the same report).
 */
public final class RunningApp implements AutoCloseable {
    private static final System.Logger LOG = WebApp.LOG;

    /**
     * What a shutdown did.
     *
     * @param drainTime how long the drain waited for requests in flight
     * @param abandonedRequests requests still in flight at the drain deadline (interrupted by the stop)
     * @param cleanupErrors failures of cleanup hooks, in the order they ran (each was also logged)
     */
    public record ShutdownReport(Duration drainTime, int abandonedRequests, List<Throwable> cleanupErrors) {
        /**
         * Whether every request in flight finished and every cleanup succeeded.
         *
         * @return {@code true} if nothing was abandoned and no cleanup failed
         */
        public boolean clean() {
            return abandonedRequests == 0 && cleanupErrors.isEmpty();
        }
    }

    record Cleanup(String name, AutoCloseable resource) {
    }

    private final WebApp app;
    private volatile WebServer server;
    private volatile WebApp.State state = WebApp.State.STARTING;
    private volatile List<Cleanup> cleanups = List.of();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    private final AtomicBoolean shutdownStarted = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch shutdownRequested = new CountDownLatch(1);
    private volatile ShutdownReport report;

    RunningApp(WebApp app) {
        this.app = app;
    }

    void started(WebServer server) {
        this.server = server;
    }

    void setCleanups(List<Cleanup> list) {
        this.cleanups = List.copyOf(list);
    }

    void running() {
        state = WebApp.State.RUNNING;
    }

    /**
     * The port the listener is bound to.
     *
     * @return the bound port
     */
    public int port() {
        return server.port();
    }

    /**
     * {@code http://host:port} (127.0.0.1 when listening on all interfaces).
     *
     * @return the app's base URI
     */
    public URI uri() {
        String h = app.host.equals("0.0.0.0") || app.host.equals("::") ? "127.0.0.1" : app.host;
        return URI.create("http://" + h + ":" + port());
    }

    /**
     * The current state.
     *
     * @return the state now
     */
    public WebApp.State state() {
        return state;
    }

    /**
     * Requests being handled now (health requests excluded).
     *
     * @return the number of requests being handled now
     */
    public int inFlight() {
        return inFlight.get();
    }

    // ------------------------------------------------------------------------------- admission

    void admit(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String path = req.path().path();
        if (path.equals("/health") || path.startsWith("/health/")) {
            chain.proceed();
            return;
        }
        inFlight.incrementAndGet();
        try {
            WebApp.State st = state;
            if (st != WebApp.State.RUNNING) {
                String why = st == WebApp.State.STARTING ? "the server is starting" : "the server is shutting down";
                res.status(503);
                res.header("Connection", "close");
                res.header("Retry-After", "1");
                res.header("Content-Type", "application/json");
                res.send(dev.weft.http.internal.Json.MAPPER.writeValueAsBytes(WebAppErrors.body(503, why)));
                return;
            }
            chain.proceed();
        } finally {
            if (inFlight.decrementAndGet() == 0 && state == WebApp.State.DRAINING) {
                lock.lock();
                try {
                    idle.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    // ------------------------------------------------------------------------------- shutdown

    /**
     * Begins the drain without waiting: readiness answers 503 and new requests are refused from
     * now on (for a Kubernetes {@code preStop} hook, or a test). {@link #shutdown()} completes it.
     */
    public void beginDrain() {
        if (state == WebApp.State.RUNNING || state == WebApp.State.STARTING) {
            state = WebApp.State.DRAINING;
        }
    }

    /**
     * Drains and stops: see {@link WebApp}'s class comment. Not interrupted by the caller's
     * cancellation (it runs shielded, bounded by the drain timeout). Idempotent.
     *
     * @return what the shutdown did (the first call's report, on every call)
     */
    public ShutdownReport shutdown() {
        if (!shutdownStarted.compareAndSet(false, true)) {
            awaitUninterruptibly(stopped);
            return report;
        }
        shutdownRequested.countDown();
        try {
            report = Weft.shield(this::doShutdown);
        } finally {
            stopped.countDown();
        }
        return report;
    }

    /** As {@link #shutdown()}. */
    @Override
    public void close() {
        shutdown();
    }

    /** Waits until {@link #shutdown()} was called (by anyone). */
    void awaitStopped() throws InterruptedException {
        shutdownRequested.await();
    }

    private ShutdownReport doShutdown() {
        long t0 = System.nanoTime();
        beginDrain();
        boolean interrupted = false;
        long deadline = t0 + app.drainTimeout.toNanos();
        lock.lock();
        try {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    idle.awaitNanos(left);
                } catch (InterruptedException e) {
                    interrupted = true; // keep draining: the drain timeout bounds this wait
                }
            }
        } finally {
            lock.unlock();
        }
        Duration drainTime = Duration.ofNanos(System.nanoTime() - t0);
        int abandoned = inFlight.get();
        if (abandoned > 0) {
            LOG.log(System.Logger.Level.WARNING, "drain timeout {0} passed with {1} request(s) in flight; stopping anyway",
                    app.drainTimeout, abandoned);
        }
        stopServer();
        state = WebApp.State.STOPPED;
        List<Throwable> errors = runCleanups();
        if (interrupted) {
            dev.weft.Weft.restoreInterrupt();
        }
        return new ShutdownReport(drainTime, abandoned, errors);
    }

    Throwable[] abortStart() {
        shutdownStarted.set(true);
        state = WebApp.State.STOPPED;
        stopServer();
        List<Throwable> errors = runCleanups();
        report = new ShutdownReport(Duration.ZERO, 0, errors);
        shutdownRequested.countDown();
        stopped.countDown();
        return errors.toArray(new Throwable[0]);
    }

    private void stopServer() {
        WebServer s = server;
        if (s != null) {
            try {
                s.stop();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "stopping the Helidon server failed", e);
            }
        }
    }

    private List<Throwable> runCleanups() {
        List<Throwable> errors = new ArrayList<>();
        List<Cleanup> list = cleanups;
        for (int i = list.size() - 1; i >= 0; i--) {
            Cleanup c = list.get(i);
            try {
                c.resource().close();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "cleanup ''" + c.name() + "'' failed", t);
                errors.add(t);
            }
        }
        return List.copyOf(errors);
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await(1, TimeUnit.DAYS);
                if (latch.getCount() == 0) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            dev.weft.Weft.restoreInterrupt();
        }
    }

    @Override
    public String toString() {
        return "RunningApp[" + (server == null ? "?" : uri()) + ", " + state + ", " + inFlight.get() + " in flight]";
    }
}
