package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DeadlineExceededException;
import dev.weft.Timeouts;
import dev.weft.http.HttpException.ErrorKind;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Errors in words a user understands, with a stable kind: a raw loopback server misbehaves in each
 * way a real one does, and each failure must name what happened without a library class name or
 * an object id.
 */
class ErrorKindsTest {
    private static final Pattern OBJECT_ID = Pattern.compile("@[0-9a-fA-F]{4,}");
    static final CountDownLatch stop = new CountDownLatch(1);
    static RawServer server;
    static HttpSession session;

    @BeforeAll
    static void start() throws IOException {
        server = new RawServer((head, out) -> {
            switch (RawServer.path(head)) {
                case "/mid-body" -> RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nConnection: close\r\n\r\nonly a few bytes");
                case "/mid-chunk" -> RawServer.write(out, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\nabc");
                case "/no-answer" -> {
                    // accept the request and close without a word
                }
                case "/not-http" -> RawServer.write(out, "SPDY/9 banana\r\n\r\n");
                case "/status-600" -> RawServer.write(out, "HTTP/1.1 600 Odd\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                case "/status-99" -> RawServer.write(out, "HTTP/1.1 99 Odd\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                case "/loop" -> RawServer.write(out, "HTTP/1.1 302 Found\r\nLocation: /loop\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                case "/silent" -> stop.await();
                case "/drip" -> drip(out);
                default -> RawServer.write(out, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        session = HttpSession.builder().timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofSeconds(5))).build();
    }

    /** A body of 1000 bytes, one byte every 50 ms: never silent for long, never done soon. */
    private static void drip(OutputStream out) throws Exception {
        RawServer.write(out, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\n");
        for (int i = 0; i < 1000 && stop.getCount() > 0; i++) {
            RawServer.write(out, "x");
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        stop.countDown();
        session.close();
        server.close();
    }

    /** The exception {@code send} throws for {@code path}, checked to be in plain words. */
    private static HttpException failure(HttpSession s, String url) {
        HttpException e = assertThrows(HttpException.class, () -> s.get(url));
        assertPlainWords(e.getMessage());
        assertEquals(e.errorKind(), HttpException.kindOf(e));
        return e;
    }

    static void assertPlainWords(String message) {
        assertFalse(OBJECT_ID.matcher(message).find(), () -> "object id in: " + message);
        assertFalse(message.contains("org.eclipse") || message.contains("oejc") || message.contains("Exception"),
                () -> "library class name in: " + message);
    }

    @Test
    void failuresThatWouldRepeatAreNotRetriedOthersAre() throws Exception {
        dev.weft.resilience.ResilienceCounters counters = new dev.weft.resilience.ResilienceCounters();
        try (HttpSession s = HttpSession.builder().policy(RequestPolicies.of(dev.weft.resilience.Policy.builder()
                .retry(RequestPolicies.retry().maxAttempts(3).backoff(dev.weft.resilience.Backoff.none()).build())
                .listener(counters).build())).build()) {
            assertEquals(ErrorKind.INVALID_RESPONSE, failure(s, server.url("/not-http")).errorKind());
            assertEquals(ErrorKind.INVALID_RESPONSE, failure(s, server.url("/status-600")).errorKind());
            assertEquals(0, counters.retries(), "an invalid response would come again");
            assertEquals(ErrorKind.CONNECTION_CLOSED, failure(s, server.url("/mid-body")).errorKind());
            assertEquals(2, counters.retries(), "a connection closed early may not be");
        }
    }

    @Test
    void aConnectionClosedMidBodyIsSaidSo() {
        for (String path : new String[] {"/mid-body", "/mid-chunk", "/no-answer"}) {
            HttpException e = failure(session, server.url(path));
            assertEquals(ErrorKind.CONNECTION_CLOSED, e.errorKind(), path);
            assertEquals("GET " + server.url(path) + ": the server closed the connection before the response was complete",
                    e.getMessage());
            assertTrue(e.getCause() != null, "the transport's exception stays chained for debugging");
        }
    }

    @Test
    void aStreamedBodyCutShortFailsTheReadWithTheSameKind() throws Exception {
        try (StreamingResponse r = session.stream(Request.get(server.url("/mid-body")))) {
            assertEquals(200, r.status());
            IOException e = assertThrows(IOException.class, () -> r.body().readAllBytes());
            assertEquals(ErrorKind.CONNECTION_CLOSED, HttpException.kindOf(e));
            assertPlainWords(e.getMessage());
            assertTrue(e.getMessage().endsWith("the server closed the connection before the response was complete"), e.getMessage());
        }
    }

    @Test
    void aGarbageStatusLineIsNotHttp() {
        HttpException e = failure(session, server.url("/not-http"));
        assertEquals(ErrorKind.INVALID_RESPONSE, e.errorKind());
        assertEquals("status line is not HTTP", e.detail());
    }

    @Test
    void aStatusOutside100To599IsAnInvalidResponseNotA5xx() throws Exception {
        HttpException e600 = failure(session, server.url("/status-600"));
        assertEquals(ErrorKind.INVALID_RESPONSE, e600.errorKind());
        assertEquals("invalid status 600 (a status code is a number from 100 to 599)", e600.detail());
        HttpException e99 = failure(session, server.url("/status-99"));
        assertEquals(ErrorKind.INVALID_RESPONSE, e99.errorKind());
        assertEquals("invalid status line: the status code is not a number from 100 to 599", e99.detail());
        HttpException streamed = assertThrows(HttpException.class, () -> session.stream(Request.get(server.url("/status-600"))));
        assertEquals(ErrorKind.INVALID_RESPONSE, streamed.errorKind());
        assertEquals(0, session.stats().inFlight(), "the refused stream released its permits");
    }

    @Test
    void aRedirectLoopIsTooManyRedirects() {
        try (HttpSession s = HttpSession.builder().followRedirects(true, 20).build()) {
            HttpException e = failure(s, server.url("/loop"));
            assertEquals(ErrorKind.TOO_MANY_REDIRECTS, e.errorKind());
            assertTrue(e.detail().startsWith("too many redirects (20)"), e.detail());
        }
    }

    @Test
    void connectionRefusedAndDnsFailureAreNamed() throws Exception {
        int closedPort;
        try (java.net.ServerSocket ss = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = ss.getLocalPort();
        }
        HttpException refused = failure(session, "http://127.0.0.1:" + closedPort + "/");
        assertEquals(ErrorKind.CONNECTION_REFUSED, refused.errorKind());
        assertTrue(refused.detail().startsWith("connection refused"), refused.detail());
        HttpException dns = failure(session, "http://no-such-host.invalid/");
        assertEquals(ErrorKind.UNKNOWN_HOST, dns.errorKind());
        assertEquals("could not resolve the host name 'no-such-host.invalid' (DNS lookup failed)", dns.detail());
    }

    @Test
    void timeoutsSayWhichTimeout() {
        try (HttpSession s = HttpSession.builder().timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofMillis(100))).build()) {
            HttpTimeoutException read = assertInstanceOf(HttpTimeoutException.class, failure(s, server.url("/silent")));
            assertEquals(HttpTimeoutException.Kind.READ, read.kind());
            assertEquals(ErrorKind.TIMEOUT_READ, read.errorKind());
            assertTrue(read.detail().startsWith("read timeout"), read.detail());
        }
    }

    @Test
    void aDrippingServerIsCutByTheTotalTimeout() {
        try (HttpSession s = HttpSession.builder().timeouts(HttpTimeouts.DEFAULTS.withRead(Duration.ofSeconds(5))
                .withTotal(Duration.ofMillis(300))).build()) {
            HttpTimeoutException total = assertInstanceOf(HttpTimeoutException.class, failure(s, server.url("/drip")));
            assertEquals(ErrorKind.TIMEOUT_TOTAL, total.errorKind());
            assertTrue(total.detail().startsWith("total timeout"), total.detail());
        }
    }

    @Test
    void aDrippingStreamIsCutByTheCallersDeadline() {
        assertThrows(DeadlineExceededException.class, () -> Timeouts.failAfter(Duration.ofSeconds(1), () -> {
            try (StreamingResponse r = session.stream(Request.get(server.url("/drip")))) {
                return r.body().readAllBytes();
            }
        }));
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
