package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Deadline;
import dev.weft.Task;
import dev.weft.TaskGroup;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;

class WebAppTest {

    private static WebApp.Builder app() {
        return WebApp.builder().host("127.0.0.1").port(0).drainTimeout(Duration.ofSeconds(10));
    }

    record Item(String name, int qty) {
    }

    @Test
    void routesPathParamsQueryAndJson() throws Exception {
        WebApp app = app()
                .get("/hello/{name}", req -> WebResponse.text("hello " + req.pathParam("name") + req.query("x").map(v -> " x=" + v).orElse("")))
                .post("/items", req -> {
                    Item it = req.json(Item.class);
                    return WebResponse.json(201, new Item(it.name().toUpperCase(), it.qty() + 1));
                })
                .build();
        try (RunningApp r = app.start()) {
            HttpResponse<String> hello = Raw.get(r.uri(), "/hello/weft?x=1");
            assertEquals(200, hello.statusCode());
            assertEquals("hello weft x=1", hello.body());
            HttpResponse<String> created = Raw.post(r.uri(), "/items", "{\"name\":\"bolt\",\"qty\":2}");
            assertEquals(201, created.statusCode());
            assertEquals("{\"name\":\"BOLT\",\"qty\":3}", created.body());
            assertEquals("application/json", created.headers().firstValue("content-type").orElseThrow());
            HttpResponse<String> bad = Raw.post(r.uri(), "/items", "{not json");
            assertEquals(400, bad.statusCode());
            assertTrue(bad.body().contains("malformed JSON body"), bad.body());
            HttpResponse<String> missing = Raw.get(r.uri(), "/nope");
            assertEquals(404, missing.statusCode());
            assertTrue(missing.body().contains("\"status\":404"), missing.body());
        }
    }

    @Test
    void filtersRunInOrderFirstAddedOutermost() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        WebApp app = app()
                .filter((req, next) -> {
                    seen.add("a-in");
                    WebResponse res = next.handle(req);
                    seen.add("a-out");
                    return res.withHeader("X-A", "1");
                })
                .filter((req, next) -> {
                    seen.add("b-in");
                    if (req.header("X-Block").isPresent()) {
                        throw new WebException(403, "blocked by filter");
                    }
                    return next.handle(req);
                })
                .get("/x", req -> {
                    seen.add("handler");
                    return WebResponse.text("x");
                })
                .build();
        try (RunningApp r = app.start()) {
            HttpResponse<String> res = Raw.get(r.uri(), "/x");
            assertEquals(200, res.statusCode());
            assertEquals("1", res.headers().firstValue("X-A").orElseThrow());
            assertEquals(List.of("a-in", "b-in", "handler", "a-out"), seen);
            seen.clear();
            HttpResponse<String> blocked = Raw.get(r.uri(), "/x", "X-Block", "yes");
            assertEquals(403, blocked.statusCode(), blocked.body());
            assertTrue(blocked.body().contains("blocked by filter"), blocked.body());
            assertEquals(List.of("a-in", "b-in"), seen, "the inner filter stopped the request before the handler");
        }
    }

    @Test
    void handlerExceptionsBecome500WithoutLeakingTheMessage() throws Exception {
        WebApp app = app().get("/boom", req -> {
            throw new IllegalStateException("secret detail");
        }).get("/teapot", req -> {
            throw new WebException(418, "short and stout");
        }).build();
        try (RunningApp r = app.start()) {
            HttpResponse<String> boom = Raw.get(r.uri(), "/boom");
            assertEquals(500, boom.statusCode());
            assertFalse(boom.body().contains("secret"), boom.body());
            HttpResponse<String> teapot = Raw.get(r.uri(), "/teapot");
            assertEquals(418, teapot.statusCode());
            assertEquals("{\"status\":418,\"error\":\"short and stout\"}", teapot.body());
        }
    }

    /**
     * The handler sees the request deadline, and a handler stuck past it is cancelled with a 504.
     * The deadline that must not fire (the one the handler reads) is an hour, so a slow, cold
     * server cannot turn into a false failure; the one that must fire is short, and every request
     * to that app is expected to end at it.
     */
    @Test
    void handlerRunsUnderTheRequestDeadlineAndIsCancelledAtIt() throws Exception {
        WebApp seeing = app().requestTimeout(Duration.ofHours(1))
                .get("/deadline", req -> WebResponse.text(String.valueOf(Deadline.current().orElseThrow().remaining().toMinutes())))
                .build();
        try (RunningApp r = seeing.start()) {
            HttpResponse<String> res = Raw.get(r.uri(), "/deadline");
            assertEquals(200, res.statusCode(), res.body());
            long minutesLeft = Long.parseLong(res.body());
            assertTrue(minutesLeft >= 50 && minutesLeft <= 60, "the handler's deadline is the request's hour: " + res.body());
        }
        CountDownLatch never = new CountDownLatch(1);
        WebApp stuckApp = app().requestTimeout(Duration.ofMillis(200))
                .get("/stuck", req -> {
                    never.await(); // interrupted by the request deadline
                    return WebResponse.text("unreachable");
                })
                .build();
        try (RunningApp r = stuckApp.start()) {
            for (int i = 0; i < 2; i++) { // the second shows the connection thread is fine after the first
                HttpResponse<String> stuck = Raw.get(r.uri(), "/stuck");
                assertEquals(504, stuck.statusCode());
                assertTrue(stuck.body().contains("request deadline exceeded"), stuck.body());
            }
        }
    }

    @Test
    void cleanupsRunInReverseOrderAfterShutdown() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        WebApp app = app()
                .onStartup("db", () -> {
                    events.add("start db");
                    return () -> events.add("close db");
                })
                .onStartup("cache", () -> {
                    events.add("start cache");
                    return () -> events.add("close cache");
                })
                .onCleanup("metrics", () -> events.add("close metrics"))
                .build();
        RunningApp r = app.start();
        assertEquals(WebApp.State.RUNNING, r.state());
        RunningApp.ShutdownReport report = r.shutdown();
        assertTrue(report.clean(), report.toString());
        assertEquals(List.of("start db", "start cache", "close metrics", "close cache", "close db"), events);
        assertEquals(WebApp.State.STOPPED, r.state());
        assertSame(report, r.shutdown()); // idempotent
    }

    @Test
    void failingStartupHookCleansUpTheEarlierHooksAndThrows() {
        List<String> events = new CopyOnWriteArrayList<>();
        WebApp app = app()
                .onStartup("first", () -> () -> events.add("close first"))
                .onStartup("second", () -> {
                    throw new IllegalStateException("no database");
                })
                .onStartup("third", () -> () -> events.add("close third"))
                .build();
        IllegalStateException e = assertThrows(IllegalStateException.class, app::start);
        assertEquals("no database", e.getMessage());
        assertEquals(List.of("close first"), events);
    }

    @Test
    void cleanupFailuresAreReportedAndDoNotStopOtherCleanups() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        WebApp app = app()
                .onCleanup("a", () -> events.add("a"))
                .onCleanup("b", () -> {
                    throw new IllegalStateException("b failed");
                })
                .build();
        RunningApp.ShutdownReport report = app.start().shutdown();
        assertEquals(List.of("a"), events);
        assertEquals(1, report.cleanupErrors().size());
        assertEquals("b failed", report.cleanupErrors().getFirst().getMessage());
    }

    @Test
    void healthChecksReportEachCheckAndTheirTimeouts() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        boolean[] dbUp = {true};
        WebApp app = app()
                .livenessCheck("heap", Duration.ofSeconds(5), () -> true)
                .readinessCheck("db", Duration.ofSeconds(5), () -> dbUp[0])
                .readinessCheck("slow", Duration.ofMillis(100), () -> {
                    never.await();
                    return true;
                })
                .build();
        try (RunningApp r = app.start()) {
            HttpResponse<String> live = Raw.get(r.uri(), "/health/live");
            assertEquals(200, live.statusCode());
            assertTrue(live.body().contains("\"name\":\"heap\""), live.body());
            HttpResponse<String> ready = Raw.get(r.uri(), "/health/ready");
            assertEquals(503, ready.statusCode());
            assertTrue(ready.body().contains("timed out after PT0.1S"), ready.body());
            assertTrue(ready.body().contains("\"name\":\"db\",\"kind\":\"ready\",\"status\":\"UP\""), ready.body());
            assertEquals(200, Raw.get(r.uri(), "/health/started").statusCode());
            assertEquals(503, Raw.get(r.uri(), "/health").statusCode());
        }
    }

    @Test
    void startupAndReadinessTurnUpOnlyAfterTheStartupHooks() throws Exception {
        CountDownLatch hookEntered = new CountDownLatch(1);
        CountDownLatch releaseHook = new CountDownLatch(1);
        int[] port = new int[1];
        // start() returns only after the hooks, so pick the (ephemeral, loopback) port up front
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port[0] = probe.getLocalPort();
        }
        WebApp fixed = WebApp.builder().host("127.0.0.1").port(port[0])
                .get("/x", req -> WebResponse.text("x"))
                .onStartup("slow-init", () -> {
                    hookEntered.countDown();
                    releaseHook.await();
                    return null;
                })
                .build();
        java.net.URI base = java.net.URI.create("http://127.0.0.1:" + port[0]);
        TaskGroup.run(g -> {
            Task<RunningApp> starting = g.spawn(fixed::start);
            hookEntered.await();
            assertEquals(503, Raw.get(base, "/health/started").statusCode());
            assertEquals(503, Raw.get(base, "/health/ready").statusCode());
            assertEquals(200, Raw.get(base, "/health/live").statusCode());
            HttpResponse<String> early = Raw.get(base, "/x");
            assertEquals(503, early.statusCode());
            assertTrue(early.body().contains("starting"), early.body());
            releaseHook.countDown();
            try (RunningApp r = starting.join()) {
                assertEquals(WebApp.State.RUNNING, r.state());
                assertEquals(200, Raw.get(base, "/health/started").statusCode());
                assertEquals(200, Raw.get(base, "/health/ready").statusCode());
                assertEquals(200, Raw.get(base, "/x").statusCode());
            }
            return null;
        });
    }

    @Test
    void drainFinishesRequestsInFlightRefusesNewOnesThenCleansUp() throws Exception {
        int n = 5;
        Semaphore arrived = new Semaphore(0);
        CountDownLatch release = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        WebApp app = app()
                .get("/work", req -> {
                    arrived.release();
                    release.await();
                    events.add("request done");
                    return WebResponse.text("done");
                })
                .get("/quick", req -> WebResponse.text("quick"))
                .onCleanup("db", () -> events.add("cleanup"))
                .build();
        RunningApp r = app.start();
        TaskGroup.run(g -> {
            List<Task<HttpResponse<String>>> inFlight = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                inFlight.add(g.spawn(() -> Raw.get(r.uri(), "/work")));
            }
            arrived.acquire(n);
            assertEquals(n, r.inFlight());
            r.beginDrain(); // what SIGTERM does first
            assertEquals(503, Raw.get(r.uri(), "/health/ready").statusCode());
            assertEquals(200, Raw.get(r.uri(), "/health/live").statusCode());
            HttpResponse<String> refused = Raw.get(r.uri(), "/quick");
            assertEquals(503, refused.statusCode());
            assertTrue(refused.body().contains("shutting down"), refused.body());
            Task<RunningApp.ShutdownReport> shutdown = g.spawn(r::shutdown);
            release.countDown();
            for (Task<HttpResponse<String>> t : inFlight) {
                HttpResponse<String> res = t.join();
                assertEquals(200, res.statusCode());
                assertEquals("done", res.body());
                assertEquals("close", res.headers().firstValue("connection").orElse(""));
            }
            RunningApp.ShutdownReport report = shutdown.join();
            assertEquals(0, report.abandonedRequests());
            return null;
        });
        assertEquals(n + 1, events.size());
        assertEquals("cleanup", events.getLast());
        assertEquals(WebApp.State.STOPPED, r.state());
    }

    @Test
    void drainTimeoutAbandonsStuckRequestsAndStillCleansUp() throws Exception {
        Semaphore arrived = new Semaphore(0);
        CountDownLatch never = new CountDownLatch(1);
        List<String> events = new CopyOnWriteArrayList<>();
        WebApp app = app().drainTimeout(Duration.ofMillis(100)).requestTimeout(null)
                .get("/stuck", req -> {
                    arrived.release();
                    never.await();
                    return WebResponse.text("unreachable");
                })
                .onCleanup("db", () -> events.add("cleanup"))
                .build();
        RunningApp r = app.start();
        TaskGroup.run(g -> {
            Task<Object> client = g.spawn(() -> {
                try {
                    return Raw.get(r.uri(), "/stuck").statusCode();
                } catch (java.io.IOException e) {
                    return e; // the stop closed the connection
                }
            });
            arrived.acquire();
            RunningApp.ShutdownReport report = r.shutdown();
            assertEquals(1, report.abandonedRequests());
            assertEquals(List.of("cleanup"), events);
            client.join();
            return null;
        });
    }

    @Test
    void malformedRequestsGet4xxAndTheServerKeepsServing() throws Exception {
        WebApp app = app().maxHeaderSize(1024).maxBodySize(100)
                .get("/ok", req -> WebResponse.text("ok"))
                .post("/upload", req -> WebResponse.text(String.valueOf(req.body().length)))
                .build();
        try (RunningApp r = app.start()) {
            int port = r.port();
            String garbage = Raw.exchange(port, "\u0000\u0001\u0002 garbage \r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(garbage.isEmpty() || Raw.statusOf(garbage) / 100 == 4, garbage);
            String noVersion = Raw.exchange(port, "GET /ok\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(noVersion.isEmpty() || Raw.statusOf(noVersion) / 100 == 4, noVersion);
            String bigHeader = "GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4000) + "\r\n\r\n";
            int bigHeaderStatus = Raw.statusOf(Raw.exchange(port, bigHeader.getBytes(StandardCharsets.ISO_8859_1)));
            assertEquals(400, bigHeaderStatus); // Helidon 4.5 answers 400, not 431
            String bigBody = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n" + "b".repeat(1000);
            assertEquals(413, Raw.statusOf(Raw.exchange(port, bigBody.getBytes(StandardCharsets.ISO_8859_1))));
            String chunked = "POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                    + "3e8\r\n" + "c".repeat(1000) + "\r\n0\r\n\r\n";
            assertEquals(413, Raw.statusOf(Raw.exchange(port, chunked.getBytes(StandardCharsets.ISO_8859_1))));
            String small = "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
            String smallAnswer = Raw.exchange(port, small.getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(200, Raw.statusOf(smallAnswer), smallAnswer);
            assertTrue(smallAnswer.endsWith("5"), smallAnswer);
            assertEquals("ok", Raw.get(r.uri(), "/ok").body());
        }
    }

    @Test
    void serveDrainsAndReturnsTheReportWhenItsTaskIsCancelled() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        CountDownLatch ready = new CountDownLatch(1);
        java.net.URI[] base = new java.net.URI[1];
        WebApp app = app().get("/x", req -> WebResponse.text("x")).onCleanup("db", () -> events.add("cleanup")).build();
        TaskGroup.run(g -> {
            Task<RunningApp.ShutdownReport> serving = g.spawn(() -> app.serve(r -> {
                base[0] = r.uri();
                ready.countDown();
            }));
            ready.await();
            assertEquals("x", Raw.get(base[0], "/x").body());
            serving.cancel(); // what SIGTERM does under Weft.run
            RunningApp.ShutdownReport report = serving.join();
            assertTrue(report.clean(), report.toString());
            return null;
        });
        assertEquals(List.of("cleanup"), events);
    }

    @Test
    void builderValidatesWithExactMessages() {
        assertEquals("port must be 0..65535 (0: ephemeral), got 70000",
                assertThrows(IllegalArgumentException.class, () -> WebApp.builder().port(70000)).getMessage());
        assertEquals("route path must start with '/', got 'x'",
                assertThrows(IllegalArgumentException.class, () -> WebApp.builder().get("x", req -> null)).getMessage());
        assertEquals("route path '/health/x' is reserved for the health endpoints",
                assertThrows(IllegalArgumentException.class, () -> WebApp.builder().get("/health/x", req -> null)).getMessage());
        assertEquals("WebException status must be 4xx or 5xx, got 200",
                assertThrows(IllegalArgumentException.class, () -> new WebException(200, "ok")).getMessage());
    }
}
