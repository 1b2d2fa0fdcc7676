package dev.weft.http;

import dev.weft.CancelScope;
import dev.weft.DeadlineExceededException;
import dev.weft.Outcome;
import dev.weft.Timeouts;
import dev.weft.Weft;
import dev.weft.http.internal.Json;
import io.helidon.http.DirectHandler;
import io.helidon.http.Method;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.http1.Http1Config;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * A web application on the Helidon SE 4 WebServer: aiohttp's {@code web.Application} with the
 * production behaviour a service needs built in. Every request runs on its own virtual thread.
 *
 * {@snippet :
 * WebApp app = WebApp.builder()
 *         .port(8080)
 *         .get("/hello/{name}", req -> WebResponse.text("hello " + req.pathParam("name")))
 *         .post("/items", req -> WebResponse.json(201, store.add(req.json(Item.class))))
 *         .filter((req, next) -> next.handle(req).withHeader("X-Served-By", "weft"))
 *         .onStartup("db", () -> { db = Db.open(); return db; })        // closed at shutdown
 *         .readinessCheck("db", Duration.ofSeconds(1), () -> db.ping())
 *         .build();
 * Weft.run(() -> app.serve(running -> System.out.println("listening on " + running.uri())));
 * }
 *
 * <h2>Lifecycle</h2> {@link #start()}: the listener opens (health answers at once; other routes
 * answer 503 while starting), the {@linkplain Builder#onStartup startup hooks} run in order, each
 * returning its cleanup, and the app is {@link State#RUNNING RUNNING}. If a hook fails, the
 * cleanups of the hooks that ran are run in reverse order and {@code start()} throws.
 * {@link RunningApp#shutdown()}: graceful drain (below), then the listener stops, then every
 * cleanup runs in reverse order of its startup (aiohttp's {@code cleanup_ctx}), each even if an
 * earlier one failed.
 *
 * <h2>Graceful drain</h2> When shutdown begins (a SIGTERM or SIGINT under {@link Weft#run} while in
 * {@link #serve}, or {@link RunningApp#shutdown()}): readiness answers 503 at once; new requests
 * are refused with 503 and {@code Connection: close}; requests in flight (the app counts them
 * itself) run to completion until the {@linkplain Builder#drainTimeout drain timeout}, their
 * responses closing their connections; then the Helidon server stops (interrupting whatever is
 * still running) and the cleanups run. A second signal exits the process at once (Weft.run).
 *
 * <h2>Request deadlines</h2> Each handler runs inside a {@link CancelScope} with the
 * {@linkplain Builder#requestTimeout request timeout}: {@link dev.weft.Deadline#current()} in the
 * handler is the request's deadline, and Weft operations inside honour it. A handler still
 * running at its deadline is cancelled and the client gets 504.
 *
 * <h2>Errors and limits</h2> An exception thrown by a handler or filter becomes an answer with a
 * JSON body: a {@link WebException} its status; a deadline (the request's own, or one inside the
 * handler) 504; an open circuit breaker, a full bulkhead or a rate limiter's rejection 503 with
 * {@code Retry-After} when known; another failed outgoing call ({@link HttpException}) 502; an
 * {@link IllegalArgumentException} 400 (its message is sent: use it for validation); anything else
 * 500 (logged, the message is not sent). {@link Builder#errorMapper} overrides this per app; see
 * {@link ErrorMapper#defaultResponse}. A request line that is not valid HTTP gets 400, a method the
 * server does not know (no route uses it, and it is not a standard one) 501. Bodies larger than
 * {@link Builder#maxBodySize} get 413; header sections larger than {@link Builder#maxHeaderSize}
 * get 400 (Helidon's parser answers 400, not 431), as do malformed requests; none of them
 * disturbs other requests.
 *
 * <h2>Health</h2> {@code GET /health/live}, {@code /health/ready}, {@code /health/started} and
 * {@code /health} (all three) answer 200 when UP and 503 when DOWN, with a JSON body listing each
 * check. Readiness is DOWN unless the app is RUNNING; startup is UP from RUNNING on. User checks
 * run concurrently, each with its own timeout.
 *
 * <h2>Thread safety</h2> A built {@code WebApp} is immutable and can be started several times
 * (each start is a separate server).
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.HttpPatterns" region="fan-out-route"}
 */
public final class WebApp {
    static final System.Logger LOG = System.getLogger(WebApp.class.getName());

    /** The app's state. */
    public enum State {
        /** The listener is open; startup hooks are running; only health answers. */
        STARTING,
        /** Serving. */
        RUNNING,
        /** Shutting down: finishing the requests in flight, refusing new ones. */
        DRAINING,
        /** The listener is closed and the cleanups have run. */
        STOPPED
    }

    /**
     * Sees every answered request, for metrics and access logs (weft-micrometer's
     * {@code WebAppMetrics} is one). Called on the request's thread after the response was
     * written (or its writing failed), outside any lock; keep it short and non-blocking. An
     * observer that throws is logged ({@code WARNING}) and ignored. Health endpoints and requests
     * refused while the app starts or drains (503) are not observed: {@link RunningApp#inFlight()}
     * and {@link RunningApp#state()} cover those.
     */
    @FunctionalInterface
    public interface RequestObserver {
        /**
         * One request was answered.
         *
         * @param method the request method ({@code "GET"})
         * @param route the route's path template as registered ({@code "/items/{id}"}), or
         *     {@code "NOT_FOUND"} (no route matched: 404) or {@code "UNKNOWN_METHOD"} (501)
         * @param status the status code sent
         * @param nanos how long the request took, from routing to the end of the response body
         */
        void onResponse(String method, String route, int status, long nanos);
    }

    /** A startup hook: does its setup and returns its cleanup ({@code null}: nothing to clean up). */
    @FunctionalInterface
    public interface Startup {
        /**
         * Does the hook's setup.
         * @return the cleanup run at shutdown, or null for none
         * @throws Exception a failure: the app does not start and the earlier hooks' cleanups run
         */
        AutoCloseable start() throws Exception;
    }

    record Route(String method, String path, WebHandler handler) {
    }

    record Hook(String name, Startup startup) {
    }

    record Check(String name, Duration timeout, HealthCheck check) {
    }

    final String host;
    final int port;
    final Duration requestTimeout;
    final Duration drainTimeout;
    final long maxBodySize;
    final int maxHeaderSize;
    final List<Route> routes;
    final List<WebFilter> filters;
    final List<Hook> hooks;
    final List<Check> liveness;
    final List<Check> readiness;
    final List<Check> startup;
    final List<ErrorMapper> errorMappers;
    private final RequestObserver observer; // null: none

    private WebApp(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.requestTimeout = b.requestTimeout;
        this.drainTimeout = b.drainTimeout;
        this.maxBodySize = b.maxBodySize;
        this.maxHeaderSize = b.maxHeaderSize;
        this.routes = List.copyOf(b.routes);
        this.filters = List.copyOf(b.filters);
        this.hooks = List.copyOf(b.hooks);
        this.liveness = List.copyOf(b.liveness);
        this.readiness = List.copyOf(b.readiness);
        this.startup = List.copyOf(b.startup);
        this.errorMappers = List.copyOf(b.errorMappers);
        this.observer = b.observer;
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Opens the listener, runs the startup hooks and returns the running app. The caller owns
     * it: {@link RunningApp#close()} (or {@code shutdown()}) drains and stops it.
     *
     * @return the running app
     * @throws IllegalStateException if the listener cannot be opened: the port is in use, the host
     *     is unknown or not an address of this machine, or permission to bind was denied; the
     *     message names {@code host:port} and the cause, and the cause (when known) is attached.
     *     Nothing is left running.
     * @throws InterruptedException if the caller was cancelled (a signal under {@link Weft#run})
     *     while the listener was opening
     * @throws Exception whatever a startup hook threw (after the cleanups of the earlier hooks ran);
     *     the listener is closed again before this throws
     */
    public RunningApp start() throws Exception {
        QuietLogging.helidon();
        RunningApp app = new RunningApp(this);
        WebServer server;
        try {
            server = WebServer.builder()
                    .host(host)
                    .port(port)
                    .shutdownHook(false) // Weft.run owns the signals; the drain is ours
                    .shutdownGracePeriod(Duration.ofMillis(100)) // the drain already waited
                    .maxPayloadSize(maxBodySize)
                    .addProtocol(Http1Config.builder().maxHeadersSize(maxHeaderSize).maxPrologueLength(Math.min(maxHeaderSize, 8192))
                            .addReceiveListener(BadRequests.RECEIVED).addSendListener(BadRequests.SENT).build())
                    .directHandlers(d -> d.addHandler(DirectHandler.EventType.INTERNAL_ERROR, BadRequests.INTERNAL_ERROR))
                    .routing(r -> routing(r, app))
                    .build()
                    .start();
        } catch (RuntimeException e) {
            if (Weft.isCancelled() || Thread.currentThread().isInterrupted()) {
                // a signal (or the caller's cancellation) arrived while the listener was opening
                InterruptedException ie = new InterruptedException("the web server's start was cancelled");
                ie.initCause(e);
                throw ie;
            }
            throw new IllegalStateException("could not start the web server on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        if (!server.isRunning() || server.port() < 0) {
            // Helidon 4.5 does not throw when a listener fails to open: it logs the cause and
            // returns a stopped server reporting port -1 (issue 18's silent outage)
            throw StartFailure.listenFailed(host, port);
        }
        app.started(server);
        List<RunningApp.Cleanup> cleanups = new ArrayList<>();
        for (Hook h : hooks) {
            AutoCloseable c;
            try {
                c = h.startup().start();
            } catch (Throwable t) {
                LOG.log(System.Logger.Level.ERROR, "startup hook ''" + h.name() + "'' failed; stopping", t);
                app.setCleanups(cleanups);
                Throwable[] cleanupErrors = app.abortStart();
                for (Throwable e : cleanupErrors) {
                    t.addSuppressed(e);
                }
                throw t;
            }
            if (c != null) {
                cleanups.add(new RunningApp.Cleanup(h.name(), c));
            }
        }
        app.setCleanups(cleanups);
        app.running();
        return app;
    }

    /**
     * Starts the app, calls {@code onReady} with it, and serves until the calling task is
     * cancelled (under {@link Weft#run}: SIGINT or SIGTERM) or someone calls
     * {@link RunningApp#shutdown()}; then drains and stops (see the class comment) and returns the
     * report. Cancellation is the normal way to stop: it is not rethrown, but the calling thread
     * stays cancelled (Weft's blocking calls on it keep failing).
     *
     * @param onReady called once with the running app, when it is ready to serve
     * @return what the shutdown did
     * @throws Exception a startup hook's failure (the app is stopped first), or {@code onReady}'s
     */
    public RunningApp.ShutdownReport serve(Consumer<RunningApp> onReady) throws Exception {
        RunningApp app = start();
        try {
            onReady.accept(app);
            // The wait runs in a scope of its own: weft-core 0.1's root cancellation (Weft.run's
            // signals) does not reach a main task blocked outside any inner scope.
            CancelScope.create().call(() -> {
                app.awaitStopped();
                return null;
            });
            return app.shutdown();
        } catch (InterruptedException e) {
            return app.shutdown();
        } catch (Throwable t) {
            app.shutdown();
            throw t;
        }
    }

    // ------------------------------------------------------------------------------- routing

    private void routing(HttpRouting.Builder r, RunningApp app) {
        r.addFilter((chain, req, res) -> app.admit(chain, req, res));
        r.get("/health/live", (req, res) -> health(res, app, List.of("live")));
        r.get("/health/ready", (req, res) -> health(res, app, List.of("ready")));
        r.get("/health/started", (req, res) -> health(res, app, List.of("started")));
        r.get("/health", (req, res) -> health(res, app, List.of("live", "ready", "started")));
        for (Route route : routes) {
            WebHandler h = route.handler();
            for (int i = filters.size() - 1; i >= 0; i--) {
                WebFilter f = filters.get(i);
                WebHandler next = h;
                h = req -> f.filter(req, next);
            }
            WebHandler chain = h;
            r.route(Method.create(route.method()), route.path(), (req, res) -> {
                long start = observer == null ? 0 : System.nanoTime();
                int[] status = {500};
                try {
                    dispatch(chain, req, res, app, status);
                } finally {
                    observe(route.method(), route.path(), status[0], start);
                }
            });
        }
        java.util.Set<String> routed = new java.util.HashSet<>();
        routes.forEach(route -> routed.add(route.method()));
        r.any((req, res) -> {
            long start = observer == null ? 0 : System.nanoTime();
            String method = req.prologue().method().text();
            if (!BadRequests.STANDARD_METHODS.contains(method) && !routed.contains(method)) {
                // RFC 9110 section 9.1: a method the server does not recognize gets 501
                try {
                    write(res, error(501, "method " + method + " is not implemented by this server"), app);
                } finally {
                    observe(method, "UNKNOWN_METHOD", 501, start);
                }
            } else {
                try {
                    write(res, error(404, "no route for " + method + " " + req.path().path()), app);
                } finally {
                    observe(method, "NOT_FOUND", 404, start);
                }
            }
        });
    }

    private void observe(String method, String route, int status, long start) {
        if (observer == null) {
            return;
        }
        try {
            observer.onResponse(method, route, status, System.nanoTime() - start);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the request observer failed; ignored", e);
        }
    }

    private void dispatch(WebHandler chain, ServerRequest hreq, ServerResponse hres, RunningApp app, int[] status)
            throws Exception {
        WebRequest req = new WebRequest(hreq, maxBodySize);
        WebResponse out;
        CancelScope scope = requestTimeout == null ? null : CancelScope.after(requestTimeout);
        try {
            out = scope == null ? chain.handle(req) : scope.call(() -> chain.handle(req));
        } catch (InterruptedException e) {
            out = error(503, "request cancelled: the server is stopping");
            dev.weft.Weft.restoreInterrupt();
        } catch (Exception e) {
            boolean ownDeadline = e instanceof DeadlineExceededException && scope != null && scope.cancelledCaught();
            out = mapError(req, e, ownDeadline ? error(504, "request deadline exceeded (" + requestTimeout + ")") : null);
        }
        status[0] = out.status();
        write(hres, out, app);
    }

    /** The registered mappers in order, then {@code own} (if not null), then the defaults. */
    private WebResponse mapError(WebRequest req, Exception e, WebResponse own) {
        for (ErrorMapper m : errorMappers) {
            try {
                WebResponse r = m.toResponse(req, e);
                if (r != null) {
                    return r;
                }
            } catch (RuntimeException mapperFailure) {
                mapperFailure.addSuppressed(e);
                LOG.log(System.Logger.Level.WARNING, "an error mapper failed on " + e + "; using the default mapping",
                        mapperFailure);
                break;
            }
        }
        return own != null ? own : WebAppErrors.map(e);
    }

    static WebResponse error(int status, String message) {
        return WebAppErrors.error(status, message);
    }

    static void write(ServerResponse res, WebResponse out, RunningApp app) throws Exception {
        res.status(out.status());
        for (Map.Entry<String, String> h : out.headers()) {
            res.header(h.getKey(), h.getValue());
        }
        if (app.state() != State.RUNNING) {
            res.header("Connection", "close"); // draining: let the client reconnect elsewhere
        }
        if (out.contentType() != null) {
            res.header("Content-Type", out.contentType());
        }
        if (out.writer() != null) {
            if (out.length() >= 0) {
                res.contentLength(out.length());
            }
            try (OutputStream os = res.outputStream()) {
                out.writer().write(os);
            }
        } else {
            res.send(out.body());
        }
    }

    // ------------------------------------------------------------------------------- health

    private void health(ServerResponse res, RunningApp app, List<String> kinds) throws Exception {
        List<Map<String, Object>> checks = new ArrayList<>();
        boolean up = true;
        State st = app.state();
        for (String kind : kinds) {
            switch (kind) {
                case "ready" -> {
                    boolean ok = st == State.RUNNING;
                    checks.add(Map.of("name", "state", "kind", "ready", "status", ok ? "UP" : "DOWN", "state", st.name()));
                    up &= ok;
                    up &= runChecks("ready", readiness, checks);
                }
                case "started" -> {
                    boolean ok = st == State.RUNNING || st == State.DRAINING;
                    checks.add(Map.of("name", "started", "kind", "started", "status", ok ? "UP" : "DOWN", "state", st.name()));
                    up &= ok;
                    up &= runChecks("started", startup, checks);
                }
                default -> up &= runChecks("live", liveness, checks);
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", checks);
        res.status(up ? 200 : 503);
        res.header("Content-Type", "application/json");
        res.header("Cache-Control", "no-store");
        res.send(Json.MAPPER.writeValueAsBytes(body));
    }

    private static boolean runChecks(String kind, List<Check> list, List<Map<String, Object>> out) throws InterruptedException {
        if (list.isEmpty()) {
            return true;
        }
        List<Callable<Boolean>> calls = new ArrayList<>(list.size());
        for (Check c : list) {
            calls.add(() -> Timeouts.failAfter(c.timeout(), () -> c.check().check()));
        }
        List<Outcome<Boolean>> outcomes = Weft.gatherOutcomes(calls);
        boolean all = true;
        for (int i = 0; i < list.size(); i++) {
            Check c = list.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("kind", kind);
            boolean up = false;
            switch (outcomes.get(i)) {
                case Outcome.Success<Boolean> s -> {
                    up = Boolean.TRUE.equals(s.value());
                    if (!up) {
                        m.put("error", "check returned false");
                    }
                }
                case Outcome.Failure<Boolean> f -> m.put("error", f.error() instanceof DeadlineExceededException
                        ? "timed out after " + c.timeout() : String.valueOf(f.error()));
                case Outcome.Cancelled<Boolean> x -> m.put("error", "cancelled");
            }
            m.put("status", up ? "UP" : "DOWN");
            out.add(m);
            all &= up;
        }
        return all;
    }

    // ------------------------------------------------------------------------------- builder

    /** Configures a {@link WebApp}; every option documents its default. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 8080;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration drainTimeout = Duration.ofSeconds(30);
        private long maxBodySize = 1024 * 1024;
        private int maxHeaderSize = 16 * 1024;
        private final List<Route> routes = new ArrayList<>();
        private final List<WebFilter> filters = new ArrayList<>();
        private final List<Hook> hooks = new ArrayList<>();
        private final List<Check> liveness = new ArrayList<>();
        private final List<Check> readiness = new ArrayList<>();
        private final List<Check> startup = new ArrayList<>();
        private final List<ErrorMapper> errorMappers = new ArrayList<>();
        private RequestObserver observer;

        private Builder() {
        }

        /**
         * The interface to listen on; default {@code 0.0.0.0} (all). Tests use {@code 127.0.0.1}.
         *
         * @param host the interface's address or name
         * @return this builder
         */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The port; default 8080; 0 picks a free ephemeral port ({@link RunningApp#port()} tells which).
         *
         * @param port the port, 0 to 65535
         * @return this builder
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0..65535 (0: ephemeral), got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Each handler's deadline; default 30 s; {@code null}: none.
         *
         * @param timeout the deadline of each handler, or null for none
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
                throw new IllegalArgumentException("requestTimeout must be positive or null (none), got " + timeout);
            }
            this.requestTimeout = timeout;
            return this;
        }

        /**
         * How long shutdown waits for requests in flight; default 30 s; zero: do not wait.
         *
         * @param timeout the longest wait for requests in flight at shutdown
         * @return this builder
         */
        public Builder drainTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "drainTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("drainTimeout must be >= 0, got " + timeout);
            }
            this.drainTimeout = timeout;
            return this;
        }

        /**
         * The largest request body in bytes (413 above it); default 1 MiB.
         *
         * @param bytes the largest request body accepted
         * @return this builder
         */
        public Builder maxBodySize(long bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxBodySize must be >= 0 bytes, got " + bytes);
            }
            this.maxBodySize = bytes;
            return this;
        }

        /**
         * The largest request header section in bytes (400 above it); default 16 KiB.
         *
         * @param bytes the largest request header section accepted
         * @return this builder
         */
        public Builder maxHeaderSize(int bytes) {
            if (bytes < 256) {
                throw new IllegalArgumentException("maxHeaderSize must be >= 256 bytes, got " + bytes);
            }
            this.maxHeaderSize = bytes;
            return this;
        }

        /**
         * A route: {@code method} and a Helidon path pattern ({@code /items/{id}}, {@code /static/*}).
         *
         * @param method the HTTP method, e.g. {@code "GET"}
         * @param path the path pattern
         * @param handler answers the requests that match
         * @return this builder
         */
        public Builder route(String method, String path, WebHandler handler) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(handler, "handler");
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("route path must start with '/', got '" + path + "'");
            }
            if (path.equals("/health") || path.startsWith("/health/")) {
                throw new IllegalArgumentException("route path '" + path + "' is reserved for the health endpoints");
            }
            routes.add(new Route(method.toUpperCase(java.util.Locale.ROOT), path, handler));
            return this;
        }

        /**
         * A GET route.
         *
         * @param path the path pattern
         * @param handler answers the requests that match
         * @return this builder
         */
        public Builder get(String path, WebHandler handler) {
            return route("GET", path, handler);
        }

        /**
         * A POST route.
         *
         * @param path the path pattern
         * @param handler answers the requests that match
         * @return this builder
         */
        public Builder post(String path, WebHandler handler) {
            return route("POST", path, handler);
        }

        /**
         * A PUT route.
         *
         * @param path the path pattern
         * @param handler answers the requests that match
         * @return this builder
         */
        public Builder put(String path, WebHandler handler) {
            return route("PUT", path, handler);
        }

        /**
         * A DELETE route.
         *
         * @param path the path pattern
         * @param handler answers the requests that match
         * @return this builder
         */
        public Builder delete(String path, WebHandler handler) {
            return route("DELETE", path, handler);
        }

        /**
         * Adds a filter around every route (the first added is outermost).
         *
         * @param filter the filter
         * @return this builder
         */
        public Builder filter(WebFilter filter) {
            filters.add(Objects.requireNonNull(filter, "filter"));
            return this;
        }

        /**
         * Adds an {@link ErrorMapper}: how an exception thrown by a handler or filter is answered.
         * Mappers are tried in the order added; the first non-null response wins; then the default
         * mapping ({@link ErrorMapper#defaultResponse}: 504 for deadlines, 503 with
         * {@code Retry-After} for an open breaker or full bulkhead, 400 for
         * {@code IllegalArgumentException}, 500 otherwise). Default: none (the defaults only).
         *
         * @param mapper the mapper
         * @return this builder
         */
        public Builder errorMapper(ErrorMapper mapper) {
            errorMappers.add(Objects.requireNonNull(mapper, "mapper"));
            return this;
        }

        /**
         * The observer of every answered request (see {@link RequestObserver}); default none. One
         * observer per app: to feed several, fan out in yours.
         *
         * @param observer the observer (null: none)
         * @return this builder
         */
        public Builder observer(RequestObserver observer) {
            this.observer = observer;
            return this;
        }

        /**
         * A startup hook (aiohttp's {@code cleanup_ctx}): runs at start in order; its cleanup at shutdown in reverse.
         *
         * @param name the hook's name in logs and errors
         * @param hook does the setup and returns its cleanup
         * @return this builder
         */
        public Builder onStartup(String name, Startup hook) {
            hooks.add(new Hook(Objects.requireNonNull(name, "name"), Objects.requireNonNull(hook, "hook")));
            return this;
        }

        /**
         * A cleanup only (aiohttp's {@code on_cleanup}), run at shutdown in reverse order of registration.
         *
         * @param name the cleanup's name in logs and errors
         * @param cleanup closed at shutdown
         * @return this builder
         */
        public Builder onCleanup(String name, AutoCloseable cleanup) {
            Objects.requireNonNull(cleanup, "cleanup");
            return onStartup(name, () -> cleanup);
        }

        /**
         * A liveness check ({@code /health/live}) with its own timeout.
         *
         * @param name the check's name in the health report
         * @param timeout how long the check may run before it counts DOWN
         * @param check the check
         * @return this builder
         */
        public Builder livenessCheck(String name, Duration timeout, HealthCheck check) {
            liveness.add(check(name, timeout, check));
            return this;
        }

        /**
         * A readiness check ({@code /health/ready}) with its own timeout.
         *
         * @param name the check's name in the health report
         * @param timeout how long the check may run before it counts DOWN
         * @param check the check
         * @return this builder
         */
        public Builder readinessCheck(String name, Duration timeout, HealthCheck check) {
            readiness.add(check(name, timeout, check));
            return this;
        }

        /**
         * A startup check ({@code /health/started}) with its own timeout.
         *
         * @param name the check's name in the health report
         * @param timeout how long the check may run before it counts DOWN
         * @param check the check
         * @return this builder
         */
        public Builder startupCheck(String name, Duration timeout, HealthCheck check) {
            startup.add(check(name, timeout, check));
            return this;
        }

        private static Check check(String name, Duration timeout, HealthCheck check) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(check, "check");
            if (timeout.isZero() || timeout.isNegative()) {
                throw new IllegalArgumentException("health check '" + name + "' timeout must be positive, got " + timeout);
            }
            return new Check(name, timeout, check);
        }

        /**
         * The app (immutable; the builder may be reused).
         *
         * @return a new app, not started
         */
        public WebApp build() {
            return new WebApp(this);
        }
    }
}
