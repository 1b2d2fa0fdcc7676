package dev.weft.cli;

import dev.weft.Weft;
import dev.weft.cli.fetch.DurationConverter;
import dev.weft.debug.Debug;
import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebException;
import dev.weft.http.WebResponse;
import dev.weft.micrometer.TaskMetrics;
import dev.weft.micrometer.WebAppMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code weft serve}: the production web-app skeleton. A few JSON routes, health endpoints with
 * Kubernetes conventions, request deadlines and graceful drain on SIGTERM/SIGINT (a second signal
 * exits at once). Copy {@link #app} to start a service.
 */
final class ServeCommand extends Cli.Command {
    private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");
    // Helidon's server lifecycle logger: its only errors are a failed start, which WebApp.start
    // turns into an exception that this command prints as one line (no stack trace twice)
    private static final Logger HELIDON_LIFECYCLE_LOG = Logger.getLogger("io.helidon.webserver.LoomServer");

    String host;
    int port;
    Duration requestTimeout;
    Duration drainTimeout;
    Integer adminPort;


    record Item(long id, String name, Instant created) {
    }

    record NewItem(String name) {
    }

    @Override
    String name() {
        return "serve";
    }

    @Override
    List<String> description() {
        return List.of("Runs the production web-app skeleton: JSON routes, /health/{live,ready,started}, request deadlines, graceful drain on SIGTERM or Ctrl-C (a second signal exits at once).");
    }

    @Override
    String summary() {
        return "Runs the production web-app skeleton: JSON routes, health checks, deadlines, graceful drain.";
    }

    @Override
    void declare(Cli.Spec spec) {
        spec.option("--host", "TEXT", "Interface to listen on; 0.0.0.0 for all (default: ${DEFAULT-VALUE}).", "127.0.0.1", Cli.STRING, v -> host = v);
        spec.option("--port", "N", "Port; 0 picks a free one (default: ${DEFAULT-VALUE}).", "8080", Cli.INT, v -> port = v);
        spec.option("--request-timeout", "DURATION", "Each request's deadline (default: ${DEFAULT-VALUE}).", "10s", DurationConverter::convert, v -> requestTimeout = v);
        spec.option("--drain-timeout", "DURATION", "How long shutdown waits for requests in flight (default: ${DEFAULT-VALUE}).", "30s", DurationConverter::convert, v -> drainTimeout = v);
        spec.option("--admin-port", "PORT", "Also serve Weft's task tree on 127.0.0.1:PORT (GET /tasks, /tasks.json; 0 picks a free port); turns Weft debug mode on. Off by default; always loopback only.", null, Cli.INT, v -> adminPort = v);
    }

    @Override
    int call() throws Exception {
        if (port < 0 || port > 65535) {
            System.err.println("weft serve: --port must be 0..65535, got " + port);
            return 2;
        }
        if (adminPort != null && (adminPort < 0 || adminPort > 65535)) {
            System.err.println("weft serve: --admin-port must be 0..65535, got " + adminPort);
            return 2;
        }
        if (adminPort != null) {
            try {
                Debug.enable(); // before the first Weft call: the mode is decided then
            } catch (IllegalStateException e) {
                System.err.println("weft serve: " + e.getMessage());
            }
        }
        HELIDON_LOG.setLevel(Level.WARNING);
        HELIDON_LIFECYCLE_LOG.setLevel(Level.OFF);
        PrometheusMeterRegistry registry = registry();
        WebAppMetrics metrics = new WebAppMetrics(registry, "weft-serve");
        WebApp app = app(host, port, requestTimeout, drainTimeout, out, registry, metrics);
        RunningApp admin = null;
        RunningApp.ShutdownReport report;
        try {
            if (adminPort != null) {
                admin = adminApp(adminPort).start();
                out.println("weft serve: task tree on " + admin.uri() + "/tasks and " + admin.uri() + "/tasks.json");
            }
            report = Weft.run(() -> app.serve(running -> {
                metrics.bind(running);
                out.println("weft serve: listening on " + running.uri() + "  (try " + running.uri() + "/items, "
                        + running.uri() + "/health/ready, " + running.uri() + "/metrics; Ctrl-C or SIGTERM drains)");
                out.flush();
            }));
        } catch (InterruptedException e) {
            err.println("weft serve: stopped by a signal while starting");
            return 130;
        } catch (IllegalStateException e) {
            err.println("weft serve: " + e.getMessage()); // the listener did not open: the message names host:port and why
            return 1;
        } catch (Exception e) {
            err.println("weft serve: start-up failed: " + e);
            return 1;
        } finally {
            if (admin != null) {
                admin.close();
            }
        }
        out.printf("weft serve: drained in %d ms, %d request(s) abandoned, %d cleanup error(s); stopped%n",
                report.drainTime().toMillis(), report.abandonedRequests(), report.cleanupErrors().size());
        return report.clean() ? 0 : 1;
    }

    /**
     * The admin endpoint: Weft's task tree ({@link Debug#dumpText()}, {@link Debug#dumpJson()}) on
     * 127.0.0.1 only, whatever {@code --host} says. Without debug mode /tasks says how to turn it on
     * and /tasks.json answers 503.
     */
    static WebApp adminApp(int port) {
        return WebApp.builder().host("127.0.0.1").port(port)
                .get("/tasks", req -> WebResponse.text(Debug.dumpText()))
                .get("/tasks.json", req -> Debug.isEnabled()
                        ? WebResponse.bytes(Debug.dumpJson().getBytes(StandardCharsets.UTF_8), "application/json")
                        : WebResponse.text(503, "Weft debug mode is off: start with -Dweft.debug=true or --admin-port"))
                .build();
    }

    /**
     * The registry behind {@code /metrics}: Weft's task counts and the JVM's memory, threads,
     * processor and uptime (the web app's own meters are added by {@link WebAppMetrics}).
     */
    static PrometheusMeterRegistry registry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new TaskMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        return registry;
    }

    /**
     * The skeleton: an in-memory item store, a slow route to watch the drain, health, lifecycle,
     * and {@code GET /metrics} (Prometheus text format from {@code registry}; every request is
     * observed by {@code metrics}).
     */
    static WebApp app(String host, int port, Duration requestTimeout, Duration drainTimeout, PrintStream log,
            PrometheusMeterRegistry registry, WebAppMetrics metrics) {
        Map<Long, Item> items = new ConcurrentHashMap<>();
        AtomicLong ids = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        return WebApp.builder()
                .host(host).port(port).requestTimeout(requestTimeout).drainTimeout(drainTimeout)
                .observer(metrics)
                .filter((req, next) -> {
                    requests.incrementAndGet();
                    return next.handle(req).withHeader("X-Served-By", "weft");
                })
                .get("/", req -> WebResponse.json(Map.of("service", "weft serve", "requests", requests.get(),
                        "routes", List.of("GET /items", "POST /items", "GET /items/{id}", "GET /slow?ms=N", "GET /metrics",
                                "GET /health/live", "GET /health/ready", "GET /health/started"))))
                .get("/metrics", req -> WebResponse.bytes(registry.scrape().getBytes(StandardCharsets.UTF_8),
                        "text/plain; version=0.0.4; charset=utf-8"))
                .get("/items", req -> WebResponse.json(new ArrayList<>(items.values())))
                .post("/items", req -> {
                    NewItem n = req.json(NewItem.class);
                    if (n.name() == null || n.name().isBlank()) {
                        throw new WebException(422, "an item needs a non-blank 'name'");
                    }
                    Item it = new Item(ids.incrementAndGet(), n.name(), Instant.now());
                    items.put(it.id(), it);
                    return WebResponse.json(201, it).withHeader("Location", "/items/" + it.id());
                })
                .get("/items/{id}", req -> {
                    long id;
                    try {
                        id = Long.parseLong(req.pathParam("id"));
                    } catch (NumberFormatException e) {
                        throw new WebException(400, "item id must be a number");
                    }
                    Item it = items.get(id);
                    if (it == null) {
                        throw new WebException(404, "no item " + id);
                    }
                    return WebResponse.json(it);
                })
                .get("/slow", req -> {
                    int ms = req.queryInt("ms", 1000);
                    return WebResponse.stream("text/plain; charset=utf-8", -1, o -> {
                        o.write("working".getBytes());
                        o.flush(); // the client sees the headers: the request is in flight
                        try {
                            Thread.sleep(ms);
                        } catch (InterruptedException e) {
                            dev.weft.Weft.restoreInterrupt(); // recorded as Weft's or foreign (ADR 0006)
                            return;
                        }
                        o.write(" done\n".getBytes());
                    });
                })
                .onStartup("store", () -> {
                    log.println("weft serve: startup: item store ready");
                    return () -> log.println("weft serve: cleanup: item store closed (" + items.size() + " items)");
                })
                .livenessCheck("heap", Duration.ofSeconds(1), () -> Runtime.getRuntime().freeMemory() > 0)
                .readinessCheck("store", Duration.ofSeconds(1), () -> items.size() < 1_000_000)
                .build();
    }
}
