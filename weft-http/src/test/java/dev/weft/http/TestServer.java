package dev.weft.http;

import java.io.OutputStream;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback WebApp for the client tests. It counts the requests it is handling at once (and the
 * most it ever handled at once), and its blocking endpoints wait on gates the test opens, so tests
 * wait for state, never for time.
 */
final class TestServer implements AutoCloseable {
    final AtomicInteger current = new AtomicInteger();
    final AtomicInteger max = new AtomicInteger();
    /** Released once per request arriving at /gate or /hang. */
    final Semaphore arrived = new Semaphore(0);
    /** /gate and /hang wait for a permit from here. */
    final Semaphore gate = new Semaphore(0);
    /** /partial and /silent wait on this. */
    final CountDownLatch stall = new CountDownLatch(1);
    final AtomicInteger flaky = new AtomicInteger();
    final RunningApp running;

    TestServer() throws Exception {
        WebApp app = WebApp.builder().host("127.0.0.1").port(0).requestTimeout(null).drainTimeout(Duration.ofSeconds(10))
                .maxBodySize(1 << 20)
                .get("/hello", req -> WebResponse.text("hello"))
                .get("/json", req -> WebResponse.json(java.util.Map.of("a", 1)))
                .post("/echo", req -> WebResponse.bytes(req.body(), req.header("Content-Type").orElse("application/octet-stream")))
                .get("/status/{code}", req -> WebResponse.text(Integer.parseInt(req.pathParam("code")), "status"))
                .get("/redirect", req -> WebResponse.status(302).withHeader("Location", "/hello"))
                .get("/flaky", req -> flaky.incrementAndGet() % 2 == 1 ? WebResponse.status(503) : WebResponse.text("ok"))
                .get("/gate", req -> {
                    int now = current.incrementAndGet();
                    max.accumulateAndGet(now, Math::max);
                    try {
                        arrived.release();
                        gate.acquire();
                        return WebResponse.text("passed");
                    } finally {
                        current.decrementAndGet();
                    }
                })
                .get("/hang", req -> {
                    arrived.release();
                    gate.acquire();
                    return WebResponse.text("late");
                })
                .get("/silent", req -> {
                    stall.await();
                    return WebResponse.text("late");
                })
                .get("/partial", req -> WebResponse.stream("text/plain", -1, out -> {
                    out.write("first bytes".getBytes());
                    out.flush();
                    try {
                        stall.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }))
                .get("/bytes", req -> {
                    long n = Long.parseLong(req.query("n").orElse("0"));
                    return WebResponse.stream("application/octet-stream", n, out -> write(out, n));
                })
                .build();
        running = app.start();
    }

    private static void write(OutputStream out, long n) throws java.io.IOException {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'w');
        long left = n;
        while (left > 0) {
            int k = (int) Math.min(chunk.length, left);
            out.write(chunk, 0, k);
            left -= k;
        }
    }

    String url(String path) {
        return running.uri().resolve(path).toString();
    }

    URI uri() {
        return running.uri();
    }

    @Override
    public void close() {
        gate.release(1_000_000);
        stall.countDown();
        running.shutdown();
    }
}
