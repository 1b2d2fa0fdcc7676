package dev.weft.micrometer;

import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link WebApp}'s requests (by route template, method and status), requests in flight, and its
 * state (running, draining), tagged {@code name} with the app's name. It is the app's
 * {@link WebApp.RequestObserver}; {@link #bind(RunningApp)} adds the running app's gauges.
 *
 * {@snippet :
 * WebAppMetrics metrics = new WebAppMetrics(registry, "shop");
 * WebApp app = WebApp.builder().observer(metrics).get("/items", handler).build();
 * app.serve(metrics::bind);
 * }
 *
 * <p>Meters: {@code weft.http.server.requests} (timer; tags {@code method}, {@code uri} (the
 * route's template, {@code NOT_FOUND} or {@code UNKNOWN_METHOD}, never the raw path, so the
 * number of series stays bounded), {@code status} ({@code 2xx} ... {@code 5xx}), {@code outcome}
 * (Micrometer's {@code SUCCESS}, {@code CLIENT_ERROR}, ...)); {@code weft.http.server.in.flight}
 * (gauge: requests being handled, health excluded); {@code weft.http.server.state} (gauge per
 * {@code state} tag: {@code starting}, {@code running}, {@code draining}, {@code stopped}; 1 for
 * the current one: {@code draining} is 1 while a drain finishes the requests in flight). Before
 * {@link #bind} the gauges read 0.
 * {@code docs/metrics.md} describes each.
 */
public final class WebAppMetrics implements WebApp.RequestObserver {
    private final MeterRegistry registry;
    private final Tags tags;
    private final AtomicReference<RunningApp> app = new AtomicReference<>();

    /**
     * Metrics for one app, registered with {@code registry} and tagged {@code name=name}.
     *
     * @param registry where the meters are registered
     * @param name the app's name in the tag {@code name}
     * @throws NullPointerException if {@code registry} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public WebAppMetrics(MeterRegistry registry, String name) {
        this(registry, name, Tags.empty());
    }

    /**
     * Metrics for one app, registered with {@code registry} and tagged {@code name=name} and
     * {@code tags}.
     *
     * @param registry where the meters are registered
     * @param name the app's name in the tag {@code name}
     * @param tags more tags for every meter
     * @throws NullPointerException if {@code registry} or {@code tags} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public WebAppMetrics(MeterRegistry registry, String name, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Names.tags("web app", name, tags);
        Gauge.builder("weft.http.server.in.flight", app, a -> a.get() == null ? 0 : a.get().inFlight()).tags(this.tags)
                .description("Requests being handled now (health excluded)").strongReference(true)
                .register(registry);
        for (WebApp.State s : WebApp.State.values()) {
            Gauge.builder("weft.http.server.state", app, a -> a.get() != null && a.get().state() == s ? 1 : 0)
                    .tags(this.tags).tag("state", s.name().toLowerCase(Locale.ROOT))
                    .description("1 for the app's current state, 0 for the others").strongReference(true)
                    .register(registry);
        }
    }

    /**
     * Points the gauges at {@code running} (the app started with this observer); call it from
     * {@link WebApp#serve}'s ready callback, or after {@link WebApp#start()}. A later call (the
     * app restarted) replaces it.
     *
     * @param running the running app
     * @throws NullPointerException if {@code running} is null
     */
    public void bind(RunningApp running) {
        app.set(Objects.requireNonNull(running, "running"));
    }

    /**
     * Records one answered request.
     *
     * @param method the request method
     * @param route the route template, or {@code NOT_FOUND} / {@code UNKNOWN_METHOD}
     * @param status the status sent
     * @param nanos how long it took
     */
    @Override
    public void onResponse(String method, String route, int status, long nanos) {
        Timer.builder("weft.http.server.requests").tags(tags).tag("method", method).tag("uri", route)
                .tag("status", Names.statusClass(status)).tag("outcome", Names.outcome(status))
                .description("Requests answered by route, method and status class").register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
