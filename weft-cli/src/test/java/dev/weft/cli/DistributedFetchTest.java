package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebResponse;
import dev.weft.redis.Codec;
import dev.weft.redis.Redis;
import dev.weft.redis.RedisServer;
import dev.weft.redis.RedisWorkQueue;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft fetch --enqueue / --worker / --collect} on a real Redis: three worker processes, one
 * killed with SIGKILL while it holds requests; every URL ends with exactly one result in the
 * collected output.
 */
class DistributedFetchTest {
    private static final int URLS = 150;
    private static final Pattern LINE = Pattern.compile("\"line\":(\\d+)");

    @TempDir
    Path dir;

    @Test
    void threeWorkersOneKilledEveryUrlExactlyOnce() throws Exception {
        AtomicInteger slowStarted = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        WebApp app = WebApp.builder().host("127.0.0.1").port(0).requestTimeout(null).drainTimeout(Duration.ZERO)
                .get("/ok/{id}", req -> WebResponse.text("body " + req.pathParam("id")))
                .get("/slow/{id}", req -> {
                    slowStarted.incrementAndGet();
                    release.await(); // held until the killed worker is dead
                    return WebResponse.text("slow " + req.pathParam("id"));
                })
                .build();
        List<Process> workers = new ArrayList<>();
        try (RedisServer redis = RedisServer.startNew(); RunningApp server = app.start()) {
            String queue = redis.uri() + "/crawl";
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < URLS; i++) {
                urls.add(server.uri() + (i % 10 == 3 ? "/slow/" : "/ok/") + i);
            }
            Path list = Files.write(dir.resolve("urls.txt"), urls);
            assertEquals(0, inProcess("--enqueue", queue, list.toString()));

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            for (int w = 0; w < 3; w++) {
                Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(), "fetch",
                        "--worker", queue, "--limit", "3", "--progress", "none", "--visibility-timeout", "1s",
                        "--timeout", "2m", "--read-timeout", "2m")
                        .redirectErrorStream(true).redirectOutput(dir.resolve("worker-" + w + ".log").toFile()).start();
                FetchCommandTest.killAfterMinutes(p, 3);
                workers.add(p);
            }
            try (Redis r = redis.connect();
                 RedisWorkQueue<String> results = RedisWorkQueue.builder(r, "crawl.results", Codec.strings()).build();
                 RedisWorkQueue<String> jobs = RedisWorkQueue.builder(r, "crawl", Codec.strings()).build()) {
                // observable progress: results published, slow requests held in several workers
                FetchResumeTest.waitFor(() -> results.unfinished() >= 20 && slowStarted.get() >= 4, "20 results and 4 held requests");
                Process victim = workers.get(0);
                victim.destroyForcibly(); // SIGKILL while it holds requests
                assertEquals(137, victim.waitFor());
                assertTrue(jobs.stats().inFlight() > 0, "requests in flight when the worker died");
            }
            release.countDown();
            Path out = dir.resolve("out.jsonl");
            assertEquals(0, inProcess("--collect", queue, "-o", out.toString()));
            for (int w = 1; w < 3; w++) {
                int n = w;
                assertEquals(0, workers.get(w).waitFor(), () -> log(n));
            }
            Map<Integer, String> byLine = new HashMap<>();
            for (String l : Files.readAllLines(out)) {
                Matcher m = LINE.matcher(l);
                assertTrue(m.find(), l);
                assertNull(byLine.put(Integer.parseInt(m.group(1)), l), "two results for line " + m.group(1));
                assertTrue(l.contains("\"error\":null") && l.contains("\"status\":200"), l);
            }
            assertEquals(URLS, byLine.size(), "one result per URL");
        } finally {
            release.countDown();
            workers.forEach(Process::destroyForcibly);
        }
    }

    private String log(int worker) {
        try {
            return Files.readString(dir.resolve("worker-" + worker + ".log"));
        } catch (Exception e) {
            return e.toString();
        }
    }

    private static int inProcess(String... args) {
        FetchCommand c = new FetchCommand();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        c.out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = Cli.execute(c, args);
        System.err.print(err.toString(StandardCharsets.UTF_8));
        return status;
    }
}
