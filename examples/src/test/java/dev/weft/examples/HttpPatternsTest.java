package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.HttpSession;
import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Runs every sample of docs/http-patterns.md against a backend on loopback. */
class HttpPatternsTest {
    static RunningApp backend;
    static String base;
    static final Map<String, AtomicInteger> FLAKY_CALLS = new ConcurrentHashMap<>();

    @BeforeAll
    static void startBackend() throws Exception {
        backend = WebApp.builder().host("127.0.0.1").port(0)
                .get("/items/{id}", r -> WebResponse.json(new HttpPatterns.Item(r.pathParam("id"), 7)))
                .get("/profile/{user}", r -> WebResponse.text("profile of " + r.pathParam("user")))
                .get("/orders/{user}", r -> WebResponse.text("orders of " + r.pathParam("user")))
                .get("/flaky/{key}", r -> FLAKY_CALLS.computeIfAbsent(r.pathParam("key"), k -> new AtomicInteger())
                        .incrementAndGet() == 1
                        ? WebResponse.text(503, "try again").withHeader("Retry-After", "0")
                        : WebResponse.text("recovered"))
                .build().start();
        base = "http://127.0.0.1:" + backend.port();
    }

    @AfterAll
    static void stopBackend() {
        backend.close();
    }

    @Test
    void sessionGetsJson() throws Exception {
        try (HttpSession session = HttpPatterns.newSession()) {
            assertEquals(new HttpPatterns.Item("42", 7), HttpPatterns.item(session, base, "42"));
        }
    }

    @Test
    void fetchAllGivesEveryUrlAnOutcome() throws Exception {
        try (HttpSession session = HttpPatterns.newSession()) {
            Map<String, String> s = HttpPatterns.statuses(session,
                    List.of(base + "/items/1", base + "/nowhere", "http://127.0.0.1:1/refused"));
            assertEquals("200", s.get(base + "/items/1"));
            assertEquals("404", s.get(base + "/nowhere"));
            assertTrue(s.get("http://127.0.0.1:1/refused").startsWith("failed: "), s.toString());
        }
    }

    @Test
    void perHostPolicyRetriesA503() throws Exception {
        try (HttpSession session = HttpPatterns.resilientSession()) {
            assertEquals("recovered", session.get(base + "/flaky/a").text());
            assertEquals(2, FLAKY_CALLS.get("a").get());
        }
    }

    @Test
    void routeFansOutToBothBackends() throws Exception {
        try (HttpSession session = HttpPatterns.newSession();
                RunningApp front = HttpPatterns.frontend(session, base).start()) {
            HttpPatterns.Dashboard d = session.getJson(front.uri().resolve("/dashboard/ada").toString(),
                    HttpPatterns.Dashboard.class);
            assertEquals(new HttpPatterns.Dashboard("profile of ada", "orders of ada"), d);
        }
    }
}
