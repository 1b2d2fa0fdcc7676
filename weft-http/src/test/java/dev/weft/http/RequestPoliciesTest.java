package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.resilience.Backoff;
import dev.weft.resilience.CircuitBreaker;
import dev.weft.resilience.CircuitBreakerOpenException;
import dev.weft.resilience.Policy;
import dev.weft.resilience.RateLimitedException;
import dev.weft.resilience.RateLimiter;
import dev.weft.resilience.ResilienceCounters;
import dev.weft.resilience.ResilienceListener;
import dev.weft.resilience.RetryBudget;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * weft-resilience policies per host through {@link RequestPolicies}, against two loopback WebApps
 * (two ports: two host keys). Counts, never time: back-offs are zero or taken from a Retry-After of
 * zero, and the assertions are on how many requests reached each server.
 */
class RequestPoliciesTest {
    static RunningApp a;
    static RunningApp b;
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();

    static RunningApp app(String name) throws Exception {
        AtomicInteger flaky = new AtomicInteger();
        return WebApp.builder().host("127.0.0.1").port(0).requestTimeout(null).drainTimeout(Duration.ofSeconds(5))
                .get("/hello", req -> {
                    hit(name, "/hello");
                    return WebResponse.text("hello " + name);
                })
                .get("/status/{code}", req -> {
                    hit(name, "/status");
                    return WebResponse.text(Integer.parseInt(req.pathParam("code")), "status");
                })
                .get("/flaky", req -> {
                    hit(name, "/flaky");
                    return flaky.incrementAndGet() % 2 == 1 ? WebResponse.status(503) : WebResponse.text("ok");
                })
                .get("/busy", req -> {
                    hit(name, "/busy");
                    return WebResponse.status(503).withHeader("Retry-After", req.query("after").orElse("0"));
                })
                .build().start();
    }

    static void hit(String app, String path) {
        hits.computeIfAbsent(app + path, k -> new AtomicInteger()).incrementAndGet();
    }

    static int hits(String app, String path) {
        AtomicInteger n = hits.get(app + path);
        return n == null ? 0 : n.get();
    }

    @BeforeAll
    static void start() throws Exception {
        a = app("a");
        b = app("b");
    }

    @AfterAll
    static void stop() {
        a.shutdown();
        b.shutdown();
    }

    static String url(RunningApp app, String path) {
        return app.uri().resolve(path).toString();
    }

    @Test
    void retriesHappenPerHostAndStopAtTheBudget() throws Exception {
        Map<String, ResilienceCounters> counters = new ConcurrentHashMap<>();
        // budget: retries < 1.0 × requests in the window, no reserve: each request may retry once,
        // although maxAttempts would allow two retries
        try (HttpSession s = HttpSession.builder().policyPerHost(RequestPolicies.perHost(host -> Policy.builder()
                .name(host)
                .retry(RequestPolicies.retry().maxAttempts(3).backoff(Backoff.none())
                        .budget(RetryBudget.of(1.0, 0, Duration.ofMinutes(10))).build())
                .listener(counters.computeIfAbsent(host, k -> new ResilienceCounters()))
                .build())).build()) {
            int before = hits("a", "/status");
            for (int i = 0; i < 5; i++) {
                Response r = s.get(url(a, "/status/503"));
                assertEquals(503, r.status(), "the last response is returned as data");
                assertEquals(2, r.attempts(), "one retry each: the budget, not maxAttempts, stopped it");
            }
            assertEquals(10, hits("a", "/status") - before);
            // another host: its own policy, its own budget; a flaky endpoint wins on the retry
            Response ok = s.get(url(b, "/flaky"));
            assertEquals(200, ok.status());
            assertEquals(2, ok.attempts());
            // not retried: a 404, and nothing for 500 by default
            assertEquals(1, s.get(url(b, "/status/404")).attempts());
            assertEquals(1, s.get(url(b, "/status/500")).attempts());
            String hostA = HttpSession.hostKey(a.uri());
            String hostB = HttpSession.hostKey(b.uri());
            assertEquals(5, counters.get(hostA).retries());
            assertEquals(1, counters.get(hostB).retries());
        }
    }

    @Test
    void connectionErrorsAreRetriedAndFinallyThrown() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort(); // closed at once: connection refused
        }
        ResilienceCounters c = new ResilienceCounters();
        try (HttpSession s = HttpSession.builder().policyPerHost(RequestPolicies.perHost(host -> Policy.builder()
                .retry(RequestPolicies.retry().maxAttempts(3).backoff(Backoff.none()).build()).listener(c).build())).build()) {
            HttpException e = assertThrows(HttpException.class, () -> s.get("http://127.0.0.1:" + port + "/x"));
            assertFalse(e instanceof HttpStatusException);
            assertEquals(3, c.attempts());
            assertEquals(2, c.retries());
        }
    }

    @Test
    void aBreakerPerHostOpensAndRejectsCheaplyWhileAnotherHostWorks() throws Exception {
        try (HttpSession s = HttpSession.builder().policyPerHost(RequestPolicies.perHost(host -> Policy.builder()
                .circuitBreaker(CircuitBreaker.builder().name(host).countWindow(4).minimumCalls(4)
                        .failureRateThreshold(50).waitInOpen(Duration.ofHours(1)).build())
                .build())).build()) {
            int before = hits("a", "/status");
            for (int i = 0; i < 4; i++) {
                assertEquals(503, s.get(url(a, "/status/503")).status());
            }
            for (int i = 0; i < 20; i++) {
                CircuitBreakerOpenException e = assertThrows(CircuitBreakerOpenException.class, () -> s.get(url(a, "/hello")));
                assertEquals(CircuitBreaker.State.OPEN, e.state());
            }
            assertEquals(4, hits("a", "/status") - before, "an open breaker never contacts the host");
            for (int i = 0; i < 10; i++) {
                assertEquals("hello b", s.get(url(b, "/hello")).text(), "the other host has its own breaker");
            }
        }
    }

    @Test
    void breakerPreset_a500IsReturnedButCountsAgainstTheHost_likeResilience4jRecordResult() throws Exception {
        try (HttpSession s = HttpSession.builder().policyPerHost(RequestPolicies.perHost(host -> Policy.builder()
                .retry(RequestPolicies.retry().maxAttempts(3).backoff(Backoff.none()).build())
                .circuitBreaker(RequestPolicies.circuitBreaker().name(host).countWindow(4).minimumCalls(4)
                        .failureRateThreshold(50).waitInOpen(Duration.ofHours(1)).build())
                .build())).build()) {
            int before = hits("b", "/status");
            assertEquals(500, s.get(url(b, "/status/500")).status(), "a 500 is data: returned, not retried");
            assertEquals(1, hits("b", "/status") - before, "not retried");
            assertEquals(200, s.get(url(b, "/status/200")).status());
            assertEquals(404, s.get(url(b, "/status/404")).status(), "a client error is the caller's, not the host's");
            assertEquals(500, s.get(url(b, "/status/500")).status()); // 2 of 4 failed: 50%
            assertThrows(CircuitBreakerOpenException.class, () -> s.get(url(b, "/hello")));
            assertEquals(4, hits("b", "/status") - before, "the open breaker kept the last request from the host");
        }
        assertFalse(RequestPolicies.serverError("not a response"));
    }

    @Test
    void retryAfterReplacesTheBackoff() throws Exception {
        List<Duration> delays = new CopyOnWriteArrayList<>();
        // recorded, and checked after the calls: an assertion inside the listener would be logged and swallowed
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ResilienceListener l = new ResilienceListener() {
            @Override
            public void onRetry(String name, int attempt, Duration delay, Throwable failure) {
                delays.add(delay);
                failures.add(failure);
            }
        };
        // a back-off of an hour: the test finishes only because Retry-After (0, or a date in the past) replaces it
        try (HttpSession s = HttpSession.builder().policy(RequestPolicies.of(Policy.builder()
                .retry(RequestPolicies.retry().maxAttempts(2).backoff(Backoff.fixed(Duration.ofHours(1))).build())
                .listener(l).build())).build()) {
            Response r = s.get(url(a, "/busy?after=0"));
            assertEquals(503, r.status());
            assertEquals(2, r.attempts());
            String past = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).minusMinutes(5));
            try (StreamingResponse sr = s.stream(Request.get(url(a, "/busy?after=" + java.net.URLEncoder.encode(past,
                    java.nio.charset.StandardCharsets.UTF_8))))) {
                assertEquals(503, sr.status());
                assertEquals(2, sr.attempts());
            }
        }
        assertEquals(List.of(Duration.ZERO, Duration.ZERO), delays);
        assertEquals(2, failures.size());
        for (Throwable f : failures) {
            assertInstanceOf(RetryableStatusException.class, f, "a retry on a 503 is caused by the retryable status");
        }
        assertEquals(Optional.of(Duration.ofSeconds(120)), RequestPolicies.parseRetryAfter(" 120 "));
        assertEquals(Optional.of(Duration.ZERO), RequestPolicies.parseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"));
        assertEquals(Optional.empty(), RequestPolicies.parseRetryAfter("soon"));
        assertEquals(Optional.empty(), RequestPolicies.parseRetryAfter(null));
    }

    @Test
    void theRateLimitBoundsRequestsPerHost() throws Exception {
        ResilienceCounters c = new ResilienceCounters();
        // two requests per hour, burst 2, never wait: the third and later are refused at once
        try (HttpSession s = HttpSession.builder().policyPerHost(RequestPolicies.perHost(host -> Policy.builder()
                .rateLimiter(RateLimiter.builder().name(host).rate(2, Duration.ofHours(1)).burst(2).maxWait(Duration.ZERO).build())
                .listener(c).build())).build()) {
            int before = hits("a", "/hello");
            int ok = 0;
            int refused = 0;
            for (int i = 0; i < 10; i++) {
                try {
                    assertEquals(200, s.get(url(a, "/hello")).status());
                    ok++;
                } catch (RateLimitedException e) {
                    refused++;
                }
            }
            assertEquals(2, ok);
            assertEquals(8, refused);
            assertEquals(2, hits("a", "/hello") - before);
            assertEquals(8, c.rejections());
            assertEquals(200, s.get(url(b, "/hello")).status(), "another host has its own limiter");
        }
    }

    @Test
    void acquireTimeoutsAreRetryableTotalOnesAreNot() {
        URI u = URI.create("http://127.0.0.1:1/");
        assertTrue(RequestPolicies.retryable(new HttpTimeoutException("GET", u, HttpTimeoutException.Kind.ACQUIRE, null, null)));
        assertTrue(RequestPolicies.retryable(new HttpTimeoutException("GET", u, HttpTimeoutException.Kind.READ, null, null)));
        assertFalse(RequestPolicies.retryable(new HttpTimeoutException("GET", u, HttpTimeoutException.Kind.TOTAL, null, null)));
        assertFalse(RequestPolicies.retryable(new HttpTimeoutException("GET", u, HttpTimeoutException.Kind.DEADLINE, null, null)));
        assertFalse(RequestPolicies.retryable(new HttpStatusException("GET", u, 500)));
        assertFalse(RequestPolicies.retryable(new InterruptedException()));
        assertTrue(RequestPolicies.retryable(new HttpException("GET", u, "reset", null)));
    }
}
