package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.RunningApp;
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
import java.util.List;
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
        try (RunningApp r = ServeCommand.app("127.0.0.1", 0, Duration.ofSeconds(5), Duration.ofSeconds(5),
                new PrintStream(log, true, StandardCharsets.UTF_8)).start()) {
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

    @Test
    void sigtermDrainsTheRequestInFlightThenCleansUpAndExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--port", "0", "--drain-timeout", "20s")).redirectErrorStream(true).start();
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
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(List.of(java, "-Dweft.debug.jfr=false", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--port", "0", "--admin-port", "0")).redirectErrorStream(true).start();
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
