package dev.weft.http;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A loopback server for the {@link BulkFetch} tests: every misbehaviour a bulk fetch must survive.
 * Endless bodies end when the client goes away (the write fails), so nothing outlives a test.
 *
 * <ul>
 *   <li>{@code /f/*}: the path and query as the body ({@code "GET /f/a/b?q=1"}), to check where it was saved;</li>
 *   <li>{@code /status/{code}}: that status, body {@code "status"};</li>
 *   <li>{@code /flaky/{id}?fail=K}: 503 for the first K requests of that id, then 200;</li>
 *   <li>{@code /echo}: method, the headers asked for in {@code ?h=a,b}, and the body, as text (any method);</li>
 *   <li>{@code /endless}: an endless body at full speed;</li>
 *   <li>{@code /drip}: one byte every 20 ms, forever;</li>
 *   <li>{@code /big?mb=N}: N MiB with a Content-Length;</li>
 *   <li>{@code /bomb}: an endless gzip stream of zeros ({@code Content-Encoding: gzip}, about 1000:1);</li>
 *   <li>{@code /gzip}, {@code /deflate}, {@code /rawdeflate}: "hello, compressed" encoded so;</li>
 *   <li>{@code /badgzip}: {@code Content-Encoding: gzip} over bytes that are not gzip;</li>
 *   <li>{@code /reset}: declares 4096 bytes, sends 100, drops the connection.</li>
 * </ul>
 */
final class FetchServer implements AutoCloseable {
    static final String COMPRESSED_TEXT = "hello, compressed ".repeat(20);
    final Map<String, AtomicInteger> flaky = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();
    final RunningApp running;

    FetchServer() throws Exception {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) 'x');
        WebApp app = WebApp.builder().host("127.0.0.1").port(0).requestTimeout(null).drainTimeout(Duration.ofSeconds(2))
                .filter((req, next) -> {
                    requests.incrementAndGet();
                    return next.handle(req);
                })
                .get("/f/*", req -> WebResponse.text("GET " + req.path() + req.query("q").map(q -> "?q=" + q).orElse("")))
                .get("/status/{code}", req -> WebResponse.text(Integer.parseInt(req.pathParam("code")), "status"))
                .get("/flaky/{id}", req -> {
                    int seen = flaky.computeIfAbsent(req.pathParam("id"), k -> new AtomicInteger()).incrementAndGet();
                    return seen <= req.queryInt("fail", 1) ? WebResponse.text(503, "try again") : WebResponse.text("recovered");
                })
                .route("GET", "/echo", FetchServer::echo)
                .route("POST", "/echo", FetchServer::echo)
                .route("PUT", "/echo", FetchServer::echo)
                .get("/endless", req -> WebResponse.stream("application/octet-stream", -1, out -> {
                    while (true) {
                        out.write(chunk);
                    }
                }))
                .get("/drip", req -> WebResponse.stream("text/plain", -1, out -> {
                    while (true) {
                        out.write('.');
                        out.flush();
                        try {
                            Thread.sleep(20);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                }))
                .get("/big", req -> {
                    long n = req.queryInt("mb", 1) * (1L << 20);
                    return WebResponse.stream("application/octet-stream", n, out -> {
                        for (long left = n; left > 0; left -= chunk.length) {
                            out.write(chunk, 0, (int) Math.min(chunk.length, left));
                        }
                    });
                })
                .get("/bomb", req -> WebResponse.stream("application/octet-stream", -1, out -> {
                    GZIPOutputStream gz = new GZIPOutputStream(new Unclosable(out), 8192);
                    byte[] zeros = new byte[64 * 1024];
                    while (true) {
                        gz.write(zeros);
                    }
                }).withHeader("Content-Encoding", "gzip"))
                .get("/gzip", req -> WebResponse.stream("text/plain", -1, out -> {
                    try (GZIPOutputStream gz = new GZIPOutputStream(new Unclosable(out))) {
                        gz.write(COMPRESSED_TEXT.getBytes(StandardCharsets.UTF_8));
                    }
                }).withHeader("Content-Encoding", "gzip"))
                .get("/deflate", req -> WebResponse.stream("text/plain", -1, out -> {
                    try (DeflaterOutputStream d = new DeflaterOutputStream(new Unclosable(out))) {
                        d.write(COMPRESSED_TEXT.getBytes(StandardCharsets.UTF_8));
                    }
                }).withHeader("Content-Encoding", "deflate"))
                .get("/rawdeflate", req -> WebResponse.stream("text/plain", -1, out -> {
                    try (DeflaterOutputStream d = new DeflaterOutputStream(new Unclosable(out), new java.util.zip.Deflater(6, true))) {
                        d.write(COMPRESSED_TEXT.getBytes(StandardCharsets.UTF_8));
                    }
                }).withHeader("Content-Encoding", "deflate"))
                .get("/badgzip", req -> WebResponse.text("this is not gzip at all").withHeader("Content-Encoding", "gzip"))
                .get("/reset", req -> WebResponse.stream("application/octet-stream", 4096, out -> {
                    out.write(new byte[100]);
                    out.flush();
                    throw new IOException("test: dropping the connection mid-body");
                }))
                .build();
        running = app.start();
    }

    private static WebResponse echo(WebRequest req) {
        StringBuilder b = new StringBuilder(req.method());
        for (String h : req.query("h").orElse("").split(",")) {
            if (!h.isEmpty()) {
                b.append('\n').append(h).append(": ").append(req.header(h).orElse("-"));
            }
        }
        b.append('\n').append(new String(req.body(), StandardCharsets.UTF_8));
        return WebResponse.text(b.toString());
    }

    String url(String path) {
        return running.uri().resolve(path).toString();
    }

    @Override
    public void close() {
        running.shutdown();
    }

    /** Lets a compressor finish without closing the response stream under it. */
    private static final class Unclosable extends java.io.FilterOutputStream {
        Unclosable(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
