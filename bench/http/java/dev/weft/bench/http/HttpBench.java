package dev.weft.bench.http;

import dev.weft.Outcome;
import dev.weft.Weft;
import dev.weft.http.HttpSession;
import dev.weft.http.Response;
import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebResponse;
import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.ContentResponse;

/**
 * The HTTP benchmarks of issue 5, run by {@code bench/http/run}.
 *
 * <pre>
 *   server helidon|weft          serve /plaintext and /json on 127.0.0.1:0; print "port N"; run until stdin closes
 *   fanout weft|jetty|jdk URL N LIMIT ROUNDS
 *                                GET URL N times with at most LIMIT in flight, ROUNDS times after five warm-up
 *                                rounds; prints one JSON line per round {"client":..,"rps":..,"seconds":..,"errors":..}
 *   fanout-ab A B URL N LIMIT PAIRS
 *                                both clients in one JVM, five warm-up rounds each, then PAIRS pairs of rounds taking
 *                                turns (A B, B A, A B...), so that both see the same load; the same JSON lines, and a
 *                                last line {"pairs":..,"ratio_median":..,"ratio_q1":..,"ratio_q3":..} of A's req/s
 *                                over B's, pair by pair
 * </pre>
 *
 * Every client does the same thing: N virtual threads' worth of blocking GETs, bounded by LIMIT,
 * the body read whole, one shared client/session with a pool of LIMIT connections.
 */
public final class HttpBench {
    /**
     * Untimed rounds before the timed ones. One was not enough: in a run of ten pairs after one
     * warm-up round (2026-12-07 15:51) both clients were still speeding up at the tenth (Weft over
     * Jetty 7.9k to 24.9k req/s, raw Jetty 12.1k to 19.2k), so early rounds measured the JIT.
     */
    private static final int WARM_UP_ROUNDS = 5;
    private static final byte[] HELLO = "Hello, World!".getBytes(StandardCharsets.US_ASCII);

    private HttpBench() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "server" -> server(args[1]);
            case "fanout" -> fanout(args[1], URI.create(args[2]), Integer.parseInt(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]));
            case "fanout-ab" -> fanoutAb(args[1], args[2], URI.create(args[3]), Integer.parseInt(args[4]),
                    Integer.parseInt(args[5]), Integer.parseInt(args[6]));
            default -> throw new IllegalArgumentException(
                    "usage: server helidon|weft | fanout weft|jetty|jdk URL N LIMIT ROUNDS | fanout-ab A B URL N LIMIT PAIRS");
        }
    }

    // ------------------------------------------------------------------------------------ servers

    private static void server(String kind) throws Exception {
        java.util.logging.Logger.getLogger("io.helidon").setLevel(java.util.logging.Level.WARNING);
        Runnable stop;
        int port;
        switch (kind) {
            case "helidon" -> {
                WebServer s = WebServer.builder().host("127.0.0.1").port(0).shutdownHook(false)
                        .routing(r -> r
                                .get("/plaintext", (req, res) -> {
                                    res.header("Content-Type", "text/plain");
                                    res.send(HELLO);
                                })
                                .get("/json", (req, res) -> {
                                    res.header("Content-Type", "application/json");
                                    res.send(JSON.writeValueAsBytes(Map.of("message", "Hello, World!")));
                                }))
                        .build().start();
                port = s.port();
                stop = s::stop;
            }
            case "weft" -> {
                RunningApp app = WebApp.builder().host("127.0.0.1").port(0)
                        .get("/plaintext", req -> WebResponse.bytes(HELLO, "text/plain"))
                        .get("/json", req -> WebResponse.json(Map.of("message", "Hello, World!")))
                        .build().start();
                port = app.port();
                stop = app::shutdown;
            }
            default -> throw new IllegalArgumentException("server helidon|weft");
        }
        System.out.println("port " + port);
        System.out.flush();
        while (System.in.read() >= 0) {
            // run until the script closes our stdin
        }
        stop.run();
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    // ------------------------------------------------------------------------------------ clients

    private interface Client extends AutoCloseable {
        /** One GET, body read whole; returns false on a non-200 or an error. */
        boolean get(URI uri) throws Exception;

        @Override
        void close() throws Exception;
    }

    private static Client client(String kind, int limit) throws Exception {
        return switch (kind) {
            case "weft" -> {
                HttpSession s = HttpSession.builder().limit(limit).build();
                yield new Client() {
                    public boolean get(URI uri) throws Exception {
                        return s.send(dev.weft.http.Request.get(uri)).status() == 200;
                    }

                    public void close() {
                        s.close();
                    }
                };
            }
            case "weft-direct" -> {
                // the session with Weft's own plain HTTP/1.1 transport (ADR 0330), as weft fetch uses it
                // (it needs content decoding off); send() as in "weft"
                HttpSession s = HttpSession.builder().limit(limit).contentDecoding(false).directHttp1(true).build();
                yield new Client() {
                    public boolean get(URI uri) throws Exception {
                        return s.send(dev.weft.http.Request.get(uri)).status() == 200;
                    }

                    public void close() {
                        s.close();
                    }
                };
            }
            case "jetty" -> {
                org.eclipse.jetty.client.HttpClient c = new org.eclipse.jetty.client.HttpClient();
                c.setMaxConnectionsPerDestination(limit);
                c.start();
                yield new Client() {
                    public boolean get(URI uri) throws Exception {
                        ContentResponse r = c.newRequest(uri).send();
                        return r.getStatus() == 200;
                    }

                    public void close() throws Exception {
                        c.stop();
                    }
                };
            }
            case "jdk" -> {
                HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .executor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()).build();
                yield new Client() {
                    public boolean get(URI uri) throws Exception {
                        return c.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray()).statusCode() == 200;
                    }

                    public void close() {
                        c.close();
                    }
                };
            }
            default -> throw new IllegalArgumentException("fanout weft|weft-direct|jetty|jdk");
        };
    }

    private static void fanout(String kind, URI uri, int n, int limit, int rounds) throws Exception {
        try (Client c = client(kind, limit)) {
            for (int w = 0; w < WARM_UP_ROUNDS; w++) {
                round(kind, c, uri, n, limit, 0, false); // the JIT and the pool
            }
            for (int round = 1; round <= rounds; round++) {
                round(kind, c, uri, n, limit, round, true);
            }
        }
    }

    /** One timed round of {@code kind} on {@code c}: requests per second; prints its JSON line. */
    private static double round(String kind, Client c, URI uri, int n, int limit, int round, boolean print) throws Exception {
        long t0 = System.nanoTime();
        int errors = kind.startsWith("weft") ? weftRound(c, uri, n, limit) : rawRound(c, uri, n, limit);
        double secs = (System.nanoTime() - t0) / 1e9;
        if (print) {
            System.out.printf(java.util.Locale.ROOT, "{\"client\":\"%s\",\"round\":%d,\"n\":%d,\"limit\":%d,\"seconds\":%.4f,\"rps\":%.1f,\"errors\":%d}%n",
                    kind, round, n, limit, secs, n / secs, errors);
        }
        return n / secs;
    }

    private static void fanoutAb(String a, String b, URI uri, int n, int limit, int pairs) throws Exception {
        try (Client ca = client(a, limit); Client cb = client(b, limit)) {
            for (int w = 0; w < WARM_UP_ROUNDS; w++) { // warm-up: JIT and pools, both clients, taking turns
                round(a, ca, uri, n, limit, 0, false);
                round(b, cb, uri, n, limit, 0, false);
            }
            double[] ratio = new double[pairs];
            for (int p = 0; p < pairs; p++) {
                double ra;
                double rb;
                if (p % 2 == 0) {
                    ra = round(a, ca, uri, n, limit, p + 1, true);
                    rb = round(b, cb, uri, n, limit, p + 1, true);
                } else {
                    rb = round(b, cb, uri, n, limit, p + 1, true);
                    ra = round(a, ca, uri, n, limit, p + 1, true);
                }
                ratio[p] = ra / rb;
            }
            Arrays.sort(ratio);
            System.out.printf(java.util.Locale.ROOT, "{\"pairs\":%d,\"a\":\"%s\",\"b\":\"%s\",\"ratio_median\":%.3f,\"ratio_q1\":%.3f,\"ratio_q3\":%.3f}%n",
                    pairs, a, b, quantile(ratio, 0.5), quantile(ratio, 0.25), quantile(ratio, 0.75));
        }
    }

    /** The q-quantile of sorted {@code v}, linear between neighbours. */
    private static double quantile(double[] v, double q) {
        double pos = q * (v.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, v.length - 1);
        return v[lo] + (v[hi] - v[lo]) * (pos - lo);
    }

    /** Weft: the idiomatic way, Weft.mapOutcomes over the URLs (what session.fetchAll does). */
    private static int weftRound(Client c, URI uri, int n, int limit) throws Exception {
        List<URI> uris = new ArrayList<>(Arrays.asList(new URI[n]));
        java.util.Collections.fill(uris, uri);
        List<Outcome<Boolean>> out = Weft.run(() -> Weft.mapOutcomes(uris, limit, c::get));
        int errors = 0;
        for (Outcome<Boolean> o : out) {
            if (!(o instanceof Outcome.Success<Boolean> s && s.value())) {
                errors++;
            }
        }
        return errors;
    }

    /** Raw clients: a semaphore of LIMIT and one virtual thread per request. */
    private static int rawRound(Client c, URI uri, int n, int limit) throws Exception {
        Semaphore sem = new Semaphore(limit);
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            sem.acquire();
            Thread.ofVirtual().start(() -> {
                try {
                    if (!c.get(uri)) {
                        errors.incrementAndGet();
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                } finally {
                    sem.release();
                    done.countDown();
                }
            });
        }
        done.await();
        return errors.get();
    }

}
