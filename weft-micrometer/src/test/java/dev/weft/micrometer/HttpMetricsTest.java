package dev.weft.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.http.HttpSession;
import dev.weft.http.RequestPolicy;
import dev.weft.http.Response;
import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebException;
import dev.weft.http.WebResponse;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** HttpClientMetrics and WebAppMetrics against each other on loopback. */
class HttpMetricsTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    private long timerCount(String name, String... tags) {
        return registry.get(name).tags(tags).timer().count();
    }

    @Test
    void requestsInFlightPerHostAndByStatusClassOnBothSides() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebAppMetrics server = new WebAppMetrics(registry, "shop");
        WebApp app = WebApp.builder().host("127.0.0.1").port(0).observer(server)
                .get("/items/{id}", req -> {
                    if (!req.pathParam("id").chars().allMatch(Character::isDigit)) {
                        throw new WebException(400, "item id must be a number");
                    }
                    return WebResponse.text("item " + req.pathParam("id"));
                })
                .get("/slow", req -> {
                    entered.countDown();
                    release.await();
                    return WebResponse.text("done");
                })
                .build();
        assertEquals(0, gauge("weft.http.server.state", "name", "shop", "state", "running"));
        try (RunningApp running = app.start()) {
            server.bind(running);
            assertEquals(1, gauge("weft.http.server.state", "name", "shop", "state", "running"));
            HttpClientMetrics client = new HttpClientMetrics(registry, "api");
            try (HttpSession session = HttpSession.builder()
                    .policyPerHost(client.policyPerHost(h -> RequestPolicy.none())).build()) {
                client.bind(session);
                String base = running.uri().toString();
                String host = "http://127.0.0.1:" + running.port();
                assertEquals(200, session.get(base + "/items/1").status());
                assertEquals(200, session.get(base + "/items/2").status());
                assertEquals(400, session.get(base + "/items/x").status());
                assertEquals(404, session.get(base + "/nope").status());

                TaskGroup.run(g -> {
                    Task<Response> slow = g.spawn(() -> session.get(base + "/slow"));
                    entered.await();
                    Poll.until("the earlier requests left and the slow one in flight on both sides",
                            () -> gauge("weft.http.client.active", "name", "api", "host", host) == 1
                                    && gauge("weft.http.server.in.flight", "name", "shop") == 1);
                    assertEquals(1, gauge("weft.http.client.in.flight", "name", "api"));
                    assertEquals(0, gauge("weft.http.client.waiting", "name", "api"));
                    release.countDown();
                    assertEquals(200, slow.join().status());
                    return null;
                });
                assertEquals(0, gauge("weft.http.client.active", "name", "api", "host", host));
                assertEquals(0, gauge("weft.http.client.in.flight", "name", "api"));
                assertEquals(3, timerCount("weft.http.client.requests", "name", "api", "host", host, "method", "GET",
                        "status", "2xx", "outcome", "SUCCESS", "error", "none"));
                assertEquals(2, timerCount("weft.http.client.requests", "name", "api", "host", host,
                        "status", "4xx", "outcome", "CLIENT_ERROR"));
            }
            // the server observes a request after writing its response: the client may be a step ahead
            Poll.until("five requests observed by the server", () -> registry.find("weft.http.server.requests")
                    .timers().stream().mapToLong(io.micrometer.core.instrument.Timer::count).sum() == 5);
            assertEquals(2, timerCount("weft.http.server.requests", "name", "shop", "method", "GET",
                    "uri", "/items/{id}", "status", "2xx", "outcome", "SUCCESS"));
            assertEquals(1, timerCount("weft.http.server.requests", "name", "shop", "uri", "/items/{id}",
                    "status", "4xx"));
            assertEquals(1, timerCount("weft.http.server.requests", "name", "shop", "uri", "NOT_FOUND",
                    "status", "4xx"));
            assertEquals(1, timerCount("weft.http.server.requests", "name", "shop", "uri", "/slow", "status", "2xx"));
            running.beginDrain();
            assertEquals(1, gauge("weft.http.server.state", "name", "shop", "state", "draining"));
            assertEquals(0, gauge("weft.http.server.state", "name", "shop", "state", "running"));
        }
    }

    @Test
    void aConnectionRefusedIsCountedWithItsErrorKind() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        } // closed: nothing listens there now
        HttpClientMetrics client = new HttpClientMetrics(registry, "api");
        try (HttpSession session = HttpSession.builder()
                .policyPerHost(client.policyPerHost(h -> RequestPolicy.none())).build()) {
            String url = "http://127.0.0.1:" + port + "/";
            org.junit.jupiter.api.Assertions.assertThrows(dev.weft.http.HttpException.class, () -> session.get(url));
        }
        assertEquals(1, timerCount("weft.http.client.requests", "name", "api", "host", "http://127.0.0.1:" + port,
                "status", "none", "outcome", "UNKNOWN", "error", "connection_refused"));
    }
}
