package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.RunningApp;
import dev.weft.micrometer.WebAppMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ServeCommandTest {
    private static final HttpClient JDK = HttpClient.newHttpClient();

    private static HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return JDK.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void skeletonRoutesAnswerJson() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrometheusMeterRegistry registry = ServeCommand.registry();
        try (RunningApp r = ServeCommand.app("127.0.0.1", 0, Duration.ofSeconds(5), Duration.ofSeconds(5),
                new PrintStream(log, true, StandardCharsets.UTF_8), registry,
                new WebAppMetrics(registry, "weft-serve")).start()) {
            URI base = r.uri();
            HttpResponse<String> created = send(HttpRequest.newBuilder(base.resolve("/items"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"bolt\"}")));
            assertEquals(201, created.statusCode());
            assertEquals("/items/1", created.headers().firstValue("location").orElseThrow());
            HttpResponse<String> got = send(HttpRequest.newBuilder(base.resolve("/items/1")));
            assertEquals(200, got.statusCode());
            assertTrue(got.body().contains("\"name\":\"bolt\""), got.body());
            assertEquals("weft", got.headers().firstValue("x-served-by").orElseThrow());
            assertEquals(422, send(HttpRequest.newBuilder(base.resolve("/items"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\" \"}"))).statusCode());
            assertEquals(404, send(HttpRequest.newBuilder(base.resolve("/items/99"))).statusCode());
            assertEquals(400, send(HttpRequest.newBuilder(base.resolve("/items/x"))).statusCode());
            assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/health/ready"))).statusCode());
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("cleanup: item store closed (1 items)"));
    }

    /** One sample of the Prometheus text format: name, labels, value. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)\\})?\\s+(\\S+)(?:\\s+\\d+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** Parses Prometheus text exposition format 0.0.4 (comments skipped); fails on a line that is neither. */
    static List<Sample> parsePrometheus(String text) {
        List<Sample> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertTrue(m.matches(), "not a Prometheus sample line: " + line);
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return out;
    }

    /** The value of the one sample named {@code name} whose labels include {@code labels}. */
    static double value(List<Sample> samples, String name, Map<String, String> labels) {
        List<Sample> hits = samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet())).toList();
        assertEquals(1, hits.size(), name + labels + " in " + samples.stream().map(Sample::name).distinct().toList());
        return hits.get(0).value();
    }

    @Test
    void metricsEndpointServesPrometheusTextWhoseCountersMove() throws Exception {
        PrometheusMeterRegistry registry = ServeCommand.registry();
        WebAppMetrics metrics = new WebAppMetrics(registry, "weft-serve");
        try (RunningApp r = ServeCommand.app("127.0.0.1", 0, Duration.ofSeconds(5), Duration.ofSeconds(5),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), registry, metrics).start()) {
            metrics.bind(r);
            URI base = r.uri();
            assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/items"))).statusCode());
            assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/items"))).statusCode());
            assertEquals(404, send(HttpRequest.newBuilder(base.resolve("/items/99"))).statusCode());
            // the server observes a request after its response was written, so the client may be a step ahead
            awaitObserved(registry, r, "/items", 2);
            awaitObserved(registry, r, "/items/{id}", 1);
            HttpResponse<String> scrape = send(HttpRequest.newBuilder(base.resolve("/metrics")));
            assertEquals(200, scrape.statusCode());
            assertTrue(scrape.headers().firstValue("content-type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            List<Sample> first = parsePrometheus(scrape.body());
            Map<String, String> items = Map.of("name", "weft-serve", "method", "GET", "uri", "/items", "status", "2xx",
                    "outcome", "SUCCESS");
            assertEquals(2, value(first, "weft_http_server_requests_seconds_count", items));
            assertEquals(1, value(first, "weft_http_server_requests_seconds_count",
                    Map.of("uri", "/items/{id}", "status", "4xx", "outcome", "CLIENT_ERROR")));
            assertEquals(1, value(first, "weft_http_server_in_flight", Map.of("name", "weft-serve"))); // the scrape itself
            assertEquals(1, value(first, "weft_http_server_state", Map.of("state", "running")));
            assertEquals(0, value(first, "weft_http_server_state", Map.of("state", "draining")));
            double tasksStarted = value(first, "weft_tasks_started_total", Map.of());
            assertTrue(value(first, "jvm_threads_live_threads", Map.of()) > 0);

            assertEquals(200, send(HttpRequest.newBuilder(base.resolve("/items"))).statusCode());
            dev.weft.TaskGroup.run(g -> g.spawn(() -> "a task").join()); // counted by the process-wide task counters
            awaitObserved(registry, r, "/items", 3);
            awaitObserved(registry, r, "/metrics", 1);
            List<Sample> second = parsePrometheus(send(HttpRequest.newBuilder(base.resolve("/metrics"))).body());
            assertEquals(3, value(second, "weft_http_server_requests_seconds_count", items));
            assertEquals(1, value(second, "weft_http_server_requests_seconds_count",
                    Map.of("uri", "/metrics", "status", "2xx"))); // the first scrape, observed once answered
            assertTrue(value(second, "weft_tasks_started_total", Map.of()) >= tasksStarted + 1);
        }
    }

    /** Waits (observable state, no sleep) until {@code uri} has {@code n} observed 2xx/4xx answers and nothing is in flight. */
    private static void awaitObserved(PrometheusMeterRegistry registry, RunningApp app, String uri, long n) {
        long limit = System.nanoTime() + 30_000_000_000L;
        while (observed(registry, uri) < n || app.inFlight() != 0) {
            assertTrue(System.nanoTime() - limit < 0, "timed out waiting for " + n + " observed requests to " + uri);
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
        assertEquals(n, observed(registry, uri));
    }

    private static long observed(PrometheusMeterRegistry registry, String uri) {
        return registry.find("weft.http.server.requests").tag("uri", uri).timers().stream()
                .mapToLong(io.micrometer.core.instrument.Timer::count).sum();
    }

    @Test
    void sigtermDrainsTheRequestInFlightThenCleansUpAndExitsZero() throws Exception {
        Process p = new ProcessBuilder(ChildJava.command(List.of("-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", "0", "--drain-timeout", "20s"))).redirectErrorStream(true).start();
        killAfterMinutes(p, 2); // a safety net against a hung child, not a timing assertion
        StringBuilder seen = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            URI base = null;
            Pattern listening = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)");
            for (String l; base == null && (l = in.readLine()) != null; ) {
                seen.append(l).append('\n');
                Matcher m = listening.matcher(l);
                if (m.find()) {
                    base = URI.create(m.group(1));
                }
            }
            assertTrue(base != null, seen.toString());
            // headers arrive at once, the body after 3 s: once we hold the headers the request is in flight
            HttpResponse<InputStream> slow = JDK.send(HttpRequest.newBuilder(base.resolve("/slow?ms=3000")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
            String body = new String(slow.body().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals("working done\n", body);
            assertEquals(200, slow.statusCode());
            for (String l; (l = in.readLine()) != null; ) {
                seen.append(l).append('\n');
            }
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.waitFor(), seen.toString());
        String all = seen.toString();
        assertTrue(all.contains("0 request(s) abandoned"), all);
        assertTrue(all.indexOf("cleanup: item store closed") < all.indexOf("drained in"), all);
    }

    @Test
    void aPortInUseExitsNonZeroWithOneLineNamingThePortAndTheCause() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "serve", "--port", Integer.toString(port))).start();
            killAfterMinutes(p, 2); // a safety net against a hung child (the bug: serving nothing forever)
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(1, p.waitFor(), out + err);
            assertTrue(!out.contains("listening"), out);
            // quiet: exactly the one line the user needs on stderr, no logging framework noise
            assertEquals("weft serve: could not listen on 127.0.0.1:" + port + ": port " + port + " is already in use"
                    + " (another process listens on it; stop it or choose another port, 0 for a free one)\n", err);
        }
    }

    @Test
    void adminPortServesTheTaskTreeOnLoopbackInDebugMode() throws Exception {
        Process p = new ProcessBuilder(ChildJava.command(List.of("-Dweft.debug.jfr=false", "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", "0", "--admin-port", "0")))
                .redirectErrorStream(true).start();
        killAfterMinutes(p, 2); // a safety net against a hung child, not a timing assertion
        StringBuilder seen = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            URI admin = null;
            boolean listening = false;
            Pattern tree = Pattern.compile("task tree on (http://127\\.0\\.0\\.1:\\d+)/tasks ");
            for (String l; !(admin != null && listening) && (l = in.readLine()) != null; ) {
                seen.append(l).append('\n');
                Matcher m = tree.matcher(l);
                if (m.find()) {
                    admin = URI.create(m.group(1));
                }
                listening |= l.contains("listening on");
            }
            assertTrue(admin != null && listening, seen.toString());
            HttpResponse<String> text = send(HttpRequest.newBuilder(admin.resolve("/tasks")));
            assertEquals(200, text.statusCode());
            assertTrue(text.body().contains("root 'Weft.run' RUNNING"), text.body());
            HttpResponse<String> json = send(HttpRequest.newBuilder(admin.resolve("/tasks.json")));
            assertEquals(200, json.statusCode());
            assertTrue(json.body().startsWith("{\"pid\":" + p.pid()), json.body());
            assertEquals(0, new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor());
            for (String l; (l = in.readLine()) != null; ) {
                seen.append(l).append('\n');
            }
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.waitFor(), seen.toString());
    }

    @Test
    void withoutDebugModeTheAdminEndpointSaysHowToTurnItOn() throws Exception {
        try (RunningApp admin = ServeCommand.adminApp(0).start()) { // this JVM runs with debug mode off
            HttpResponse<String> text = send(HttpRequest.newBuilder(admin.uri().resolve("/tasks")));
            assertTrue(text.body().contains("debug mode is off"), text.body());
            assertEquals(503, send(HttpRequest.newBuilder(admin.uri().resolve("/tasks.json"))).statusCode());
        }
    }

    /** Keeps a child JVM from outliving a broken test run. */
    static void killAfterMinutes(Process p, int minutes) {
        Thread.ofPlatform().daemon().name("child-watchdog").start(() -> {
            try {
                if (!p.waitFor(minutes, java.util.concurrent.TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
    }
}
