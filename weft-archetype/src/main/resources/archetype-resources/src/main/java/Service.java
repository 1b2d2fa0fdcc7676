package ${package};

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.Weft;
import dev.weft.http.HttpException;
import dev.weft.http.HttpSession;
import dev.weft.http.HttpTimeouts;
import dev.weft.http.RequestPolicies;
import dev.weft.http.Response;
import dev.weft.http.WebApp;
import dev.weft.http.WebException;
import dev.weft.http.WebResponse;
import dev.weft.resilience.Policy;
import dev.weft.resilience.RetryBudget;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The service's HTTP side: the client every outgoing call shares, and the routes.
 *
 * <ul>
 *   <li>{@code GET /aggregate}: calls every upstream at once (a {@link TaskGroup}) and answers, within
 *       the fan-out deadline, with each upstream's answer, or its error, or {@code "timeout"} for those
 *       still running at the deadline (they are cancelled: nothing outlives the request).</li>
 *   <li>{@code POST /jobs} {@code {"url": "..."}}: queues a background job (202), or 503 when the queue is
 *       full; {@code GET /jobs/{id}}: the job's state.</li>
 *   <li>{@code GET /metrics}: counters in the Prometheus text format.</li>
 *   <li>{@code GET /health/live}, {@code /health/ready}, {@code /health/started}: JSON, 200 or 503.</li>
 *   <li>{@code GET /demo/upstream/{name}?ms=N}: a stand-in upstream (answers after N ms), used by
 *       {@code /aggregate} when no upstreams are configured.</li>
 * </ul>
 */
public final class Service {
    private static final System.Logger LOG = System.getLogger(Service.class.getName());
    private static final int MAX_BODY_ECHO = 2_000;

    private Service() {
    }

    /**
     * The HTTP client: at most 64 requests in flight, {@code http.per-host-limit} per host, and per
     * host a policy: retries of what is safe to retry (connection errors, 502/503/504, 429 after its
     * {@code Retry-After}) within a retry budget, and a circuit breaker that stops calling a failing
     * host for a while.
     *
     * @param config the configuration
     * @return a new session; the caller closes it
     */
    public static HttpSession httpSession(Config config) {
        return HttpSession.builder()
                .limit(64)
                .limitPerHost(config.perHostLimit())
                .timeouts(HttpTimeouts.DEFAULTS.withConnect(Duration.ofSeconds(2)))
                .policyPerHost(RequestPolicies.perHost(host -> Policy.builder()
                        .name(host)
                        .retry(RequestPolicies.retry().maxAttempts(3).budget(RetryBudget.defaults()).build())
                        .circuitBreaker(RequestPolicies.circuitBreaker().name(host).build())
                        .build()))
                .build();
    }

    /**
     * One upstream's part of an {@code /aggregate} answer.
     *
     * @param upstream the URL called
     * @param outcome {@code ok}, {@code error} or {@code timeout}
     * @param status the HTTP status (0 without an answer)
     * @param ms how long it took
     * @param body the answer's body (cut at 2,000 characters), or the error
     */
    public record Part(String upstream, String outcome, int status, long ms, String body) {
    }

    /**
     * The app: routes, metrics filter, health checks. The caller starts it.
     *
     * @param config the configuration
     * @param session the HTTP client for the fan-out
     * @param jobs the background jobs
     * @param metrics the counters
     * @return the app, not started
     */
    public static WebApp webApp(Config config, HttpSession session, Jobs jobs, Metrics metrics) {
        AtomicInteger inFlight = new AtomicInteger();
        metrics.gauge("app_http_in_flight", inFlight::get);
        return WebApp.builder()
                .host(config.host()).port(config.port())
                .requestTimeout(config.requestTimeout()).drainTimeout(config.drainTimeout())
                .filter((req, next) -> {
                    long t0 = System.nanoTime();
                    WebResponse res;
                    inFlight.incrementAndGet();
                    try {
                        res = next.handle(req);
                    } catch (WebException e) {
                        metrics.count("app_http_requests_total{status=\"" + (e.status() / 100) + "xx\"}");
                        throw e;
                    } catch (Exception e) {
                        metrics.count("app_http_requests_total{status=\"error\"}");
                        throw e;
                    } finally {
                        inFlight.decrementAndGet();
                    }
                    metrics.count("app_http_requests_total{status=\"" + (res.status() / 100) + "xx\"}");
                    LOG.log(Level.DEBUG, "request", Map.of("method", req.method(), "path", req.path(),
                            "status", res.status(), "ms", (System.nanoTime() - t0) / 1_000_000));
                    return res;
                })
                .get("/aggregate", req -> {
                    metrics.count("app_aggregate_total");
                    List<URI> upstreams = config.upstreams().isEmpty() ? demoUpstreams(req.header("Host").orElse(null), req.queryInt("ms", 50))
                            : config.upstreams();
                    return WebResponse.json(aggregate(session, upstreams, config.fanoutDeadline(), metrics));
                })
                .post("/jobs", req -> {
                    JobRequest body = req.json(JobRequest.class);
                    URI url = body == null || body.url() == null ? null : URI.create(body.url());
                    if (url == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                        throw new WebException(422, "a job needs an absolute http(s) 'url', such as {\"url\": \"http://example.com/\"}");
                    }
                    return jobs.submit(url)
                            .map(job -> WebResponse.json(202, job).withHeader("Location", "/jobs/" + job.id()))
                            .orElseGet(() -> WebResponse.json(503, Map.of("error", "the job queue is full; retry later"))
                                    .withHeader("Retry-After", "1"));
                })
                .get("/jobs/{id}", req -> {
                    long id;
                    try {
                        id = Long.parseLong(req.pathParam("id"));
                    } catch (NumberFormatException e) {
                        throw new WebException(400, "a job id is a number");
                    }
                    return jobs.get(id).map(WebResponse::json)
                            .orElseThrow(() -> new WebException(404, "no job " + id + " (unknown, or one of the oldest forgotten)"));
                })
                .get("/metrics", req -> WebResponse.bytes(metrics.prometheusText().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        "text/plain; version=0.0.4; charset=utf-8"))
                .get("/demo/upstream/{name}", req -> {
                    Weft.sleep(Duration.ofMillis(Math.max(0, req.queryInt("ms", 0))));
                    return WebResponse.json(Map.of("upstream", req.pathParam("name"), "value", req.pathParam("name").hashCode() & 0xffff));
                })
                .startupCheck("jobs", Duration.ofSeconds(1), jobs::started)
                .readinessCheck("jobs", Duration.ofSeconds(1), jobs::ready)
                .livenessCheck("jobs", Duration.ofSeconds(1), jobs::live)
                .build();
    }

    /** The body of {@code POST /jobs}. */
    record JobRequest(String url) {
    }

    /**
     * Calls every upstream at once and returns, within {@code deadline}, every answer that came:
     * the calls still running at the deadline are cancelled and reported as {@code timeout}.
     *
     * @param session the HTTP client
     * @param upstreams the URLs to call
     * @param deadline how long to wait for them
     * @param metrics where the calls are counted
     * @return the result: {@code complete} (every upstream answered in time) and one part per upstream, in order
     * @throws InterruptedException if the request itself was cancelled
     */
    public static Map<String, Object> aggregate(HttpSession session, List<URI> upstreams, Duration deadline, Metrics metrics)
            throws InterruptedException {
        long t0 = System.nanoTime();
        List<Task<Part>> calls = new ArrayList<>();
        // the group's tasks end with the group; at the deadline moveOnAfter cancels them and moves on
        Timeouts.moveOnAfter(deadline, () -> TaskGroup.run(group -> {
            for (URI u : upstreams) {
                calls.add(group.spawn("upstream " + u, () -> call(session, u)));
            }
            return null;
        }));
        List<Part> parts = new ArrayList<>();
        boolean complete = true;
        for (int i = 0; i < upstreams.size(); i++) {
            Part p = i < calls.size() && calls.get(i).outcomeNow().orElse(null) instanceof dev.weft.Outcome.Success<Part> s
                    ? s.value()
                    : new Part(upstreams.get(i).toString(), "timeout", 0, (System.nanoTime() - t0) / 1_000_000,
                            "no answer within " + deadline.toMillis() + " ms");
            complete &= p.outcome().equals("ok");
            metrics.count("app_upstream_calls_total{outcome=\"" + p.outcome() + "\"}");
            parts.add(p);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("complete", complete);
        result.put("deadlineMs", deadline.toMillis());
        result.put("ms", (System.nanoTime() - t0) / 1_000_000);
        result.put("parts", parts);
        return result;
    }

    /** One upstream call: an answer, or an error as data (so one failing upstream does not cancel the others). */
    private static Part call(HttpSession session, URI u) throws InterruptedException {
        long t0 = System.nanoTime();
        try {
            Response r = session.get(u.toString());
            String body = r.text();
            return new Part(u.toString(), r.isSuccessful() ? "ok" : "error", r.status(), (System.nanoTime() - t0) / 1_000_000,
                    body.length() > MAX_BODY_ECHO ? body.substring(0, MAX_BODY_ECHO) : body);
        } catch (HttpException | dev.weft.resilience.RejectedException e) {
            return new Part(u.toString(), "error", 0, (System.nanoTime() - t0) / 1_000_000, e.getMessage());
        }
    }

    /** This service's own demo routes, reached the way the client reached this request (its Host header). */
    private static List<URI> demoUpstreams(String hostHeader, int ms) {
        if (hostHeader == null) {
            throw new WebException(400, "no upstreams are configured (fanout.upstreams) and the request has no Host header to call the demo ones");
        }
        URI self = URI.create("http://" + hostHeader);
        return List.of(self.resolve("/demo/upstream/a?ms=" + ms), self.resolve("/demo/upstream/b?ms=" + ms),
                self.resolve("/demo/upstream/c?ms=" + (ms * 2)));
    }
}
