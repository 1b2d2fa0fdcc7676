package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DeadlineExceededException;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HttpSessionTest {
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void closeOnAnInterruptedThreadStopsTheClientAndKeepsTheFlag() throws Exception {
        HttpSession s = HttpSession.builder().build();
        assertEquals(200, s.get(server.url("/hello")).status());
        Thread.currentThread().interrupt();
        try {
            s.close(); // Jetty's stop throws InterruptedException on an interrupted thread
        } finally {
            assertTrue(Thread.interrupted(), "close() lost the caller's interrupt");
        }
    }

    @Test
    void getPostJsonAndStatusesAsData() throws Exception {
        try (HttpSession s = HttpSession.create()) {
            Response hello = s.get(server.url("/hello"));
            assertEquals(200, hello.status());
            assertEquals("hello", hello.text());
            assertEquals(1, hello.attempts());
            assertEquals(Map.of("a", 1), s.getJson(server.url("/json"), Map.class));
            assertEquals(Map.of("k", "v"), s.postJson(server.url("/echo"), Map.of("k", "v"), Map.class));
            Response notFound = s.get(server.url("/status/404"));
            assertEquals(404, notFound.status());
            HttpStatusException e = assertThrows(HttpStatusException.class, notFound::raiseForStatus);
            assertEquals(404, e.status());
            Response redirected = s.get(server.url("/redirect"));
            assertEquals(200, redirected.status());
            assertEquals("/hello", redirected.uri().getPath());
        }
    }

    @Test
    void invalidUrlsFailFastWithExactMessages() {
        assertEquals("unsupported scheme 'ftp' in 'ftp://x/y' (expected http or https)",
                assertThrows(IllegalArgumentException.class, () -> Request.get("ftp://x/y")).getMessage());
        assertEquals("URL 'example.com/x' has no scheme (expected http:// or https://)",
                assertThrows(IllegalArgumentException.class, () -> Request.get("example.com/x")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Request.get("http://bad host/"))
                .getMessage().startsWith("malformed URL 'http://bad host/'"));
        assertEquals("limit must be >= 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> HttpSession.builder().limit(0)).getMessage());
        assertEquals("read timeout must be positive or null (no limit of its own), got PT0S",
                assertThrows(IllegalArgumentException.class, () -> HttpTimeouts.DEFAULTS.withRead(Duration.ZERO)).getMessage());
    }

    @Test
    void globalLimitBoundsConcurrencyAtTheServer() throws Exception {
        int limit = 5;
        int requests = 40;
        server.max.set(0);
        try (HttpSession s = HttpSession.builder().limit(limit).build()) {
            TaskGroup.run(g -> {
                List<Task<Response>> tasks = new ArrayList<>();
                for (int i = 0; i < requests; i++) {
                    tasks.add(g.spawn(() -> s.get(server.url("/gate"))));
                }
                for (int done = 0; done < requests; done += limit) {
                    server.arrived.acquire(limit); // exactly `limit` are inside the server now
                    assertEquals(limit, server.current.get());
                    server.gate.release(limit);
                }
                for (Task<Response> t : tasks) {
                    assertEquals(200, t.join().status());
                }
                return null;
            });
            assertEquals(limit, server.max.get());
            assertEquals(0, s.stats().inFlight());
        }
    }

    @Test
    void perHostLimitBoundsEachHostSeparately() throws Exception {
        try (TestServer other = new TestServer(); HttpSession s = HttpSession.builder().limit(10).limitPerHost(2).build()) {
            server.max.set(0);
            TaskGroup.run(g -> {
                for (int i = 0; i < 10; i++) {
                    g.spawn(() -> s.get(server.url("/gate")));
                    g.spawn(() -> s.get(other.url("/gate")));
                }
                for (int round = 0; round < 5; round++) {
                    server.arrived.acquire(2);
                    other.arrived.acquire(2);
                    assertEquals(2, server.current.get());
                    assertEquals(2, other.current.get());
                    server.gate.release(2);
                    other.gate.release(2);
                }
                return null;
            });
            assertEquals(2, server.max.get());
            assertEquals(2, other.max.get());
        }
    }

    @Test
    void acquireTimeoutWhenTheSessionIsSaturated() throws Exception {
        try (HttpSession s = HttpSession.builder().limit(1).build()) {
            TaskGroup.run(g -> {
                Task<Response> holder = g.spawn(() -> s.get(server.url("/hang")));
                server.arrived.acquire();
                Request r = Request.get(server.url("/hello")).withTimeouts(HttpTimeouts.DEFAULTS.withAcquire(Duration.ofMillis(50)));
                HttpTimeoutException e = assertThrows(HttpTimeoutException.class, () -> s.send(r));
                assertEquals(HttpTimeoutException.Kind.ACQUIRE, e.kind());
                server.gate.release();
                assertEquals(200, holder.join().status());
                return null;
            });
        }
    }

    @Test
    void readTimeoutBeforeTheHeaders() throws Exception {
        try (HttpSession s = HttpSession.create()) {
            Request r = Request.get(server.url("/silent")).withTimeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofMillis(150)));
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class, () -> s.send(r));
            assertEquals(HttpTimeoutException.Kind.READ, e.kind(), e.toString());
            assertEquals(0, s.stats().activeConnections());
        }
    }

    @Test
    void readTimeoutInTheMiddleOfAStreamedBody() throws Exception {
        try (HttpSession s = HttpSession.create()) {
            s.get(server.url("/hello")); // warm up: the first exchange of a JVM may take longer than the read timeout
            Request r = Request.get(server.url("/partial")).withTimeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofMillis(500)));
            try (StreamingResponse res = s.stream(r)) {
                assertEquals(200, res.status());
                InputStream in = res.body();
                byte[] first = in.readNBytes("first bytes".length());
                assertEquals("first bytes", new String(first, StandardCharsets.US_ASCII));
                assertThrows(SocketTimeoutException.class, in::read);
            }
            assertEquals(0, s.stats().activeConnections());
            assertEquals(0, s.stats().inFlight());
        }
    }

    @Test
    void totalTimeout() throws Exception {
        try (HttpSession s = HttpSession.create()) {
            Request r = Request.get(server.url("/silent")).withTimeouts(HttpTimeouts.DEFAULTS.withTotal(Duration.ofMillis(150)));
            HttpTimeoutException e = assertThrows(HttpTimeoutException.class, () -> s.send(r));
            assertEquals(HttpTimeoutException.Kind.TOTAL, e.kind(), e.toString());
        }
    }

    @Test
    void callerDeadlineShortensTheRequest() throws Exception {
        try (HttpSession s = HttpSession.create()) {
            DeadlineExceededException e = assertThrows(DeadlineExceededException.class,
                    () -> Timeouts.failAfter(Duration.ofMillis(150), () -> s.get(server.url("/silent"))));
            assertTrue(e.getMessage().contains("exceeded its deadline"), e.getMessage());
            assertEquals(0, s.stats().activeConnections());
            assertEquals(0, s.stats().inFlight());
        }
    }

    @Test
    void connectTimeoutAgainstAListenerThatNeverAccepts() throws Exception {
        // A listener with a backlog of 1 that never accepts: once its queue is full, further SYNs
        // are dropped and connecting hangs until the connect timeout.
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<java.nio.channels.SocketChannel> fillers = new ArrayList<>();
            try {
                for (int i = 0; i < 8; i++) {
                    java.nio.channels.SocketChannel ch = java.nio.channels.SocketChannel.open();
                    ch.configureBlocking(false);
                    ch.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), ss.getLocalPort()));
                    fillers.add(ch);
                }
                try (HttpSession s = HttpSession.builder()
                        .timeouts(HttpTimeouts.DEFAULTS.withConnect(Duration.ofMillis(200))).build()) {
                    HttpTimeoutException e = assertThrows(HttpTimeoutException.class,
                            () -> s.get("http://127.0.0.1:" + ss.getLocalPort() + "/"));
                    assertEquals(HttpTimeoutException.Kind.CONNECT, e.kind(), e.toString());
                }
            } finally {
                for (var ch : fillers) {
                    ch.close();
                }
            }
        }
    }

    @Test
    void connectionRefusedIsAnHttpException() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = ss.getLocalPort();
        }
        try (HttpSession s = HttpSession.create()) {
            HttpException e = assertThrows(HttpException.class, () -> s.get("http://127.0.0.1:" + port + "/"));
            assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        }
    }

    @Test
    void fetchAllReturnsOutcomesInOrder() throws Exception {
        try (HttpSession s = HttpSession.create()) {
            List<String> urls = List.of(server.url("/hello"), server.url("/status/500"), "ftp://nope/", server.url("/json"));
            List<Outcome<Response>> out = s.fetchAll(urls, 2);
            assertEquals(4, out.size());
            assertEquals("hello", out.get(0).getOrThrow().text());
            assertEquals(500, out.get(1).getOrThrow().status());
            assertInstanceOf(IllegalArgumentException.class, ((Outcome.Failure<Response>) out.get(2)).error());
            assertEquals(200, out.get(3).getOrThrow().status());
        }
    }

    @Test
    void fetchAllUnderADeadlineKeepsEveryResponseThatArrivedAndCancelsTheOneThatHung() throws Exception {
        dev.weft.VirtualTime time = dev.weft.VirtualTime.manual(); // the deadline fires when the test says so
        AtomicInteger answered = new AtomicInteger();
        RequestPolicy counting = new RequestPolicy() {
            @Override
            public <R> R execute(Request request, Attempt<R> attempt) throws InterruptedException {
                R r = attempt.run(request);
                answered.incrementAndGet();
                return r;
            }
        };
        try (HttpSession s = HttpSession.builder().policy(counting).build()) {
            List<String> urls = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                urls.add(server.url("/hello"));
            }
            urls.add(server.url("/hang")); // last: every /hello was started before it
            java.util.concurrent.atomic.AtomicReference<List<Outcome<Response>>> result = new java.util.concurrent.atomic.AtomicReference<>();
            Thread caller = Thread.ofVirtual().start(() -> {
                try {
                    result.set(time.run(() -> s.fetchAll(urls, 4, Duration.ofHours(1))));
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            server.arrived.acquire(); // the hanging request is at the server
            while (answered.get() < 10) {
                Thread.yield(); // until every /hello was answered (observable state, no timing)
            }
            time.advance(Duration.ofHours(1));
            caller.join();
            List<Outcome<Response>> out = result.get();
            assertEquals(11, out.size());
            for (int i = 0; i < 11; i++) {
                if (i == 10) {
                    assertInstanceOf(Outcome.Cancelled.class, out.get(i));
                } else {
                    assertEquals("hello", out.get(i).getOrThrow().text(), "url " + i);
                }
            }
        } finally {
            server.gate.release(); // let the server's handler finish
        }
    }

    @Test
    void policyPerHostIsMadeOncePerHostAndCanRetry() throws Exception {
        Map<String, AtomicInteger> made = new ConcurrentHashMap<>();
        RequestPolicy retryOn503 = new RequestPolicy() {
            @Override
            public <R> R execute(Request request, Attempt<R> attempt) throws InterruptedException {
                R r = attempt.run(request);
                if (r instanceof Response res && res.status() == 503) {
                    return attempt.run(request);
                }
                return r;
            }
        };
        try (HttpSession s = HttpSession.builder().policyPerHost(host -> {
            made.computeIfAbsent(host, k -> new AtomicInteger()).incrementAndGet();
            return retryOn503;
        }).build()) {
            server.flaky.set(0);
            Response r = s.get(server.url("/flaky"));
            assertEquals(200, r.status());
            assertEquals(2, r.attempts());
            s.get(server.url("/hello"));
            Map<String, Integer> madePerHost = new java.util.HashMap<>();
            made.forEach((host, count) -> madePerHost.put(host, count.get()));
            assertEquals(Map.of("http://127.0.0.1:" + server.running.port(), 1), madePerHost,
                    "one policy, made once, for the one host (the whole map, not one entry)");
        }
    }

    @Test
    void tenThousandCancelledRequestsLeaveNoConnectionOrPermitBehind() throws Exception {
        int total = 10_000;
        int batch = 200;
        try (HttpSession s = HttpSession.builder().limit(batch).build()) {
            for (int done = 0; done < total; done += batch) {
                TaskGroup.run(g -> {
                    for (int i = 0; i < batch; i++) {
                        g.spawn(() -> s.get(server.url("/hang")));
                    }
                    server.arrived.acquire(batch); // every request reached the server
                    g.cancel();
                    return null;
                });
                server.gate.release(batch); // let the server-side handlers end
                HttpSession.Stats st = s.stats();
                assertEquals(0, st.activeConnections(), st.toString());
                assertEquals(0, st.inFlight(), st.toString());
            }
            assertEquals("hello", s.get(server.url("/hello")).text()); // the session still works
        }
    }

    @Test
    void cancellingAStreamedBodyReadAbortsIt() throws Exception {
        try (HttpSession s = HttpSession.create()) {
            TaskGroup.run(g -> {
                Task<Object> reader = g.spawn(() -> {
                    try (StreamingResponse res = s.stream(Request.get(server.url("/partial")))) {
                        res.body().readNBytes("first bytes".length());
                        server.arrived.release();
                        return res.body().read(); // blocks: the server stalls
                    }
                });
                server.arrived.acquire();
                reader.cancel();
                Outcome<Object> o = reader.outcome();
                assertTrue(o instanceof Outcome.Cancelled || (o instanceof Outcome.Failure<Object> f
                        && f.error() instanceof InterruptedIOException), o.toString());
                return null;
            });
            assertEquals(0, s.stats().activeConnections());
            assertEquals(0, s.stats().inFlight());
        }
    }

    @Test
    void closingAHalfReadStreamFreesTheConnection() throws Exception {
        try (HttpSession s = HttpSession.create()) {
            try (StreamingResponse res = s.stream(Request.get(server.url("/bytes?n=10000000")))) {
                assertEquals(10_000_000L, Long.parseLong(res.header("content-length").orElseThrow()));
                assertEquals(1000, res.body().readNBytes(1000).length);
            }
            assertEquals(0, s.stats().activeConnections());
            assertArrayEquals("hello".getBytes(), s.get(server.url("/hello")).body());
        }
    }

    /**
     * A 1 GiB body streamed by a child JVM whose heap is 48 MiB: it can only finish if the client
     * never holds the body. Deterministic, unlike sampling {@code totalMemory - freeMemory}.
     */
    @Test
    void streamsOneGigabyteWithFlatMemory() throws Exception {
        long size = 1L << 30;
        String javaBin = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "-Xmx48m", "-cp", System.getProperty("java.class.path"),
                StreamInSmallHeapMain.class.getName(), server.url("/bytes?n=" + size))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("read " + size + "\n") || out.contains("read " + size + System.lineSeparator()), out);
        long maxHeap = Long.parseLong(out.replaceAll("(?s).*maxHeap (\\d+).*", "$1"));
        assertTrue(maxHeap < size / 16, "the child's heap (" + maxHeap + " bytes) is far smaller than the body");
    }
}
