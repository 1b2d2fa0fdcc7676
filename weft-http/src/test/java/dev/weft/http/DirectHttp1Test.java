package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DeadlineExceededException;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.http.HttpException.ErrorKind;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plain-HTTP/1.1 transport of {@link HttpSession#stream} (ADR 0330), against a raw keep-alive
 * server that frames bodies each way and misbehaves each way: the same answers, kinds and words
 * as the Jetty transport, connections reused when they can be and never when they cannot, and
 * cancellation that frees everything.
 */
class DirectHttp1Test {
    static final CountDownLatch stop = new CountDownLatch(1);
    static final CountDownLatch silentArrived = new CountDownLatch(1);
    /** Counted down once the /drip-once body is under way (one test uses that path). */
    static final CountDownLatch dripping = new CountDownLatch(1);
    static final int PARKERS = 32;
    static final CountDownLatch parked = new CountDownLatch(PARKERS);
    static RawServer server;

    @BeforeAll
    static void start() throws IOException {
        server = new RawServer((head, out) -> {
            String path = RawServer.path(head);
            if (path.startsWith("/n/")) {
                String n = path.substring(3);
                RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + n.length() + "\r\n\r\n" + n);
                return;
            }
            switch (path) {
                case "/ok" -> RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
                case "/chunked" -> RawServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n");
                case "/head" -> RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n"); // HEAD: no body follows
                case "/204" -> RawServer.write(out, "HTTP/1.1 204 No Content\r\n\r\n");
                case "/continue" -> RawServer.write(out, "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nthen");
                case "/lf-only" -> RawServer.write(out, "HTTP/1.1 200 OK\nContent-Length: 2\n\nlf");
                case "/names" -> RawServer.write(out, "HTTP/1.1 200 OK\r\nCONTENT-TYPE: text/x\r\ncontent-typf: near\r\n"
                        + "X-Weft: custom\r\nSet-Cookie: a=1\r\nset-cookie: b=2\r\nConTent-LengtH: 3\r\n\r\nabc");
                case "/to-close" -> {
                    RawServer.write(out, "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end");
                    out.close();
                }
                case "/bye" -> { // a keep-alive answer, then the server drops the idle connection
                    RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nbye");
                    out.close();
                }
                case "/big" -> {
                    RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n");
                    byte[] k = new byte[1000];
                    for (int i = 0; i < 1000; i++) {
                        out.write(k);
                    }
                }
                case "/mid-body" -> {
                    RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly a few bytes");
                    out.close();
                }
                case "/mid-chunk" -> {
                    RawServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc");
                    out.close();
                }
                case "/bad-chunk" -> RawServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
                case "/no-answer" -> out.close();
                case "/not-http" -> RawServer.write(out, "SPDY/9 banana\r\n\r\n");
                case "/status-600" -> RawServer.write(out, "HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n");
                case "/status-99" -> RawServer.write(out, "HTTP/1.1 99 Odd\r\nContent-Length: 0\r\n\r\n");
                case "/loop" -> RawServer.write(out, "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\n\r\n");
                case "/moved" -> RawServer.write(out, "HTTP/1.1 301 Moved\r\nLocation: /ok\r\nContent-Length: 5\r\n\r\nmoved");
                case "/see-other" -> RawServer.write(out, "HTTP/1.1 303 See Other\r\nLocation: /method\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                case "/method" -> {
                    String m = head.substring(0, head.indexOf(' '));
                    RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: " + m.length() + "\r\n\r\n" + m);
                }
                case "/silent" -> {
                    silentArrived.countDown();
                    stop.await();
                }
                case "/drip" -> drip(out, null);
                case "/drip-once" -> drip(out, dripping);
                case "/stall-body" -> { // part of the body, then nothing
                    RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nfive.");
                    stop.await();
                }
                case "/park" -> {
                    parked.countDown();
                    stop.await();
                }
                default -> RawServer.write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            }
        }, true);
    }

    private static void drip(OutputStream out, CountDownLatch underWay) throws Exception {
        RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        for (int i = 0; i < 1000 && stop.getCount() > 0; i++) {
            if (i == 2 && underWay != null) {
                underWay.countDown();
            }
            RawServer.write(out, "x");
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        stop.countDown();
        server.close();
    }

    interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} on a virtual thread, as a Weft task would (the direct transport's home), rethrowing its failure. */
    static void onVirtual(Body body) throws Exception {
        Throwable[] failed = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failed[0] = e;
            }
        });
        t.join();
        if (failed[0] instanceof Exception e) {
            throw e;
        }
        if (failed[0] != null) {
            throw (Error) failed[0];
        }
    }

    static HttpSession.Builder direct() {
        return HttpSession.builder().directHttp1(true).contentDecoding(false)
                .timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofSeconds(10)));
    }

    private static String body(HttpSession s, Request r) throws Exception {
        try (StreamingResponse res = s.stream(r)) {
            return res.status() + " " + new String(res.body().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String get(HttpSession s, String path) throws Exception {
        return body(s, Request.get(server.url(path)));
    }

    @Test
    void bodiesFramedEveryWayAreReadWholeAndTheConnectionIsReused() throws Exception {
        onVirtual(() -> {
            try (HttpSession s = direct().build()) {
                int before = server.accepted();
                assertEquals("200 ok", get(s, "/ok"));
                assertEquals("200 hello, world", get(s, "/chunked"));
                assertEquals("200 ", body(s, Request.of("HEAD", java.net.URI.create(server.url("/head")))));
                assertEquals("204 ", get(s, "/204"));
                assertEquals("200 then", get(s, "/continue"));
                assertEquals("200 lf", get(s, "/lf-only"));
                assertEquals("200 ok", get(s, "/ok"));
                assertEquals(1, server.accepted() - before, "one keep-alive connection for all of them");
            assertEquals(7, s.directExchanges(), "sent by the direct transport");
                assertEquals(1, s.stats().idleConnections());
                assertEquals("200 until the end", get(s, "/to-close"));
                assertEquals(0, s.stats().idleConnections(), "a connection the server closes is not pooled");
                assertEquals(0, s.stats().inFlight());
            }
        });
    }

    @Test
    void plainHttpNeverMakesTheJettyClientAndAClosedSessionDoesNotMakeItLater() throws Exception {
        onVirtual(() -> {
            HttpSession s = direct().build();
            try (s) {
                assertEquals("200 ok", get(s, "/ok"));
                assertFalse(s.jettyMade(), "plain http went through the direct transport only");
            }
            Exception e = assertThrows(Exception.class, () -> body(s, Request.get("https://127.0.0.1:1/x")));
            assertTrue(String.valueOf(e.getMessage()).contains("closed"), e.toString());
            assertFalse(s.jettyMade(), "a closed session makes no client");
        });
    }

    @Test
    void headerNamesAreReadInLowerCaseWhateverTheirCaseCommonOrNot() throws Exception {
        onVirtual(() -> {
            try (HttpSession s = direct().build(); StreamingResponse res = s.stream(Request.get(server.url("/names")))) {
                assertEquals("abc", new String(res.body().readAllBytes(), StandardCharsets.ISO_8859_1));
                assertEquals(java.util.Optional.of("text/x"), res.header("content-type"));
                assertEquals(java.util.Optional.of("near"), res.header("Content-Typf"), "one letter from a common name");
                assertEquals(java.util.Optional.of("custom"), res.header("x-weft"));
                assertEquals(List.of("a=1", "b=2"), res.headers().get("set-cookie"), "a repeated header keeps both values");
                assertEquals(java.util.Set.of("content-type", "content-typf", "x-weft", "set-cookie", "content-length"),
                        res.headers().keySet());
            }
        });
    }

    @Test
    void idleConnectionsAreClosedAfterTheKeepAlive() throws Exception {
        onVirtual(() -> {
            try (HttpSession s = direct().keepAlive(Duration.ofMillis(1)).build()) {
                assertEquals("200 ok", get(s, "/ok"));
                long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (s.stats().idleConnections() > 0) { // the watchdog's next look closes it
                    assertTrue(System.nanoTime() < until, "the idle connection was never closed");
                    Thread.sleep(5);
                }
                assertEquals("200 ok", get(s, "/ok"));
            }
        });
    }

    @Test
    void aPooledConnectionTheServerDroppedIsReplacedWithoutAFailure() throws Exception {
        onVirtual(() -> {
            try (HttpSession s = direct().build()) {
                int before = server.accepted();
                assertEquals("200 bye", get(s, "/bye"));
                assertEquals("200 ok", get(s, "/ok"));
                assertEquals(2, server.accepted() - before, "the dropped connection was replaced once");
            }
        });
    }

    @Test
    void failuresHaveTheKindsAndWordsOfTheJettyTransport() throws Exception {
        onVirtual(() -> {
            try (HttpSession s = direct().build()) {
                for (String path : new String[] {"/no-answer"}) {
                    HttpException e = assertThrows(HttpException.class, () -> s.stream(Request.get(server.url(path))));
                    assertEquals(ErrorKind.CONNECTION_CLOSED, e.errorKind(), path);
                    assertEquals("GET " + server.url(path) + ": the server closed the connection before the response was complete", e.getMessage());
                }
                for (String path : new String[] {"/mid-body", "/mid-chunk"}) {
                    try (StreamingResponse r = s.stream(Request.get(server.url(path)))) {
                        IOException e = assertThrows(IOException.class, () -> r.body().readAllBytes());
                        assertEquals(ErrorKind.CONNECTION_CLOSED, HttpException.kindOf(e), path);
                        ErrorKindsTest.assertPlainWords(e.getMessage());
                        assertTrue(e.getMessage().endsWith("the server closed the connection before the response was complete"), e.getMessage());
                    }
                }
                try (StreamingResponse r = s.stream(Request.get(server.url("/bad-chunk")))) {
                    IOException e = assertThrows(IOException.class, () -> r.body().readAllBytes());
                    assertEquals(ErrorKind.INVALID_RESPONSE, HttpException.kindOf(e));
                    assertTrue(e.getMessage().contains("invalid response body framing: bad chunk size 'zz'"), e.getMessage());
                }
                HttpException notHttp = assertThrows(HttpException.class, () -> s.stream(Request.get(server.url("/not-http"))));
                assertEquals(ErrorKind.INVALID_RESPONSE, notHttp.errorKind());
                assertEquals("status line is not HTTP", notHttp.detail());
                HttpException e600 = assertThrows(HttpException.class, () -> s.stream(Request.get(server.url("/status-600"))));
                assertEquals("invalid status 600 (a status code is a number from 100 to 599)", e600.detail());
                HttpException e99 = assertThrows(HttpException.class, () -> s.stream(Request.get(server.url("/status-99"))));
                assertEquals("invalid status line: the status code is not a number from 100 to 599", e99.detail());
                int closedPort;
                try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
                    closedPort = ss.getLocalPort();
                }
                HttpException refused = assertThrows(HttpException.class,
                        () -> s.stream(Request.get("http://127.0.0.1:" + closedPort + "/")));
                assertEquals(ErrorKind.CONNECTION_REFUSED, refused.errorKind());
                assertTrue(refused.detail().startsWith("connection refused"), refused.detail());
            HttpException dns = assertThrows(HttpException.class, () -> s.stream(Request.get("http://no-such-host.invalid/")));
            assertEquals(ErrorKind.UNKNOWN_HOST, dns.errorKind());
            assertEquals("could not resolve the host name 'no-such-host.invalid' (DNS lookup failed)", dns.detail());
                assertEquals(0, s.stats().inFlight(), "every failed exchange released its permits");
            }
        });
    }

    @Test
    void redirectsAreFollowedWithinTheLimitAndA303BecomesAGet() throws Exception {
        onVirtual(() -> {
            try (HttpSession s = direct().followRedirects(true, 3).build()) {
                try (StreamingResponse r = s.stream(Request.get(server.url("/moved")))) {
                    assertEquals(200, r.status());
                    assertEquals(server.url("/ok"), r.uri().toString());
                    assertEquals("ok", new String(r.body().readAllBytes(), StandardCharsets.ISO_8859_1));
                }
                assertEquals("200 GET", body(s, Request.post(server.url("/see-other")).withText("form")));
                HttpException loop = assertThrows(HttpException.class, () -> s.stream(Request.get(server.url("/loop"))));
                assertEquals(ErrorKind.TOO_MANY_REDIRECTS, loop.errorKind());
                assertTrue(loop.detail().startsWith("too many redirects (3)"), loop.detail());
            }
            try (HttpSession s = direct().followRedirects(false, 0).build()) {
                assertEquals("301 moved", get(s, "/moved"));
            }
        });
    }

    @Test
    void timeoutsSayWhichOneAndTheCallersDeadlineWins() throws Exception {
        onVirtual(() -> {
            try (HttpSession s = direct().timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofMillis(100))).build()) {
                HttpTimeoutException read = assertThrows(HttpTimeoutException.class, () -> s.stream(Request.get(server.url("/silent"))));
                assertEquals(HttpTimeoutException.Kind.READ, read.kind());
                assertEquals(1, s.directExchanges());
            }
            try (HttpSession s = direct().timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofSeconds(5)).withTotal(Duration.ofMillis(200))).build()) {
                try (StreamingResponse r = s.stream(Request.get(server.url("/drip")))) {
                    IOException e = assertThrows(IOException.class, () -> r.body().readAllBytes());
                    assertEquals(ErrorKind.TIMEOUT_TOTAL, HttpException.kindOf(e), e.toString());
                }
                assertEquals(0, s.stats().idleConnections(), "a connection cut mid-body is not pooled");
            }
        });
        try (HttpSession s = direct().build()) {
            // on a virtual thread (a Weft task), where the cancellation closes the socket under a blocked read
            Task<Boolean> cut = TaskGroup.run(g -> g.spawn(() -> {
                assertTrue(Thread.currentThread().isVirtual());
                assertThrows(DeadlineExceededException.class, () -> Timeouts.failAfter(Duration.ofMillis(200), () -> {
                    try (StreamingResponse r = s.stream(Request.get(server.url("/drip")))) {
                        return r.body().readAllBytes();
                    }
                }));
                return Thread.currentThread().isInterrupted();
            }));
            assertFalse(cut.join(), "no stray interrupt");
            // a platform thread's socket read cannot be cancelled: the session sends through Jetty there
            assertThrows(DeadlineExceededException.class, () -> Timeouts.failAfter(Duration.ofMillis(200), () -> {
                try (StreamingResponse r = s.stream(Request.get(server.url("/drip")))) {
                    return r.body().readAllBytes();
                }
            }));
            assertFalse(Thread.currentThread().isInterrupted(), "no stray interrupt");
            assertEquals(1, s.directExchanges(), "the task's request went direct, the platform thread's through Jetty");
            assertEquals(0, s.stats().inFlight());
        }
    }

    @Test
    void sendBuffersTheBodyWithTheJettyPathsLimitKindsAndWords() throws Exception {
        onVirtual(() -> {
            try (HttpSession s = direct().maxBufferedBody(1000).build();
                 HttpSession jetty = HttpSession.builder().contentDecoding(false).maxBufferedBody(1000).build()) {
                int before = server.accepted();
                Response r = s.send(Request.get(server.url("/chunked")));
                assertEquals(200, r.status());
                assertEquals("hello, world", new String(r.body(), StandardCharsets.ISO_8859_1));
                assertEquals(List.of("chunked"), r.headers().get("transfer-encoding"));
                assertEquals("HTTP/1.1", r.version());
                assertEquals(1, r.attempts());
                Response moved = s.send(Request.get(server.url("/moved")));
                assertEquals("200 ok", moved.status() + " " + new String(moved.body(), StandardCharsets.ISO_8859_1));
                assertEquals(server.url("/ok"), moved.uri().toString(), "the final URI after the redirect");
                assertEquals(1, server.accepted() - before, "one keep-alive connection");
                assertEquals(3, s.directExchanges(), "send went direct (the redirect is an exchange of its own)");

                HttpException big = assertThrows(HttpException.class, () -> s.send(Request.get(server.url("/big"))));
                HttpException bigJetty = assertThrows(HttpException.class, () -> jetty.send(Request.get(server.url("/big"))));
                assertEquals(ErrorKind.BODY_TOO_LARGE, big.errorKind());
                assertEquals(bigJetty.getMessage(), big.getMessage(), "the same words as the Jetty path");
                HttpException cut = assertThrows(HttpException.class, () -> s.send(Request.get(server.url("/mid-body"))));
                HttpException cutJetty = assertThrows(HttpException.class, () -> jetty.send(Request.get(server.url("/mid-body"))));
                assertEquals(cutJetty.errorKind(), cut.errorKind(), cut + " / " + cutJetty);
                assertEquals(0, s.stats().inFlight(), "every permit back");
                assertEquals(0, s.stats().idleConnections(), "no half-read connection pooled");
                assertEquals("200 ok", get(s, "/ok"));
                assertEquals(0, jetty.directExchanges());
            }
            try (HttpSession s = direct().timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofSeconds(5)).withTotal(Duration.ofMillis(200))).build()) {
                HttpTimeoutException t = assertThrows(HttpTimeoutException.class, () -> s.send(Request.get(server.url("/drip"))));
                assertEquals(HttpTimeoutException.Kind.TOTAL, t.kind(), t.toString());
                assertEquals(0, s.stats().inFlight());
            }
        });
    }

    @Test
    void aSendWhoseBodyStallsFailsWithAReadTimeoutNotACancellation() throws Exception {
        onVirtual(() -> {
            try (HttpSession s = direct().timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofMillis(200))).build()) {
                // a read timeout is an InterruptedIOException to the JDK (SocketTimeoutException): not a cancellation
                HttpTimeoutException t = assertThrows(HttpTimeoutException.class, () -> s.send(Request.get(server.url("/stall-body"))));
                assertEquals(HttpTimeoutException.Kind.READ, t.kind(), t.toString());
                assertFalse(Thread.currentThread().isInterrupted(), "no stray interrupt");
                assertEquals(0, s.stats().inFlight());
                assertEquals(0, s.stats().idleConnections(), "a connection cut mid-body is not pooled");
                assertEquals(1, s.directExchanges());
            }
        });
    }

    @Test
    void cancellingASendReadingItsBodyFreesEverything() throws Exception {
        try (HttpSession s = direct().build()) {
            Task<Response> t = TaskGroup.run(g -> {
                Task<Response> task = g.spawn(() -> s.send(Request.get(server.url("/drip-once"))));
                dripping.await(); // the server is writing the body, a byte every 50 ms
                task.cancel();
                return task;
            });
            assertTrue(t.outcome() instanceof dev.weft.Outcome.Cancelled<Response>, t.outcome().toString());
            assertFalse(Thread.currentThread().isInterrupted(), "no stray interrupt");
            assertEquals(0, s.stats().inFlight());
            assertEquals(0, s.stats().idleConnections(), "the cut exchange's connection was closed, not pooled");
            assertEquals(1, s.directExchanges());
        }
    }

    @Test
    void cancellingARequestWaitingForItsAnswerFreesItsConnectionAndPermits() throws Exception {
        try (HttpSession s = direct().build()) {
            TaskGroup.run(g -> {
                Task<String> t = g.spawn(() -> get(s, "/silent"));
                silentArrived.await(); // the request is on the wire; the task waits for the answer
                t.cancel();
                return null;
            });
            assertFalse(Thread.currentThread().isInterrupted(), "no stray interrupt");
            assertEquals(0, s.stats().inFlight());
            assertEquals(0, s.stats().idleConnections(), "the cancelled exchange's connection was closed, not pooled");
            assertEquals("200 ok", get(s, "/ok"));
        }
    }

    @Test
    void closingAResponseBeforeItsEndClosesTheConnection() throws Exception {
        onVirtual(() -> {
            try (HttpSession s = direct().build()) {
                int before = server.accepted();
                try (StreamingResponse r = s.stream(Request.get(server.url("/big")))) {
                    assertEquals(10, r.body().readNBytes(10).length);
                }
                assertEquals(0, s.stats().idleConnections());
                assertEquals(0, s.stats().inFlight());
                assertEquals("200 ok", get(s, "/ok"));
                assertEquals(2, server.accepted() - before, "the half-read connection was not reused");
                StreamingResponse r = s.stream(Request.get(server.url("/ok")));
                r.close();
                IOException e = assertThrows(IOException.class, () -> r.body().read());
                assertEquals("the response was closed", e.getMessage());
            }
        });
    }

    @Test
    void underContentionWithCancellationsNothingIsLostMixedUpOrLeaked() throws Exception {
        try (HttpSession s = direct().limit(64).build()) {
            int before = server.accepted();
            java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
            java.util.List<Task<Boolean>> workers = new java.util.ArrayList<>();
            java.util.List<Task<Void>> parkers = new java.util.ArrayList<>();
            TaskGroup.run(g -> {
                for (int w = 0; w < 32; w++) {
                    int id = w;
                    workers.add(g.spawn(() -> {
                        for (int i = 0; i < 100; i++) {
                            String n = id + "-" + i;
                            assertEquals("200 " + n, get(s, "/n/" + n), "each answer goes to its own request");
                            ok.incrementAndGet();
                        }
                        return Thread.currentThread().isInterrupted();
                    }));
                }
                for (int p = 0; p < PARKERS; p++) {
                    int id = p;
                    parkers.add(g.spawn(() -> {
                        for (int i = 0; i < 10; i++) {
                            assertEquals("200 p" + id + "-" + i, get(s, "/n/p" + id + "-" + i));
                            ok.incrementAndGet();
                        }
                        get(s, "/park"); // answered never: cancelled while waiting for the head
                        return null;
                    }));
                }
                parked.await(); // every parker's request is on the wire
                parkers.forEach(Task::cancel);
                return null;
            });
            for (Task<Boolean> w : workers) {
                assertFalse(w.join(), "no stray interrupt in a task that was not cancelled");
            }
            for (Task<Void> p : parkers) {
                assertEquals(Task.State.CANCELLED, p.state());
            }
            assertEquals(32 * 100 + PARKERS * 10, ok.get());
            assertEquals(0, s.stats().inFlight(), "every permit released");
            int idle = s.stats().idleConnections();
            assertTrue(idle >= 1 && idle <= 64, "pooled: " + idle);
            assertTrue(server.accepted() - before <= 64, "connections opened: " + (server.accepted() - before));
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }
}
