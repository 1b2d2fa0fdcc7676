package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.http.HttpSession;
import dev.weft.http.Request;
import dev.weft.http.Response;
import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebResponse;
import dev.weft.test.WeftTest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The whole service on a free port: routes, health, metrics, and the graceful shutdown. Under
 * {@link WeftTest}: a test fails if it leaves a Weft task running or a failure unread. Pinning is not
 * checked here: the first request through a server and a client loads hundreds of classes on
 * virtual threads, and class loading still pins a carrier in JDK 25 (a contended class-loader lock
 * shows up as a pin of tens of milliseconds on a busy machine). Unit tests of your own concurrent
 * code should keep the pinning check.
 */
@WeftTest(checkPinning = false)
class AppTest {
    private static final String[] NO_ARGS = {};

    private static Config config(String... env) throws Config.Invalid {
        Map<String, String> m = new java.util.HashMap<>(Map.of("APP_PORT", "0", "APP_JOBS_WORKERS", "2",
                "APP_FANOUT_DEADLINE", "500ms", "APP_LOG_LEVEL", "WARNING"));
        for (int i = 0; i < env.length; i += 2) {
            m.put(env[i], env[i + 1]);
        }
        return Config.load(m, NO_ARGS, Path.of("no-such-file"));
    }

    /** The service running in a test's task group: its task and its server. */
    private record Started(Task<App.Report> task, RunningApp app) {
    }

    /** Starts the service in {@code g} on a free port and waits until it listens. */
    private static Started start(TaskGroup g, Metrics metrics) throws InterruptedException {
        AtomicReference<RunningApp> running = new AtomicReference<>();
        CountDownLatch ready = new CountDownLatch(1);
        Task<App.Report> service = g.spawn(() -> App.run(config(), metrics, app -> {
            running.set(app);
            ready.countDown();
        }));
        ready.await();
        return new Started(service, running.get());
    }

    @Test
    void aggregatesWithinTheDeadlineAndReportsHealthAndMetrics() throws Exception {
        Metrics metrics = new Metrics();
        try (HttpSession client = HttpSession.create()) {
            App.Report report = TaskGroup.run(g -> {
                Started service = start(g, metrics);
                String base = service.app().uri().toString();
                assertEquals(200, client.get(base + "/health/ready").status());
                assertEquals(200, client.get(base + "/health/started").status());
                assertEquals(200, client.get(base + "/health/live").status());

                Response fast = client.get(base + "/aggregate?ms=5");
                assertEquals(200, fast.status());
                assertTrue(fast.text().startsWith("{\"complete\":true,"), fast.text());
                // the demo upstreams take 1 and 2 s: the 500 ms deadline cuts every one off
                Response slow = client.get(base + "/aggregate?ms=1000");
                assertTrue(slow.text().startsWith("{\"complete\":false,"), slow.text());
                assertEquals(3, slow.text().split("\"outcome\":\"timeout\"", -1).length - 1, slow.text());

                String m = client.get(base + "/metrics").text();
                assertTrue(m.contains("app_upstream_calls_total{outcome=\"ok\"} 3\n"), m);
                assertTrue(m.contains("app_upstream_calls_total{outcome=\"timeout\"} 3\n"), m);
                assertTrue(m.contains("app_jobs_workers_alive 2\n"), m);

                assertEquals(422, client.send(Request.post(base + "/jobs").withBody("{\"url\": \"nope\"}".getBytes(), "application/json")).status());
                assertEquals(404, client.get(base + "/jobs/99").status());
                service.app().shutdown();
                return service.task().join();
            });
            assertTrue(report.clean(), report.toString());
        }
    }

    @Test
    void shutdownFinishesTheJobsAlreadyQueued() throws Exception {
        // a slow "external" upstream: holds each request until released
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebApp upstream = WebApp.builder().port(0).get("/page", req -> {
            entered.countDown();
            release.await();
            return WebResponse.text("page");
        }).build();
        Metrics metrics = new Metrics();
        try (RunningApp up = upstream.start(); HttpSession client = HttpSession.create()) {
            App.Report report = TaskGroup.run(g -> {
                Started service = start(g, metrics);
                String base = service.app().uri().toString();
                String job = "{\"url\": \"" + up.uri() + "/page\"}";
                for (int i = 0; i < 3; i++) {
                    assertEquals(202, client.send(Request.post(base + "/jobs").withBody(job.getBytes(), "application/json")).status());
                }
                entered.await();               // a worker is inside a job
                service.app().shutdown();      // the HTTP side drains and closes...
                release.countDown();           // ...and the queued jobs still run to the end
                return service.task().join();
            });
            assertTrue(report.clean(), report.toString());
            assertEquals(3, metrics.get("app_jobs_total{state=\"done\"}"));
        }
    }
}
