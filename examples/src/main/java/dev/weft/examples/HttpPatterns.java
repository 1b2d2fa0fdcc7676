package dev.weft.examples;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.http.HttpSession;
import dev.weft.http.HttpTimeouts;
import dev.weft.http.RequestPolicies;
import dev.weft.http.Response;
import dev.weft.http.WebApp;
import dev.weft.http.WebResponse;
import dev.weft.resilience.Policy;
import dev.weft.resilience.RetryBudget;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of {@code docs/http-patterns.md}: an {@link HttpSession} with limits and timeouts
 * (aiohttp's {@code ClientSession} and {@code TCPConnector}), bounded fan-out with partial results,
 * a per-host resilience policy, and a {@link WebApp} route that fans out to two backends under
 * the request's deadline.
 */
public final class HttpPatterns {
    private HttpPatterns() {
    }

    /**
     * A stock item, as the backend serves it.
     *
     * @param id the item id
     * @param stock units in stock
     */
    public record Item(String id, int stock) {
    }

    /**
     * What the front end's route answers.
     *
     * @param profile the profile backend's answer
     * @param orders the orders backend's answer
     */
    public record Dashboard(String profile, String orders) {
    }

    // tag::session[]
    // @start region="session"
    static HttpSession newSession() {
        // aiohttp: ClientSession(connector=TCPConnector(limit=64, limit_per_host=8), timeout=...)
        return HttpSession.builder()
                .limit(64)        // requests in flight in the whole session (default 100)
                .limitPerHost(8)  // per scheme://host:port (default: no per-host limit)
                .timeouts(HttpTimeouts.DEFAULTS
                        .withConnect(Duration.ofSeconds(2))
                        .withRead(Duration.ofSeconds(5))     // silence between bytes
                        .withTotal(Duration.ofSeconds(10)))  // each attempt, first to last byte
                .build();         // one session per application: it owns the connection pool
    }
    // @end region="session"
    // end::session[]

    // tag::get-json[]
    // @start region="get-json"
    static Item item(HttpSession session, String baseUri, String id) throws InterruptedException {
        // a 4xx/5xx throws HttpStatusException; session.get(...) returns the status as data
        return session.getJson(baseUri + "/items/" + id, Item.class);
    }
    // @end region="get-json"
    // end::get-json[]

    // tag::fetch-all[]
    // @start region="fetch-all"
    static Map<String, String> statuses(HttpSession session, List<String> urls) throws InterruptedException {
        // every URL gets an outcome; what is unfinished after 5 s is Cancelled, not lost
        List<Outcome<Response>> all = session.fetchAll(urls, 16, Duration.ofSeconds(5));
        Map<String, String> byUrl = new LinkedHashMap<>();
        for (int i = 0; i < urls.size(); i++) {
            byUrl.put(urls.get(i), switch (all.get(i)) {
                case Outcome.Success<Response> s -> String.valueOf(s.value().status());
                case Outcome.Failure<Response> f -> "failed: " + f.error().getMessage();
                case Outcome.Cancelled<Response> c -> "cut off by the deadline";
            });
        }
        return byUrl;
    }
    // @end region="fetch-all"
    // end::fetch-all[]

    // tag::per-host-policy[]
    // @start region="per-host-policy"
    static HttpSession resilientSession() {
        return HttpSession.builder()
                .limit(64)
                .limitPerHost(8)
                .policyPerHost(RequestPolicies.perHost(host -> Policy.builder()
                        .name(host)
                        // retries connection errors, timeouts, 429/502/503/504 (Retry-After honoured)
                        .retry(RequestPolicies.retry().maxAttempts(3).budget(RetryBudget.defaults()).build())
                        // counts those and any other 5xx as failures of this host
                        .circuitBreaker(RequestPolicies.circuitBreaker().name(host).build())
                        .build()))
                .build();
    }
    // @end region="per-host-policy"
    // end::per-host-policy[]

    // tag::fan-out-route[]
    // @start region="fan-out-route"
    static WebApp frontend(HttpSession session, String backend) {
        return WebApp.builder()
                .host("127.0.0.1").port(0)              // 0: any free port (tests); 8080 in production
                .requestTimeout(Duration.ofSeconds(2))  // each handler runs under this deadline
                .get("/dashboard/{user}", request -> {
                    String user = request.pathParam("user");
                    // both calls inherit the request's deadline; a failure cancels the other call
                    Dashboard dashboard = TaskGroup.run(group -> {
                        Task<String> profile = group.spawn("profile",
                                () -> session.get(backend + "/profile/" + user).raiseForStatus().text());
                        Task<String> orders = group.spawn("orders",
                                () -> session.get(backend + "/orders/" + user).raiseForStatus().text());
                        return new Dashboard(profile.join(), orders.join());
                    });
                    return WebResponse.json(dashboard);
                })
                .build();
    }
    // @end region="fan-out-route"
    // end::fan-out-route[]
}
