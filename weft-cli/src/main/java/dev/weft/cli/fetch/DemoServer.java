package dev.weft.cli.fetch;

import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The embedded demo server of {@code weft fetch} with no URL source: a {@link WebApp} on a loopback
 * ephemeral port whose endpoints inject the failures a real fetch meets.
 *
 * <ul>
 *   <li>{@code /item/{id}?ms=N}: a small JSON document after N ms of latency;</li>
 *   <li>{@code /flaky/{id}?fail=K}: 503 for the first K requests of that id, then 200 (retries win);</li>
 *   <li>{@code /error/{id}?status=S}: always status S (500: retried in vain; 404: not retried);</li>
 *   <li>{@code /slow/{id}?ms=N}: headers at once, then N ms of silence before the body (read timeout);</li>
 *   <li>{@code /reset/{id}}: declares 4096 bytes, sends 100, then drops the connection.</li>
 *   <li>{@code /down/{id}} on a second port (another host key): always 503, a dependency that is
 *       down; its circuit breaker opens after a few failures and rejects the rest at once.</li>
 * </ul>
 */
public final class DemoServer implements AutoCloseable {
    private final RunningApp running;
    private final RunningApp down;

    private DemoServer(RunningApp running, RunningApp down) {
        this.running = running;
        this.down = down;
    }

    /**
     * Starts the demo server: two {@link WebApp}s on 127.0.0.1, each on an ephemeral port (the
     * endpoints above, and the "down" host). Close it to stop both.
     *
     * @return the running server
     * @throws Exception if either app cannot start (the port cannot be bound, for instance); the
     *     one already started is shut down first
     */
    public static DemoServer start() throws Exception {
        Map<String, AtomicInteger> flaky = new ConcurrentHashMap<>();
        byte[] filler = "weft ".repeat(160).getBytes(StandardCharsets.US_ASCII);
        WebApp app = WebApp.builder().host("127.0.0.1").port(0)
                .requestTimeout(Duration.ofSeconds(30)).drainTimeout(Duration.ofSeconds(2))
                .get("/item/{id}", req -> {
                    int ms = req.queryInt("ms", 0);
                    if (ms > 0) {
                        Thread.sleep(ms);
                    }
                    return WebResponse.json(Map.of("id", req.pathParam("id"), "latency_ms", ms,
                            "payload", new String(filler, StandardCharsets.US_ASCII)));
                })
                .get("/flaky/{id}", req -> {
                    int seen = flaky.computeIfAbsent(req.pathParam("id"), k -> new AtomicInteger()).incrementAndGet();
                    return seen <= req.queryInt("fail", 1) ? WebResponse.json(503, Map.of("error", "flaky: try again"))
                            : WebResponse.json(Map.of("id", req.pathParam("id"), "after_failures", seen - 1));
                })
                .get("/error/{id}", req -> WebResponse.json(req.queryInt("status", 500), Map.of("error", "injected")))
                .get("/slow/{id}", req -> {
                    int ms = req.queryInt("ms", 2000);
                    return WebResponse.stream("text/plain", -1, out -> {
                        out.write("slow:".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        try {
                            Thread.sleep(ms);
                        } catch (InterruptedException e) {
                            dev.weft.Weft.restoreInterrupt(); // recorded as Weft's or foreign (ADR 0006)
                            return;
                        }
                        out.write(" done".getBytes(StandardCharsets.US_ASCII));
                    });
                })
                .get("/reset/{id}", req -> WebResponse.stream("application/octet-stream", 4096, out -> {
                    out.write(new byte[100]);
                    out.flush();
                    throw new IOException("demo: dropping the connection mid-body");
                }))
                .build();
        WebApp downApp = WebApp.builder().host("127.0.0.1").port(0)
                .requestTimeout(Duration.ofSeconds(30)).drainTimeout(Duration.ofSeconds(2))
                .get("/down/{id}", req -> WebResponse.json(503, Map.of("error", "down: this host is failing")))
                .build();
        RunningApp main = app.start();
        try {
            return new DemoServer(main, downApp.start());
        } catch (Exception | Error e) {
            main.shutdown();
            throw e;
        }
    }

    /** {@return the base URI of the main app, {@code http://127.0.0.1:PORT} (not of the "down" host)} */
    public URI uri() {
        return running.uri();
    }

    /**
     * Makes the demo's URL list: a fixed mix, the same for every run (seeded): about 86% items with
     * 0–200 ms of latency, 5% flaky, 2% 500, 2% 404, 1% slow, 1% resets, 3% to the down host.
     *
     * @param count how many URLs; from 40 on, four malformed input lines are spread among them
     *     (reported per line, never stopping the run)
     * @return {@code count} URLs of this server, plus the four malformed lines when {@code count >= 40}
     */
    public List<String> urls(int count) {
        Random rnd = new Random(42);
        String base = uri().toString();
        String downBase = down.uri().toString();
        List<String> out = new ArrayList<>(count + 4);
        String[] bad = {"ftp://files.example/readme.txt", "not a url at all", "http://", "mailto:ops@example.com"};
        int badAdded = 0;
        for (int i = 0; i < count; i++) {
            if (count >= 40 && badAdded < bad.length && i == (2 * badAdded + 1) * count / 8) {
                out.add(bad[badAdded++]);
            }
            double r = rnd.nextDouble();
            String path;
            if (r < 0.02) {
                path = "/error/" + i + "?status=500";
            } else if (r < 0.04) {
                path = "/error/" + i + "?status=404";
            } else if (r < 0.09) {
                path = "/flaky/" + i + "?fail=1";
            } else if (r < 0.10) {
                path = "/slow/" + i + "?ms=2000";
            } else if (r < 0.11) {
                path = "/reset/" + i;
            } else if (r < 0.14) {
                out.add(downBase + "/down/" + i);
                continue;
            } else {
                int ms = (int) Math.min(200, -Math.log(1 - rnd.nextDouble()) * 10);
                path = "/item/" + i + "?ms=" + ms;
            }
            out.add(base + path);
        }
        return out;
    }

    @Override
    public void close() {
        try {
            running.shutdown();
        } finally {
            down.shutdown();
        }
    }
}
