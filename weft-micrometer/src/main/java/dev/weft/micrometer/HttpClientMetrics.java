package dev.weft.micrometer;

import dev.weft.http.HttpException;
import dev.weft.http.HttpSession;
import dev.weft.http.Request;
import dev.weft.http.RequestPolicy;
import dev.weft.http.Response;
import dev.weft.http.StreamingResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An {@link HttpSession}'s requests per host, their time by status class, and the session's
 * permits and connection pool, tagged {@code name} with the session's name.
 *
 * {@snippet :
 * HttpClientMetrics metrics = new HttpClientMetrics(registry, "api");
 * HttpSession session = HttpSession.builder()
 *         .policyPerHost(metrics.policyPerHost(host -> RequestPolicy.none())) // or your policies
 *         .build();
 * metrics.bind(session);
 * }
 *
 * <p>Requests are observed through the session's {@link RequestPolicy} hook: the metrics wrap
 * each host's policy and time every <em>attempt</em> (a retried request is several attempts, each
 * with its own status). Attempts include the wait for the session's concurrency permits.
 *
 * <p>Meters: {@code weft.http.client.requests} (timer; tags {@code host} (scheme, host and port),
 * {@code method}, {@code status} ({@code 2xx} ... {@code 5xx}, or {@code none} when no response
 * came), {@code outcome} (Micrometer's {@code SUCCESS}, {@code REDIRECTION}, {@code CLIENT_ERROR},
 * {@code SERVER_ERROR}, {@code UNKNOWN}), {@code error} ({@code none}, an {@link HttpException}
 * kind such as {@code connection_refused}, {@code cancelled}, or the exception's class name));
 * {@code weft.http.client.active} (gauge per {@code host}: attempts in progress);
 * {@code weft.http.client.in.flight} and {@code weft.http.client.waiting} (gauges: requests
 * holding, and waiting for, one of the session's global permits); {@code weft.http.client.connections}
 * (gauge, tag {@code state}: {@code active}, {@code idle}). {@code docs/metrics.md} describes each.
 *
 * <p>The registry is given up front (not through a {@code MeterBinder}) because request timers
 * are registered as hosts and statuses appear.
 *
 * <p>Meters per host are never removed (the {@code active} gauge is held strongly): a session that
 * talks to many hosts (a crawl) makes a timer per host, method, status and error, and a gauge per
 * host. Cap the tag with a filter on the registry, for example
 * {@code registry.config().meterFilter(MeterFilter.maximumAllowableTags("weft.http.client", "host", 100, MeterFilter.deny()))}.
 */
public final class HttpClientMetrics {
    private final MeterRegistry registry;
    private final Tags tags;
    private final ConcurrentHashMap<String, AtomicInteger> activePerHost = new ConcurrentHashMap<>();

    /**
     * Metrics for one session, registered with {@code registry} and tagged {@code name=name}.
     *
     * @param registry where the meters are registered
     * @param name the session's name in the tag {@code name}
     * @throws NullPointerException if {@code registry} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public HttpClientMetrics(MeterRegistry registry, String name) {
        this(registry, name, Tags.empty());
    }

    /**
     * Metrics for one session, registered with {@code registry} and tagged {@code name=name} and
     * {@code tags}.
     *
     * @param registry where the meters are registered
     * @param name the session's name in the tag {@code name}
     * @param tags more tags for every meter
     * @throws NullPointerException if {@code registry} or {@code tags} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public HttpClientMetrics(MeterRegistry registry, String name, Iterable<Tag> tags) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.tags = Names.tags("HTTP session", name, tags);
    }

    /**
     * Wraps a per-host policy factory (for {@link HttpSession.Builder#policyPerHost}) so that every
     * attempt is measured; the policies it makes run as before, inside the measurement of each
     * attempt they start.
     *
     * @param factory the session's policy factory (host key to policy)
     * @return the factory to give the session's builder
     * @throws NullPointerException if {@code factory} is null
     */
    public Function<String, RequestPolicy> policyPerHost(Function<String, RequestPolicy> factory) {
        Objects.requireNonNull(factory, "factory");
        return host -> {
            RequestPolicy inner = Objects.requireNonNull(factory.apply(host), "policyPerHost returned null for " + host);
            AtomicInteger active = activePerHost.computeIfAbsent(host, h -> {
                AtomicInteger a = new AtomicInteger();
                Gauge.builder("weft.http.client.active", a, AtomicInteger::get).tags(tags).tag("host", h)
                        .description("Attempts in progress to the host").strongReference(true)
                        .register(registry);
                return a;
            });
            return new Measured(inner, host, active);
        };
    }

    /**
     * As {@link #policyPerHost}, for one policy shared by every host (for {@link HttpSession.Builder#policy}).
     *
     * @param policy the policy
     * @return the factory to give {@link HttpSession.Builder#policyPerHost}
     * @throws NullPointerException if {@code policy} is null
     */
    public Function<String, RequestPolicy> policy(RequestPolicy policy) {
        Objects.requireNonNull(policy, "policy");
        return policyPerHost(h -> policy);
    }

    /**
     * Registers the session-wide gauges (permits and pool) for {@code session}. The registry
     * holds the session weakly.
     *
     * @param session the session built with {@link #policyPerHost}
     * @return this
     * @throws NullPointerException if {@code session} is null
     */
    public HttpClientMetrics bind(HttpSession session) {
        Objects.requireNonNull(session, "session");
        Gauge.builder("weft.http.client.in.flight", session, s -> s.stats().inFlight()).tags(tags)
                .description("Requests holding one of the session's global permits")
                .register(registry);
        Gauge.builder("weft.http.client.waiting", session, s -> s.stats().waiting()).tags(tags)
                .description("Requests waiting for one of the session's global permits")
                .register(registry);
        Gauge.builder("weft.http.client.connections", session, s -> s.stats().activeConnections()).tags(tags)
                .tag("state", "active").description("Pooled connections").register(registry);
        Gauge.builder("weft.http.client.connections", session, s -> s.stats().idleConnections()).tags(tags)
                .tag("state", "idle").description("Pooled connections").register(registry);
        return this;
    }

    private void record(String host, String method, int status, String error, long nanos) {
        Timer.builder("weft.http.client.requests").tags(tags).tag("host", host).tag("method", method)
                .tag("status", status < 0 ? "none" : Names.statusClass(status))
                .tag("outcome", status < 0 ? "UNKNOWN" : Names.outcome(status)).tag("error", error)
                .description("HTTP attempts by host, method and status class").register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private final class Measured implements RequestPolicy {
        private final RequestPolicy inner;
        private final String host;
        private final AtomicInteger active;

        Measured(RequestPolicy inner, String host, AtomicInteger active) {
            this.inner = inner;
            this.host = host;
            this.active = active;
        }

        @Override
        public <R> R execute(Request request, Attempt<R> attempt) throws InterruptedException {
            return inner.execute(request, req -> {
                active.incrementAndGet();
                long start = System.nanoTime();
                int status = -1;
                String error = "none";
                try {
                    R r = attempt.run(req);
                    status = switch (r) {
                        case Response x -> x.status();
                        case StreamingResponse x -> x.status();
                        case null, default -> -1;
                    };
                    return r;
                } catch (HttpException e) {
                    error = e.errorKind().id();
                    throw e;
                } catch (InterruptedException e) {
                    error = "cancelled";
                    throw e;
                } catch (RuntimeException | Error e) {
                    error = e.getClass().getSimpleName();
                    throw e;
                } finally {
                    active.decrementAndGet();
                    record(host, req.method(), status, error, System.nanoTime() - start);
                }
            });
        }
    }
}
