package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.Timeouts;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import dev.weft.http.HttpException.ErrorKind;
import dev.weft.resilience.Backoff;
import dev.weft.resilience.CircuitBreaker;
import dev.weft.resilience.CircuitBreakerOpenException;
import dev.weft.resilience.Policy;
import dev.weft.resilience.ResilienceCounters;
import dev.weft.resilience.RetryBudget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10: a URL is given up only when its own limits say so. A 429/503 with Retry-After is
 * back-pressure (the host is paused as asked, the request retried after the delay, the breaker does
 * not count it), and a request refused by an open breaker waits for the trial within its deadline.
 * On virtual time: the Retry-After seconds and the breaker's open period pass instantly once every
 * request is waiting, so the test never sleeps; the assertions are on counts and virtual time.
 */
class BackPressureTest {
    static RunningApp app;
    static RunningApp other;
    /** Items 50-89 (a fifth of 200, asked for together): answered once with 503 + Retry-After: 1 already. */
    static final Set<String> paced = ConcurrentHashMap.newKeySet();
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    static final AtomicBoolean down = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        app = WebApp.builder().host("127.0.0.1").port(0).requestTimeout(null).drainTimeout(Duration.ofSeconds(5))
                .get("/item/{i}", req -> {
                    hit("/item");
                    int i = Integer.parseInt(req.pathParam("i"));
                    if (i >= 50 && i < 90 && paced.add(req.pathParam("i"))) {
                        return WebResponse.status(503).withHeader("Retry-After", "1"); // "come back in 1 s"
                    }
                    return WebResponse.text("item " + i);
                })
                .get("/busy", req -> {
                    hit("/busy");
                    return WebResponse.status(429).withHeader("Retry-After", req.query("after").orElse("1"));
                })
                .get("/hello", req -> {
                    hit("/hello");
                    return WebResponse.text("hello");
                })
                .get("/recovering", req -> {
                    hit("/recovering");
                    return down.get() ? WebResponse.status(503) : WebResponse.text("back");
                })
                .build().start();
        other = WebApp.builder().host("127.0.0.1").port(0).requestTimeout(null)
                .get("/hello", req -> WebResponse.text("other")).build().start();
    }

    @AfterAll
    static void stop() {
        app.shutdown();
        other.shutdown();
    }

    static void hit(String path) {
        hits.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
    }

    static int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    static String url(RunningApp a, String path) {
        return a.uri().resolve(path).toString();
    }

    /** The per-host policy `weft fetch` uses: 2 retries with back-off and a 20% budget, a breaker on 50 attempts, 5 s open, 3 trials. */
    static Policy fetchLike(String host, ResilienceCounters counters, Duration waitForTrial) {
        return Policy.builder().name(host)
                .retry(RequestPolicies.retry().maxAttempts(3).backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2)))
                        .budget(RetryBudget.of(0.2, 1, Duration.ofSeconds(10))).build())
                .circuitBreaker(CircuitBreaker.builder().name(host).countWindow(50).minimumCalls(20).failureRateThreshold(50)
                        .waitInOpen(Duration.ofSeconds(5)).trialCalls(3).waitForTrial(waitForTrial).build())
                .listener(counters)
                .build();
    }

    @Test
    void aHostAnswering503WithRetryAfterToAFifthOfItsUrlsLosesNone() throws Exception {
        ResilienceCounters counters = new ResilienceCounters();
        int n = 200;
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            urls.add(url(app, "/item/" + i));
        }
        VirtualTime time = VirtualTime.autoAdvancing();
        List<Outcome<Response>> outcomes;
        try (HttpSession s = HttpSession.builder().limit(64)
                .policyPerHost(RequestPolicies.perHost(host -> fetchLike(host, counters, Duration.ofSeconds(30)))).build()) {
            outcomes = time.run(() -> Weft.mapOutcomes(urls, 64,
                    u -> Timeouts.failAfter(Duration.ofSeconds(30), () -> s.get(u))));
        }
        int ok = 0;
        for (Outcome<Response> o : outcomes) {
            Response r = o.getOrThrow();
            assertEquals(200, r.status(), r::toString);
            ok++;
        }
        assertEquals(n, ok, "every good URL succeeds");
        assertEquals(n / 5, paced.size());
        assertEquals(n + n / 5, hits("/item"), "each paced URL was asked exactly twice");
        assertEquals(n / 5, counters.retries());
        assertEquals(0, counters.rejections(), "no breaker_open");
        assertEquals(0, counters.stateChanges(), "the breaker never opened: back-pressure is not failure");
        assertTrue(time.elapsed().compareTo(Duration.ofSeconds(1)) >= 0, "the retries waited the Retry-After: " + time.elapsed());
    }

    @Test
    void aRetryAfterPausesTheHostsLaterRequestsNotOtherHosts() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        try (HttpSession s = HttpSession.create()) {
            time.run(() -> {
                assertEquals(429, s.get(url(app, "/busy?after=3")).status()); // status is data; the host is paused 3 s
                Duration t0 = time.elapsed();
                assertEquals("other", s.get(url(other, "/hello")).text());
                assertEquals(t0, time.elapsed(), "another host is not paused");
                int before = hits("/hello");
                // a request whose deadline comes before the pause ends fails at once, unsent
                HttpTimeoutException e = assertThrows(HttpTimeoutException.class,
                        () -> Timeouts.failAfter(Duration.ofSeconds(1), () -> s.get(url(app, "/hello"))));
                assertEquals(ErrorKind.TIMEOUT_DEADLINE, e.errorKind());
                assertTrue(e.getMessage().contains("Retry-After"), e.getMessage());
                assertEquals(t0, time.elapsed(), "no waiting in vain");
                assertEquals(before, hits("/hello"));
                // one with time enough waits for the pause, then is sent
                assertEquals("hello", s.get(url(app, "/hello")).text());
                assertEquals(t0.plusSeconds(3), time.elapsed());
                return null;
            });
        }
        try (HttpSession s = HttpSession.builder().maxRetryAfterPause(Duration.ZERO).build()) {
            VirtualTime t2 = VirtualTime.autoAdvancing();
            t2.run(() -> {
                assertEquals(429, s.get(url(app, "/busy?after=3")).status());
                return s.get(url(app, "/hello"));
            });
            assertEquals(Duration.ZERO, t2.elapsed(), "maxRetryAfterPause(0): no pause");
        }
        assertEquals("maxRetryAfterPause must be >= 0 (0: never pause a host), got PT-1S",
                assertThrows(IllegalArgumentException.class, () -> HttpSession.builder().maxRetryAfterPause(Duration.ofSeconds(-1))).getMessage());
    }

    @Test
    void backPressureIsNotABreakerFailure() throws Exception {
        ResilienceCounters counters = new ResilienceCounters();
        CircuitBreaker[] breaker = new CircuitBreaker[1];
        try (HttpSession s = HttpSession.builder().maxRetryAfterPause(Duration.ZERO)
                .policyPerHost(RequestPolicies.perHost(host -> Policy.builder()
                        .circuitBreaker(breaker[0] = CircuitBreaker.builder().countWindow(4).minimumCalls(4).build())
                        .listener(counters).build())).build()) {
            for (int i = 0; i < 10; i++) {
                assertEquals(429, s.get(url(app, "/busy?after=0")).status());
            }
            assertEquals(CircuitBreaker.State.CLOSED, breaker[0].state());
            assertEquals(0, breaker[0].metrics().failures());
            assertEquals(10, breaker[0].metrics().ignored());
        }
    }

    @Test
    void aRequestRefusedByAnOpenBreakerWaitsForTheTrialWithinItsDeadline() throws Exception {
        ResilienceCounters counters = new ResilienceCounters();
        CircuitBreaker[] breaker = new CircuitBreaker[1];
        VirtualTime time = VirtualTime.autoAdvancing();
        try (HttpSession s = HttpSession.builder().policyPerHost(RequestPolicies.perHost(host -> Policy.builder()
                .circuitBreaker(breaker[0] = CircuitBreaker.builder().countWindow(4).minimumCalls(4).failureRateThreshold(50)
                        .waitInOpen(Duration.ofSeconds(10)).trialCalls(1).waitForTrial(Duration.ofMinutes(1)).build())
                .listener(counters).build())).build()) {
            List<Outcome<Response>> outcomes = time.run(() -> {
                down.set(true);
                for (int i = 0; i < 4; i++) {
                    assertEquals(503, s.get(url(app, "/recovering")).status());
                }
                assertEquals(CircuitBreaker.State.OPEN, breaker[0].state());
                down.set(false);
                int before = hits("/recovering");
                // deadline before the trial period: refused at once, nothing sent
                assertThrows(CircuitBreakerOpenException.class,
                        () -> Timeouts.failAfter(Duration.ofSeconds(5), () -> s.get(url(app, "/recovering"))));
                assertEquals(Duration.ZERO, time.elapsed());
                assertEquals(before, hits("/recovering"));
                // with time enough, all wait for the trial; it succeeds and the rest follow
                return Weft.mapOutcomes(java.util.Collections.nCopies(20, url(app, "/recovering")), 20,
                        u -> Timeouts.failAfter(Duration.ofSeconds(30), () -> s.get(u)));
            });
            for (Outcome<Response> o : outcomes) {
                assertEquals("back", o.getOrThrow().text());
            }
            assertEquals(Duration.ofSeconds(10), time.elapsed(), "they waited exactly the open period");
            assertEquals(1, counters.rejections(), "only the request without time enough was refused");
            assertEquals(CircuitBreaker.State.CLOSED, breaker[0].state());
        }
    }
}
