package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Timeouts;
import dev.weft.Weft;
import dev.weft.resilience.Bulkhead;
import dev.weft.resilience.CircuitBreaker;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Issue 18: WebApp answers deadlines 504, rejections 503 (+ Retry-After), validation 400; overridable per app. */
class WebAppErrorMappingTest {

    private static WebApp.Builder app() {
        return WebApp.builder().host("127.0.0.1").port(0);
    }

    @Test
    void defaultMappingByExceptionType() throws Exception {
        CircuitBreaker breaker = CircuitBreaker.builder().name("payments").countWindow(1).minimumCalls(1)
                .failureRateThreshold(50).waitInOpen(Duration.ofSeconds(30)).build();
        try {
            breaker.call(() -> {
                throw new IOException("backend down");
            });
        } catch (IOException expected) {
            // the breaker is open now
        }
        Bulkhead bulkhead = Bulkhead.of("db", 1, Duration.ZERO);
        CountDownLatch never = new CountDownLatch(1);
        WebApp app = app()
                .get("/inner-deadline", req -> Timeouts.failAfter(Duration.ofMillis(1), () -> {
                    never.await();
                    return WebResponse.text("unreachable");
                }))
                .get("/breaker", req -> breaker.call(() -> WebResponse.text("unreachable")))
                .get("/bulkhead", req -> bulkhead.call(() -> bulkhead.call(() -> WebResponse.text("unreachable"))))
                .get("/validation", req -> {
                    throw new IllegalArgumentException("'size' must be 1..100, got 0");
                })
                .get("/gathered", req -> WebResponse.json(Weft.gather(
                        () -> "ok",
                        () -> Timeouts.failAfter(Duration.ofMillis(1), () -> {
                            never.await();
                            return "unreachable";
                        }))))
                .get("/bug", req -> {
                    throw new IllegalStateException("secret internal detail");
                })
                .build();
        try (RunningApp r = app.start()) {
            HttpResponse<String> deadline = Raw.get(r.uri(), "/inner-deadline");
            assertEquals(504, deadline.statusCode(), deadline.body());
            HttpResponse<String> open = Raw.get(r.uri(), "/breaker");
            assertEquals(503, open.statusCode(), open.body());
            assertTrue(open.body().contains("circuit breaker 'payments'"), open.body());
            long retryAfter = Long.parseLong(open.headers().firstValue("retry-after").orElseThrow());
            assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
            HttpResponse<String> full = Raw.get(r.uri(), "/bulkhead");
            assertEquals(503, full.statusCode(), full.body());
            HttpResponse<String> invalid = Raw.get(r.uri(), "/validation");
            assertEquals(400, invalid.statusCode());
            assertEquals("{\"status\":400,\"error\":\"'size' must be 1..100, got 0\"}", invalid.body());
            assertEquals(504, Raw.get(r.uri(), "/gathered").statusCode(), "a group's failure is mapped by its cause");
            HttpResponse<String> bug = Raw.get(r.uri(), "/bug");
            assertEquals(500, bug.statusCode());
            assertFalse(bug.body().contains("secret"), bug.body());
        }
    }

    @Test
    void mappersOverrideTheDefaultsInOrderAndAFailingMapperFallsBack() throws Exception {
        WebApp app = app()
                .errorMapper((req, e) -> e instanceof NoSuchElementException ? WebResponse.text(404, "none: " + req.path()) : null)
                .errorMapper((req, e) -> e instanceof IllegalArgumentException ? WebResponse.text(422, "unprocessable") : null)
                .errorMapper((req, e) -> {
                    if (e instanceof ArithmeticException) {
                        throw new IllegalStateException("mapper bug");
                    }
                    return null;
                })
                .get("/missing", req -> {
                    throw new NoSuchElementException("no item");
                })
                .get("/invalid", req -> {
                    throw new IllegalArgumentException("bad");
                })
                .get("/web", req -> {
                    throw new WebException(409, "conflict");
                })
                .get("/divide", req -> WebResponse.text(String.valueOf(1 / req.queryInt("d", 0))))
                .build();
        try (RunningApp r = app.start()) {
            HttpResponse<String> missing = Raw.get(r.uri(), "/missing");
            assertEquals(404, missing.statusCode());
            assertEquals("none: /missing", missing.body());
            assertEquals(422, Raw.get(r.uri(), "/invalid").statusCode());
            assertEquals(409, Raw.get(r.uri(), "/web").statusCode(), "no mapper claimed it: the default");
            assertEquals(500, Raw.get(r.uri(), "/divide").statusCode(), "the mapper threw: the default");
        }
    }

    @Test
    void retryAfterIsWholeSecondsRoundedUp() {
        assertEquals(1, WebAppErrors.seconds(Duration.ZERO));
        assertEquals(1, WebAppErrors.seconds(Duration.ofMillis(1)));
        assertEquals(2, WebAppErrors.seconds(Duration.ofMillis(1001)));
        assertEquals(30, WebAppErrors.seconds(Duration.ofSeconds(30)));
    }
}
