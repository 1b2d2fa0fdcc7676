package dev.weft.context;

import static dev.weft.context.Contexts.NOTHING;
import static dev.weft.context.Contexts.enter;
import static dev.weft.context.Contexts.expected;
import static dev.weft.context.Contexts.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.ContextPropagation;
import dev.weft.TaskGroup;
import dev.weft.Weft;
import dev.weft.http.BulkFetch;
import dev.weft.http.FetchListener;
import dev.weft.http.FetchRequest;
import dev.weft.http.FetchResult;
import dev.weft.http.HttpSession;
import dev.weft.http.Request;
import dev.weft.http.RequestPolicies;
import dev.weft.http.RequestPolicy;
import dev.weft.http.Response;
import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebResponse;
import dev.weft.resilience.Backoff;
import dev.weft.resilience.Policy;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Across HTTP on a loopback server: the context a WebApp filter sets is seen in the tasks the handler
 * spawns (and is gone after the request); a client's context is seen in every attempt of an
 * HttpSession request policy, retries and fetchAll's tasks included (issue 16).
 */
class HttpContextTest {
    private static RunningApp server;
    private static final AtomicInteger flaky = new AtomicInteger();
    private static final List<String> afterFilter = new CopyOnWriteArrayList<>();
    private ContextPropagation.Registration reg;

    @BeforeAll
    static void start() throws Exception {
        WebApp app = WebApp.builder().host("127.0.0.1").port(0).drainTimeout(Duration.ofSeconds(5))
                .filter((req, next) -> {
                    String id = req.header("X-Request-Id").orElse("none");
                    try (Scope s = enter(id, "abcdefabcdef0001")) { // what a tracing / request-id filter does
                        return next.handle(req);
                    } finally {
                        Contexts.clear();
                        afterFilter.add(seen());
                    }
                })
                .get("/fan-out", req -> WebResponse.text(String.join(",", Weft.gather(List.of(
                        Contexts::seen,
                        () -> TaskGroup.run(g -> g.spawn(() -> Weft.offload(Contexts::seen)).join()))))))
                .get("/flaky", req -> flaky.incrementAndGet() % 2 == 1
                        ? WebResponse.text(503, "try again")
                        : WebResponse.text("ok"))
                .build();
        server = app.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @AfterEach
    void cleanUp() {
        if (reg != null) {
            reg.close();
        }
        Contexts.clear();
    }

    @Test
    void tasksSpawnedByAHandlerSeeTheContextItsFilterSet() throws Exception {
        reg = MicrometerContext.install(Contexts.registry());
        afterFilter.clear();
        try (HttpSession http = HttpSession.create()) {
            Response r = http.send(Request.get(server.uri().resolve("/fan-out")).withHeader("X-Request-Id", "web-1"));
            assertEquals(200, r.status(), r.text());
            String want = expected("web-1", "abcdefabcdef0001");
            assertEquals(want + "," + want, r.text());
        }
        assertEquals(List.of(NOTHING), afterFilter, "the handler thread after the filter");
    }

    @Test
    void withoutTheBridgeTheHandlersTasksSeeNothing() throws Exception {
        try (HttpSession http = HttpSession.create()) {
            Response r = http.send(Request.get(server.uri().resolve("/fan-out")).withHeader("X-Request-Id", "web-2"));
            assertEquals(NOTHING + "," + NOTHING, r.text()); // so the test above can fail
        }
    }

    @Test
    void everyAttemptOfARetriedRequestAndFetchAllsTasksSeeTheCallersContext() throws Exception {
        reg = MicrometerContext.install(Contexts.registry());
        List<String> attempts = new CopyOnWriteArrayList<>();
        RequestPolicy retrying = RequestPolicies.of(Policy.builder()
                .retry(RequestPolicies.retry().maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(1))).build())
                .build());
        RequestPolicy recording = new RequestPolicy() {
            @Override
            public <R> R execute(Request request, Attempt<R> attempt) throws InterruptedException {
                return retrying.execute(request, req -> {
                    attempts.add(seen());
                    return attempt.run(req);
                });
            }
        };
        flaky.set(0);
        try (HttpSession http = HttpSession.builder().policy(recording).build();
                Scope s = enter("client-1", "c1c1c1c1c1c1c1c1")) {
            String want = expected("client-1", "c1c1c1c1c1c1c1c1");
            // in a task, as a request handler would do it: first attempt 503, the retry 200
            Response r = TaskGroup.run(g -> g.spawn(() -> http.get(server.uri().resolve("/flaky").toString())).join());
            assertEquals(200, r.status());
            assertEquals(List.of(want, want), attempts);
            assertEquals(want, seen());

            attempts.clear();
            flaky.set(1); // even: each of the two answers 200 at once
            var outcomes = http.fetchAll(List.of(server.uri().resolve("/flaky").toString(),
                    server.uri().resolve("/fan-out").toString()), 2);
            assertEquals(2, outcomes.size());
            assertEquals(List.of(want, want), attempts);
        }
    }

    @Test
    void bulkFetchWorkersSeeTheCallersContextInRunAndInResults() throws Exception {
        reg = MicrometerContext.install(Contexts.registry());
        List<String> seen = new CopyOnWriteArrayList<>();
        FetchListener listener = new FetchListener() {
            @Override
            public void onResult(FetchResult r) {
                seen.add(seen()); // called on the fetching threads
            }
        };
        List<FetchRequest> two = List.of(FetchRequest.of(server.uri().resolve("/fan-out").toString()),
                FetchRequest.of(server.uri().resolve("/fan-out").toString() + "?b"));
        BulkFetch fetch = BulkFetch.builder().limit(2).build();
        try (Scope s = enter("bulk-1", "b1b1b1b1b1b1b1b1")) {
            String want = expected("bulk-1", "b1b1b1b1b1b1b1b1");
            fetch.run(two.iterator(), listener);
            assertEquals(List.of(want, want), seen);
            seen.clear();
            int n = 0;
            try (BulkFetch.Results results = fetch.results(two.iterator(), 4, listener)) { // on a runner thread of its own
                while (results.hasNext()) {
                    results.next();
                    n++;
                }
            }
            assertEquals(2, n);
            assertEquals(List.of(want, want), seen);
        }
    }
}
