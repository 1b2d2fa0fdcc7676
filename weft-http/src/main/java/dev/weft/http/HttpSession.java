package dev.weft.http;

import dev.weft.Deadline;
import dev.weft.Limiter;
import dev.weft.Outcome;
import dev.weft.TimeSource;
import dev.weft.Weft;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.eclipse.jetty.client.AbstractConnectionPool;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Destination;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.transport.HttpClientConnectionFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportDynamic;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.ClientConnectionFactoryOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * A shared HTTP client session: aiohttp's {@code ClientSession} with its {@code TCPConnector}, on
 * the Jetty 12 {@code HttpClient}, blocking-first for virtual threads.
 *
 * {@snippet :
 * try (HttpSession session = HttpSession.builder().limit(64).limitPerHost(8).build()) {
 *     Response r = session.get("http://127.0.0.1:8080/hello");
 *     List<Outcome<Response>> all = session.fetchAll(urls, 64);   // partial failures are data
 *     try (StreamingResponse s = session.stream(Request.get(bigUrl))) {
 *         s.body().transferTo(out);                                 // never buffered whole
 *     }
 * }
 * }
 *
 * <h2>Limits</h2> A global {@link Limiter} ({@link Builder#limit}, default 100) bounds the requests
 * in flight on the session, and an optional per-host one ({@link Builder#limitPerHost}, default 0:
 * none) the requests to one scheme+host+port. A request takes its per-host permit first, then the
 * global one, so a request queued behind a busy host holds no global permit. Permits are held
 * until the response is complete (for a stream: until it is closed). Jetty's own per-destination
 * connection pool is sized to the same numbers, so Jetty never queues behind Weft's back and
 * connections are reused (keep-alive) across requests.
 *
 * <h2>Timeouts and deadlines</h2> See {@link HttpTimeouts}: permit wait, connect, read (idle),
 * total; each attempt's waits are shortened to {@link Deadline#current()}.
 *
 * <h2>Policies</h2> A {@link RequestPolicy} per host wraps every request (retry, breaker, rate
 * limit); see {@link Builder#policyPerHost}. Each attempt takes its own permits.
 *
 * <h2>HTTPS and HTTP/2</h2> {@code https} URLs are verified against the JDK's trust store
 * (certificate chain and host name), like curl and browsers. {@link Builder#insecure} turns both
 * checks off, for a test server with a self-signed certificate: dangerous anywhere else. Over
 * HTTPS the session offers HTTP/2 and HTTP/1.1 by ALPN and uses HTTP/2 when the server chooses it
 * ({@link Builder#http2}; {@link Response#version()} says which); plain {@code http} URLs use
 * HTTP/1.1.
 *
 * <h2>Back-pressure</h2> A 429 or 503 response carrying {@code Retry-After} pauses its host: the
 * host's later requests (retries included) wait until that time before they are sent, within
 * their own timeouts and deadline (a request whose time would run out first fails at once with
 * its {@link HttpTimeoutException}); see {@link Builder#maxRetryAfterPause}. Inside a
 * {@link RequestPolicies} policy such a response is {@link dev.weft.resilience.BackPressure}: retried
 * after the delay, never counted as a failure by the breaker.
 *
 * <h2>Exceptions</h2> Status codes are data ({@link Response#status()}), except a status outside
 * 100-599, which is an invalid response. Transport failures are {@link HttpException} with a
 * stable {@link HttpException#errorKind() kind} and a message in plain words (the transport's
 * exception is chained as the cause); timeouts {@link HttpTimeoutException} with their {@link
 * HttpTimeoutException.Kind kind}. Invalid URIs fail fast with {@link IllegalArgumentException}.
 *
 * <h2>Interrupt behaviour</h2> A caller cancelled (interrupted) while waiting for a permit, the
 * connection, the response or a body read gets {@link InterruptedException} (or
 * {@link java.io.InterruptedIOException} from a body stream). The Jetty request is aborted and its
 * outcome awaited before the call returns: its connection is closed and removed from the pool,
 * and its permits are released. Nothing is left in flight behind a cancelled caller.
 *
 * <h2>Thread safety</h2> A session is thread-safe and meant to be shared (one per application,
 * like aiohttp's). {@link #close()} stops the Jetty client; requests in flight then fail.
 *
 * <p>Example, from the compiled and tested {@code examples} module (the guides show it too):
 * {@snippet class="dev.weft.examples.HttpPatterns" region="session"}
 */
public final class HttpSession implements AutoCloseable {
    /** The logger, made on first use: the first logger of a process looks up the logging backend on the
     *  whole class path (every jar opened), which a run that never logs should not pay for at start-up. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(HttpSession.class.getName());
    }

    private static final Duration ABORT_WAIT = Duration.ofSeconds(5);

    /** Made and started on first use (see {@link #jetty()}); written under the session's lock. */
    private HttpClient client;
    private final JettySettings jettySettings;
    private boolean closed;
    private final boolean contentDecoding;
    private volatile boolean jettyStarted;
    /** Plain-http streams on the caller's thread (ADR 0330), or null: Jetty for everything. */
    private final DirectHttp1 direct;
    private final int maxRedirects;
    private final long maxPauseNanos;
    private final Limiter global;
    private final int perHostLimit;
    private final HttpTimeouts timeouts;
    private final int maxBufferedBody;
    private final Function<String, RequestPolicy> policies;
    private final ConcurrentHashMap<String, Host> hosts = new ConcurrentHashMap<>();

    /** Per scheme+host+port: its limiter, its policy, and the pause its server asked for. */
    private static final class Host {
        final String key;
        final Limiter limiter;
        final RequestPolicy policy;
        /** {@link TimeSource} nanos until which the host's requests wait (Retry-After); 0: none yet. */
        volatile long pausedUntil;
        volatile boolean paused;

        Host(String key, Limiter limiter, RequestPolicy policy) {
            this.key = key;
            this.limiter = limiter;
            this.policy = policy;
        }

        RequestPolicy policy() {
            return policy;
        }

        Limiter limiter() {
            return limiter;
        }
    }

    private HttpSession(Builder b) {
        this.global = Limiter.of(b.limit);
        this.perHostLimit = b.limitPerHost;
        this.timeouts = b.timeouts;
        this.maxBufferedBody = b.maxBufferedBody;
        this.policies = b.policies;
        this.maxRedirects = b.maxRedirects;
        this.maxPauseNanos = b.maxRetryAfterPause.toNanos();
        this.jettySettings = new JettySettings(Math.max(8, b.ioThreads), b.insecure, b.http2,
                perHostLimit > 0 ? Math.min(perHostLimit, b.limit) : b.limit, b.followRedirects, b.maxRedirects,
                b.keepAlive.toMillis(), timeouts.connect(), b.userAgent);
        this.contentDecoding = b.contentDecoding;
        this.direct = b.directHttp1 && !b.contentDecoding
                ? new DirectHttp1(timeouts.connect(), b.keepAlive, b.userAgent, b.followRedirects, b.maxRedirects) : null;
        if (direct == null) {
            jetty(); // started now, so that a client that cannot start fails the build, not the first request
        }
    }

    /**
     * The Jetty client, started on first use. A session with the direct transport may never need it
     * (plain http only): its start (thread pool, selector, the TLS trust store) is then never paid.
     */
    private HttpClient jetty() {
        if (!jettyStarted) {
            synchronized (this) {
                if (!jettyStarted) {
                    if (closed) {
                        throw new IllegalStateException("the HttpSession is closed; make a new one");
                    }
                    client = newJetty(jettySettings);
                    try {
                        client.start();
                    } catch (Exception e) {
                        throw new IllegalStateException("could not start the Jetty HttpClient: " + e, e);
                    }
                    if (!contentDecoding) {
                        client.getContentDecoderFactories().clear(); // no Accept-Encoding sent, bodies handed over as received
                    }
                    jettyStarted = true;
                }
            }
        }
        return client;
    }

    /** What the Jetty client is made with, kept from the builder until the client is first needed. */
    private record JettySettings(int threads, boolean insecure, boolean http2, int maxConnectionsPerHost,
            boolean followRedirects, int maxRedirects, long idleMillis, Duration connectTimeout, String userAgent) {
    }

    /**
     * Makes (does not start) the Jetty client. Made lazily rather than in the constructor: Jetty's
     * classes get their SLF4J loggers when first initialised, and SLF4J's start looks up its
     * provider on the whole class path (every jar opened, about 17 ms of a {@code weft fetch} start),
     * which a session that only speaks plain http through the direct transport never needs.
     */
    private static HttpClient newJetty(JettySettings js) {
        QuietLogging.jetty();
        QueuedThreadPool pool = new QueuedThreadPool(js.threads());
        pool.setName("weft-http-client");
        pool.setDaemon(true);
        // TLS: the JDK's trust store and host name verification, unless insecure (trust all, no check)
        SslContextFactory.Client tls = new SslContextFactory.Client(js.insecure());
        if (js.insecure()) {
            tls.setEndpointIdentificationAlgorithm(null);
        }
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(tls);
        connector.setExecutor(pool);
        // HTTP/1.1 first: the protocol of plain http; over TLS both are offered by ALPN and the server picks
        HttpClientTransportDynamic transport = js.http2()
                ? new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11,
                        new ClientConnectionFactoryOverHTTP2.HTTP2(new HTTP2Client(connector)))
                : new HttpClientTransportDynamic(connector, HttpClientConnectionFactory.HTTP11);
        HttpClient c = new HttpClient(transport);
        c.setExecutor(pool);
        c.setMaxConnectionsPerDestination(js.maxConnectionsPerHost());
        c.setMaxRequestsQueuedPerDestination(Integer.MAX_VALUE); // Weft's limiters bound the queue
        c.setFollowRedirects(js.followRedirects());
        c.setMaxRedirects(js.maxRedirects());
        c.setIdleTimeout(js.idleMillis());
        if (js.connectTimeout() != null) {
            c.setConnectTimeout(Math.max(1, js.connectTimeout().toMillis()));
        }
        c.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, js.userAgent()));
        return c;
    }

    /**
     * A session with the defaults (see {@link Builder}).
     *
     * @return a new session; close it to stop its client
     */
    public static HttpSession create() {
        return builder().build();
    }

    /**
     * A builder with the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------------------------- requests

    /**
     * GET {@code uri}, buffered. @throws IllegalArgumentException for a malformed or unsupported URI
     *
     * @param uri an absolute http or https URI with a host, as text
     * @return the response, body buffered (any status)
     * @throws InterruptedException if the caller was cancelled (the request is aborted first)
     */
    public Response get(String uri) throws InterruptedException {
        return send(Request.get(uri));
    }

    /**
     * GET {@code uri} and parse the body as JSON; a 4xx/5xx status throws {@link HttpStatusException}.
     *
     * @param <T> the target type
     * @param uri an absolute http or https URI with a host, as text
     * @param type the class to parse the body into
     * @return the parsed body
     * @throws InterruptedException if the caller was cancelled (the request is aborted first)
     */
    public <T> T getJson(String uri, Class<T> type) throws InterruptedException {
        return send(Request.get(uri).withHeader("Accept", "application/json")).raiseForStatus().json(type);
    }

    /**
     * POST {@code body} as JSON and parse the answer as JSON; a 4xx/5xx status throws {@link HttpStatusException}.
     *
     * @param <T> the target type
     * @param uri an absolute http or https URI with a host, as text
     * @param body the object sent as the JSON body
     * @param type the class to parse the answer into
     * @return the parsed answer
     * @throws InterruptedException if the caller was cancelled (the request is aborted first)
     */
    public <T> T postJson(String uri, Object body, Class<T> type) throws InterruptedException {
        return send(Request.post(uri).withJson(body).withHeader("Accept", "application/json")).raiseForStatus().json(type);
    }

    /**
     * Sends {@code request} under its host's policy and returns the whole response, its body
     * buffered (at most {@link Builder#maxBufferedBody} bytes; use {@link #stream} for more).
     *
     * @param request the request
     * @return the response, body buffered (any status: use {@link Response#raiseForStatus()} to fail on
     *     4xx and 5xx)
     * @throws HttpException if the exchange failed ({@link HttpTimeoutException} for a timeout)
     * @throws InterruptedException if the caller was cancelled (the request is aborted first)
     */
    public Response send(Request request) throws InterruptedException {
        Objects.requireNonNull(request, "request");
        Host host = host(request.uri());
        AtomicInteger attempts = new AtomicInteger();
        Response r = host.policy().execute(request, req -> sendOnce(req, host, attempts.incrementAndGet()));
        return r.attempts() == attempts.get() ? r
                : new Response(r.method(), r.uri(), r.status(), r.headers(), r.body(), r.elapsed(), attempts.get(), r.version());
    }

    /**
     * Sends {@code request} and returns once the response headers are in; the body is read from
     * {@link StreamingResponse#body()} as it arrives, never buffered whole. The caller must close
     * the response: that releases the permits and, if the body was not read to its end, aborts the
     * exchange and closes its connection.
     *
     * @param request the request
     * @return the response with its body unread; close it
     * @throws HttpException if the exchange failed before the headers arrived
     * @throws InterruptedException if the caller was cancelled (the request is aborted first)
     */
    public StreamingResponse stream(Request request) throws InterruptedException {
        Objects.requireNonNull(request, "request");
        Host host = host(request.uri());
        AtomicInteger attempts = new AtomicInteger();
        return host.policy().execute(request, req -> streamOnce(req, host, attempts.incrementAndGet()));
    }

    /**
     * GETs every URI with at most {@code limit} in flight (on top of the session's own limits)
     * and returns the outcomes in the order of {@code uris}: a {@link Outcome.Success} holding the
     * response whatever its status, a {@link Outcome.Failure} holding the {@link HttpException}
     * or {@link IllegalArgumentException}. Partial failures are data: one failure cancels nothing.
     *
     * @param uris the URIs, as text
     * @param limit the most requests in flight at once for this call, at least 1
     * @return one outcome per URI, in the order of {@code uris}
     * @throws IllegalArgumentException if {@code limit} is less than 1
     * @throws InterruptedException if the caller is cancelled (every request is aborted and joined first)
     */
    public List<Outcome<Response>> fetchAll(Collection<String> uris, int limit) throws InterruptedException {
        return Weft.mapOutcomes(uris, limit, this::get);
    }

    /**
     * As {@link #fetchAll(Collection, int)} under an overall {@code timeout}, with nothing lost
     * (asyncio's {@code wait(tasks, timeout=...)}): when the timeout passes, the requests still in
     * flight are aborted and the URIs not started yet are not started; every URI still gets an
     * outcome, in order: those that finished in time as above, the rest {@link Outcome.Cancelled}.
     * The timeout is not an error: this returns normally.
     *
     * <p><b>The pitfall this avoids:</b> {@code Timeouts.moveOnAfter(t, () -> session.fetchAll(uris, n))}
     * cancels the whole call when {@code t} passes and returns empty: the 199 responses that had
     * arrived are lost with the one that hung. Bound the fan-out itself instead, with this method
     * (or give each request its own deadline inside a {@code mapOutcomes}).
     *
     * @param uris the URIs to GET
     * @param limit how many requests at once, at least 1
     * @param timeout how long the whole fetch may take
     * @return one outcome per URI, in order
     * @throws IllegalArgumentException if {@code limit} is less than 1
     * @throws InterruptedException if the caller itself is cancelled (every request is aborted and joined first)
     */
    public List<Outcome<Response>> fetchAll(Collection<String> uris, int limit, Duration timeout) throws InterruptedException {
        return Weft.mapOutcomes(uris, limit, timeout, this::get);
    }

    // ---------------------------------------------------------------------------------- internals

    private Host host(URI uri) {
        String key = hostKey(uri);
        Host h = hosts.get(key);
        if (h != null) {
            return h;
        }
        return hosts.computeIfAbsent(key, k -> new Host(k, perHostLimit > 0 ? Limiter.of(perHostLimit) : null,
                Objects.requireNonNull(policies.apply(k), "policyPerHost returned null for " + k)));
    }

    /** Whether {@code status} with {@code retryAfter} is the server asking its clients to slow down. */
    static boolean isBackPressure(int status, Optional<Duration> retryAfter) {
        return (status == 429 || status == 503) && retryAfter.isPresent();
    }

    /** After a response: a 429/503 with Retry-After pauses the host until then (at most maxRetryAfterPause). */
    private void notePause(Host host, int status, Map<String, List<String>> headers) {
        if (maxPauseNanos <= 0 || (status != 429 && status != 503)) {
            return;
        }
        List<String> v = headers.get("retry-after");
        Optional<Duration> ra = RequestPolicies.parseRetryAfter(v == null || v.isEmpty() ? null : v.getFirst());
        if (ra.isEmpty()) {
            return;
        }
        long pause = Math.min(maxPauseNanos, ra.get().toNanos());
        long until = TimeSource.current().nanoTime() + pause;
        synchronized (host) {
            if (!host.paused || until - host.pausedUntil > 0) {
                host.pausedUntil = until;
                host.paused = true;
            }
        }
    }

    /**
     * Before an attempt: waits until the host's pause (if any) is over, within the attempt's budget;
     * fails at once if the pause outlasts it (no waiting in vain).
     */
    private void awaitPause(Request req, Host host, HttpTimeouts to, Budget budget) throws InterruptedException {
        if (!host.paused) {
            return;
        }
        TimeSource clock = TimeSource.current();
        long left = host.pausedUntil - clock.nanoTime();
        if (left <= 0) {
            return;
        }
        Duration rem = budget.remaining();
        if (rem != null && rem.toNanos() <= left) {
            String why = "the server asked (Retry-After) for a pause of " + host.key + " until "
                    + clock.instant().plusNanos(left).truncatedTo(java.time.temporal.ChronoUnit.MILLIS) + ", after this request's time runs out";
            throw budgetExpired(req, to, budget, why, null);
        }
        Weft.sleep(Duration.ofNanos(left));
    }

    /** {@code scheme://host:port}, the unit of per-host limits and policies. */
    static String hostKey(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    }

    /** The time budget of one attempt: the total timeout shortened to the caller's deadline. */
    private static final class Budget {
        final long startNanos = System.nanoTime();
        final Duration total;
        final Duration deadline; // remaining at start, or null
        final boolean deadlineBinds;

        Budget(Duration total) {
            this.total = total;
            this.deadline = Deadline.current().map(Deadline::remaining).orElse(null);
            this.deadlineBinds = deadline != null && (total == null || deadline.compareTo(total) < 0);
        }

        Duration remaining() {
            Duration b = HttpTimeouts.min(total, deadline);
            return b == null ? null : b.minusNanos(System.nanoTime() - startNanos);
        }
    }

    private HttpTimeouts timeoutsOf(Request r) {
        return r.timeouts() != null ? r.timeouts() : timeouts;
    }

    /** Acquires the per-host then the global permit within the budget. The caller closes them. */
    private Limiter.Permit[] acquire(Request req, Host host, HttpTimeouts to, Budget budget) throws InterruptedException {
        Limiter.Permit[] permits = new Limiter.Permit[2];
        try {
            Duration acquireLimit = to.acquire() == null ? null : to.acquire().minusNanos(System.nanoTime() - budget.startNanos);
            if (host.limiter() != null) {
                permits[0] = acquireOne(host.limiter(), req, to, budget, acquireLimit);
                acquireLimit = to.acquire() == null ? null : to.acquire().minusNanos(System.nanoTime() - budget.startNanos);
            }
            permits[1] = acquireOne(global, req, to, budget, acquireLimit);
            return permits;
        } catch (Throwable t) {
            release(permits);
            throw t;
        }
    }

    private Limiter.Permit acquireOne(Limiter limiter, Request req, HttpTimeouts to, Budget budget, Duration acquireLimit)
            throws InterruptedException {
        Duration rem = budget.remaining();
        Duration wait = HttpTimeouts.min(acquireLimit, rem);
        if (wait == null) {
            return limiter.acquire();
        }
        Optional<Limiter.Permit> p = limiter.tryAcquire(wait.isNegative() ? Duration.ZERO : wait);
        if (p.isPresent()) {
            return p.get();
        }
        if (acquireLimit != null && (rem == null || acquireLimit.compareTo(rem) <= 0)) {
            throw new HttpTimeoutException(req.method(), req.uri(), HttpTimeoutException.Kind.ACQUIRE, to.acquire(), null);
        }
        throw budgetExpired(req, to, budget, null);
    }

    private static void release(Limiter.Permit[] permits) {
        for (int i = permits.length - 1; i >= 0; i--) {
            if (permits[i] != null) {
                permits[i].close();
            }
        }
    }

    private HttpTimeoutException budgetExpired(Request req, HttpTimeouts to, Budget budget, Throwable cause)
            throws InterruptedException {
        return budgetExpired(req, to, budget, null, cause);
    }

    private HttpTimeoutException budgetExpired(Request req, HttpTimeouts to, Budget budget, String why, Throwable cause)
            throws InterruptedException {
        if (budget.deadlineBinds) {
            Weft.checkpoint(); // the scope whose deadline this is converts the cancellation itself
            return new HttpTimeoutException(req.method(), req.uri(), HttpTimeoutException.Kind.DEADLINE, budget.deadline, why, cause);
        }
        return new HttpTimeoutException(req.method(), req.uri(), HttpTimeoutException.Kind.TOTAL, to.total(), why, cause);
    }

    private org.eclipse.jetty.client.Request jettyRequest(Request req, HttpTimeouts to) {
        org.eclipse.jetty.client.Request jr = jetty().newRequest(req.uri()).method(req.method());
        if (to.read() != null) {
            jr.idleTimeout(Math.max(1, to.read().toMillis()), TimeUnit.MILLISECONDS);
        }
        if (!req.headers().isEmpty()) {
            jr.headers(h -> {
                for (Map.Entry<String, String> e : req.headers()) {
                    h.add(e.getKey(), e.getValue());
                }
            });
        }
        if (req.bodyBytes() != null) {
            jr.body(new BytesRequestContent(req.contentType(), req.bodyBytes()));
        }
        return jr;
    }

    private Response sendOnce(Request req, Host host, int attempt) throws InterruptedException {
        HttpTimeouts to = timeoutsOf(req);
        Budget budget = new Budget(to.total());
        Weft.checkpoint();
        awaitPause(req, host, to, budget);
        Limiter.Permit[] permits = acquire(req, host, to, budget);
        try {
            // the direct transport on virtual threads (as in streamOnce): the body read here, bounded
            if (direct != null && DirectHttp1.handles(req.uri()) && Thread.currentThread().isVirtual()) {
                StreamingResponse s = null;
                try {
                    s = directStream(req, host, attempt, to, budget, permits); // s releases the permits
                } catch (DirectHttp1.Elsewhere redirect) {
                    req = redirect.next; // redirected to https: Jetty takes it from here
                }
                if (s != null) {
                    try (StreamingResponse res = s) {
                        byte[] body = readBuffered(res, req, to, budget);
                        return new Response(req.method(), res.uri(), res.status(), res.headers(), body,
                                Duration.ofNanos(System.nanoTime() - budget.startNanos), attempt, res.version());
                    }
                }
            }
            org.eclipse.jetty.client.Request jr = jettyRequest(req, to);
            Duration rem = budget.remaining();
            if (rem != null) {
                if (rem.isNegative() || rem.isZero()) {
                    throw budgetExpired(req, to, budget, null);
                }
                jr.timeout(Math.max(1, rem.toMillis()), TimeUnit.MILLISECONDS);
            }
            CompletableFuture<ContentResponse> f = new CompletableResponseListener(jr, maxBufferedBody).send();
            ContentResponse cr;
            try {
                cr = f.get();
            } catch (InterruptedException e) {
                abortAndAwait(jr, f, e);
                throw e;
            } catch (ExecutionException e) {
                throw classify(req, to, budget, e.getCause());
            }
            int status = cr.getStatus();
            if (status < 100 || status > 599) {
                throw new HttpException(req.method(), req.uri(), HttpException.ErrorKind.INVALID_RESPONSE, Failures.invalidStatus(status), null);
            }
            Map<String, List<String>> headers = headers(cr.getHeaders());
            notePause(host, status, headers);
            return new Response(req.method(), cr.getRequest().getURI(), status, headers,
                    cr.getContent(), Duration.ofNanos(System.nanoTime() - budget.startNanos), attempt, version(cr.getVersion()));
        } finally {
            release(permits);
        }
    }

    /**
     * The body of a direct-transport response, whole, for {@link #send}: at most
     * {@link Builder#maxBufferedBody} bytes (the Jetty path's limit, in the same words); a failed
     * read as the exception {@link #send} documents.
     */
    private byte[] readBuffered(StreamingResponse s, Request req, HttpTimeouts to, Budget budget) throws InterruptedException {
        byte[] body;
        try {
            // one byte past the limit tells a body that is too large from one that fills it exactly
            body = maxBufferedBody == Integer.MAX_VALUE ? s.body().readAllBytes() : s.body().readNBytes(maxBufferedBody + 1);
        } catch (IOException e) {
            throw directFailure(req, to, budget, e);
        }
        if (body.length > maxBufferedBody) {
            throw tooLarge(req);
        }
        return body;
    }

    /**
     * A failure of the direct transport (opening the exchange or reading its body) as {@link #send}
     * and {@link #stream} report it: the caller's cancellation (the JDK closes the socket of an
     * interrupted virtual thread) as {@link InterruptedException}; an {@link HttpException} in the
     * cause chain (the body stream's own words) as it is; a timeout by its kind; anything else in
     * words ({@code Failures.describe}).
     */
    private HttpException directFailure(Request req, HttpTimeouts to, Budget budget, Exception e) throws InterruptedException {
        // a SocketTimeoutException is an InterruptedIOException too, but a timeout, not a cancellation
        boolean cancelled = e instanceof java.io.InterruptedIOException && !(e instanceof SocketTimeoutException);
        if (Thread.interrupted() || cancelled) { // the cancellation is the InterruptedException, not a flag left behind
            InterruptedException ie = new InterruptedException("request cancelled: " + req.method() + " " + req.uri());
            ie.initCause(e);
            throw ie;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException h) {
                return h;
            }
        }
        return switch (e) {
            case DirectHttp1.TotalTimeout t -> budgetExpired(req, to, budget, t);
            case DirectHttp1.ConnectTimeout t -> new HttpTimeoutException(req.method(), req.uri(), HttpTimeoutException.Kind.CONNECT, to.connect(), t);
            case SocketTimeoutException t -> new HttpTimeoutException(req.method(), req.uri(), HttpTimeoutException.Kind.READ, to.read(), t);
            default -> {
                Failures.Described d = Failures.describe(e, maxRedirects, maxBufferedBody);
                yield new HttpException(req.method(), req.uri(), d.kind(), d.message(), e);
            }
        };
    }

    /** The Jetty path's words for a body past {@link Builder#maxBufferedBody} (Failures.describe). */
    private HttpException tooLarge(Request req) {
        return new HttpException(req.method(), req.uri(), HttpException.ErrorKind.BODY_TOO_LARGE,
                "response body larger than maxBufferedBody (" + maxBufferedBody + " bytes); use stream()", null);
    }

    private StreamingResponse streamOnce(Request req, Host host, int attempt) throws InterruptedException {
        HttpTimeouts to = timeoutsOf(req);
        Budget budget = new Budget(to.total());
        Weft.checkpoint();
        awaitPause(req, host, to, budget);
        Limiter.Permit[] permits = acquire(req, host, to, budget);
        boolean handedOver = false;
        try {
            // virtual threads only: Weft's cancellation interrupts, and only a virtual thread's socket read ends on an interrupt
            if (direct != null && DirectHttp1.handles(req.uri()) && Thread.currentThread().isVirtual()) {
                try {
                    StreamingResponse s = directStream(req, host, attempt, to, budget, permits);
                    handedOver = true;
                    return s;
                } catch (DirectHttp1.Elsewhere redirect) {
                    req = redirect.next; // redirected to https: Jetty takes it from here
                }
            }
            org.eclipse.jetty.client.Request jr = jettyRequest(req, to);
            InputStreamResponseListener listener = new InputStreamResponseListener();
            jr.send(listener);
            org.eclipse.jetty.client.Response head;
            try {
                Duration rem = budget.remaining();
                head = listener.get(rem == null ? Long.MAX_VALUE : Math.max(0, rem.toNanos()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                abortAndAwait(jr, listener, e);
                throw e;
            } catch (TimeoutException e) {
                HttpTimeoutException t = budgetExpired(req, to, budget, e);
                abortAndAwait(jr, listener, t);
                throw t;
            } catch (ExecutionException e) {
                throw classify(req, to, budget, e.getCause());
            }
            int status = head.getStatus();
            if (status < 100 || status > 599) {
                HttpException bad = new HttpException(req.method(), req.uri(), HttpException.ErrorKind.INVALID_RESPONSE,
                        Failures.invalidStatus(status), null);
                abortAndAwait(jr, listener, bad);
                throw bad;
            }
            Map<String, List<String>> headers = headers(head.getHeaders());
            notePause(host, status, headers);
            StreamingResponse s = new StreamingResponse(req, head.getRequest().getURI(), status,
                    headers, new StreamingResponse.JettyExchange(jr, listener), permits, attempt, to.read(), version(head.getVersion()));
            handedOver = true;
            return s;
        } finally {
            if (!handedOver) {
                release(permits);
            }
        }
    }

    /** {@link #streamOnce} over {@link DirectHttp1}: the exchange runs on this thread, its failures classified as Jetty's are. */
    private StreamingResponse directStream(Request req, Host host, int attempt, HttpTimeouts to, Budget budget, Limiter.Permit[] permits)
            throws InterruptedException, DirectHttp1.Elsewhere {
        // the total timeout bounds every read; the caller's deadline is left to the caller's scope, whose
        // cancellation closes the socket (two clocks racing for one read would make the kind a coin toss)
        long deadline = to.total() == null ? Long.MAX_VALUE : budget.startNanos + to.total().toNanos();
        DirectHttp1.Exchange ex;
        try {
            ex = direct.open(req, to.read(), deadline);
        } catch (DirectHttp1.Elsewhere e) {
            throw e;
        } catch (IOException | HttpException e) {
            throw directFailure(req, to, budget, e);
        }
        int status = ex.status;
        if (status < 100 || status > 599) {
            ex.release();
            throw new HttpException(req.method(), req.uri(), HttpException.ErrorKind.INVALID_RESPONSE, Failures.invalidStatus(status), null);
        }
        notePause(host, status, ex.headers);
        return new StreamingResponse(req, ex.uri, status, ex.headers, new StreamingResponse.DirectExchange(ex), permits, attempt,
                to.read(), ex.version);
    }

    /**
     * Aborts {@code jr} and waits (not interruptibly, at most 5 s) until Jetty has finished it, so
     * its connection is closed and out of the pool before the caller's permits are released.
     */
    static void abortAndAwait(org.eclipse.jetty.client.Request jr, Object completion, Throwable cause) {
        CompletableFuture<Boolean> aborted = jr.abort(cause);
        boolean interrupted = Thread.interrupted();
        try {
            long until = System.nanoTime() + ABORT_WAIT.toNanos();
            while (true) {
                try {
                    if (completion instanceof CompletableFuture<?> f) {
                        f.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } else if (completion instanceof InputStreamResponseListener l) {
                        l.await(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                    } else {
                        aborted.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException | CancellationException e) {
                    break;
                } catch (TimeoutException e) {
                    Log.LOG.log(System.Logger.Level.WARNING, "Jetty did not finish the aborted request {0} within {1}", jr.getURI(), ABORT_WAIT);
                    break;
                }
            }
        } finally {
            if (interrupted) {
                dev.weft.Weft.restoreInterrupt();
            }
        }
    }

    private HttpException classify(Request req, HttpTimeouts to, Budget budget, Throwable cause) throws InterruptedException {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String msg = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (t instanceof TimeoutException || t instanceof SocketTimeoutException) {
                if (msg.contains("total timeout")) {
                    return budgetExpired(req, to, budget, cause);
                }
                if (msg.contains("idle timeout")) {
                    return new HttpTimeoutException(req.method(), req.uri(), HttpTimeoutException.Kind.READ, to.read(), cause);
                }
                if (msg.contains("connect")) {
                    return new HttpTimeoutException(req.method(), req.uri(), HttpTimeoutException.Kind.CONNECT, timeouts.connect(), cause);
                }
            }
            if (t instanceof InterruptedException || t instanceof CancellationException) {
                Weft.checkpoint();
            }
        }
        Failures.Described d = Failures.describe(cause, maxRedirects, maxBufferedBody);
        return new HttpException(req.method(), req.uri(), d.kind(), d.message(), cause);
    }

    /** The protocol version as responses report it: {@code "HTTP/1.1"}, {@code "HTTP/2"}. */
    static String version(HttpVersion v) {
        if (v == null) {
            return "HTTP/1.1";
        }
        return switch (v) {
            case HTTP_2 -> "HTTP/2";
            case HTTP_3 -> "HTTP/3";
            default -> v.asString();
        };
    }

    static Map<String, List<String>> headers(HttpFields fields) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (HttpField f : fields) {
            m.computeIfAbsent(f.getLowerCaseName(), k -> new ArrayList<>(1)).add(f.getValue());
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        return java.util.Collections.unmodifiableMap(m);
    }

    // ---------------------------------------------------------------------------------- state

    /**
     * A snapshot of the session's load.
     *
     * @param inFlight requests holding a global permit
     * @param waiting requests waiting for a global permit
     * @param activeConnections pooled connections carrying a request now
     * @param idleConnections pooled connections kept alive for reuse
     */
    public record Stats(int inFlight, int waiting, int activeConnections, int idleConnections) {
    }

    /**
     * The session's load now.
     *
     * @return a snapshot of the requests in flight and waiting
     */
    public Stats stats() {
        int active = 0;
        int idle = 0;
        for (Destination d : jettyStarted ? client.getDestinations() : List.<Destination>of()) {
            if (d.getConnectionPool() instanceof AbstractConnectionPool p) {
                active += p.getActiveConnectionCount();
                idle += p.getIdleConnectionCount();
            }
        }
        if (direct != null) {
            idle += direct.idleConnections();
        }
        return new Stats(global.inUse(), global.waiting(), active, idle);
    }

    /** Whether the Jetty client has been made (plain http through the direct transport never makes it); for tests. */
    boolean jettyMade() {
        return jettyStarted;
    }

    /** Requests sent by the direct plain-http transport so far (0 without it); for tests. */
    long directExchanges() {
        return direct == null ? 0 : direct.exchanges();
    }

    /**
     * The session's default timeouts.
     *
     * @return the timeouts used by requests without their own
     */
    public HttpTimeouts timeouts() {
        return timeouts;
    }

    /**
     * Stops the Jetty client: pooled connections are closed; requests in flight fail. A session that
     * never needed its Jetty client (plain http through the direct transport) never made one, and
     * makes none after this: a later request that would need it fails with
     * {@link IllegalStateException}. Safe to call on a cancelled (interrupted) thread: the client is
     * stopped whole and the interrupt flag is set again afterwards.
     */
    @Override
    public void close() {
        // Jetty's stop waits and throws InterruptedException on an interrupted thread: the client
        // would end FAILED and the caller's cancellation would be lost. Stop uninterrupted, then
        // give the flag back.
        boolean interrupted = Thread.interrupted();
        if (direct != null) {
            direct.close();
        }
        try {
            synchronized (this) {
                closed = true;
                if (jettyStarted) {
                    client.stop();
                }
            }
        } catch (Exception e) {
            Log.LOG.log(System.Logger.Level.WARNING, "stopping the Jetty HttpClient failed", e);
        } finally {
            if (interrupted) {
                Weft.restoreInterrupt(); // recorded as Weft's or foreign (ADR 0006)
            }
        }
    }

    // ---------------------------------------------------------------------------------- builder

    /**
     * Configures an {@link HttpSession}. Every option has a default; the built session copies
     * them, so the builder may be reused.
     */
    public static final class Builder {
        private int limit = 100;
        private int limitPerHost;
        private HttpTimeouts timeouts = HttpTimeouts.DEFAULTS;
        private boolean followRedirects = true;
        private int maxRedirects = 8;
        private int maxBufferedBody = 32 * 1024 * 1024;
        private Duration keepAlive = Duration.ofSeconds(30);
        private String userAgent = "weft/0.1";
        private boolean contentDecoding = true;
        private int ioThreads = Math.max(8, Runtime.getRuntime().availableProcessors() * 2);
        private Function<String, RequestPolicy> policies = k -> RequestPolicy.none();
        private boolean insecure;
        private boolean http2 = true;
        private Duration maxRetryAfterPause = Duration.ofMinutes(5);
        private boolean directHttp1;

        private Builder() {
        }

        /**
         * Whether {@link HttpSession#stream} sends plain {@code http://} requests itself, over
         * blocking sockets on the calling (virtual) thread, instead of through Jetty: about a
         * third of Jetty's CPU per request (ADR 0330), for bulk fetching. HTTP/1.1 with keep-alive,
         * redirects within plain http (a redirect to https continues on Jetty), the same timeouts,
         * limits, error kinds and cancellation. {@link HttpSession#send} (and {@code get},
         * {@code fetchAll}) take the same path and buffer the body with the same
         * {@link #maxBufferedBody} limit. Only on virtual threads (Weft's tasks): a platform
         * thread blocked in a socket read cannot be cancelled, so it keeps Jetty. HTTPS and
         * sessions that decode content ({@link #contentDecoding}) always use Jetty. Default false;
         * {@link BulkFetch} turns it on.
         *
         * @param enabled true to send plain-http streams directly
         * @return this builder
         */
        public Builder directHttp1(boolean enabled) {
            this.directHttp1 = enabled;
            return this;
        }

        /**
         * <strong>Dangerous:</strong> whether HTTPS accepts any certificate for any host name (no
         * chain check against the trust store, no host name verification), like curl's
         * {@code --insecure}. Anyone on the network path can then read and change the traffic. Only
         * for a test server with a self-signed certificate. Default false: the JDK's trust store and
         * host name verification.
         *
         * @param insecure true to turn certificate and host name checks off
         * @return this builder
         */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /**
         * Whether HTTPS connections offer HTTP/2 by ALPN (used when the server picks it; HTTP/1.1
         * otherwise). Default true. False: HTTP/1.1 only. Plain {@code http} is always HTTP/1.1.
         *
         * @param enabled false for HTTP/1.1 only
         * @return this builder
         */
        public Builder http2(boolean enabled) {
            this.http2 = enabled;
            return this;
        }

        /**
         * The longest pause a server's {@code Retry-After} on a 429 or 503 response imposes on its
         * host (the host's later requests wait until then); a longer value is cut to this. Default 5
         * minutes; zero: never pause a host.
         *
         * @param max the longest pause, zero or positive
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder maxRetryAfterPause(Duration max) {
            Objects.requireNonNull(max, "maxRetryAfterPause");
            if (max.isNegative()) {
                throw new IllegalArgumentException("maxRetryAfterPause must be >= 0 (0: never pause a host), got " + max);
            }
            this.maxRetryAfterPause = max;
            return this;
        }

        /**
         * Requests in flight on the whole session (aiohttp's {@code limit}); default 100.
         *
         * @param limit the most requests in flight, at least 1
         * @return this builder
         */
        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be >= 1, got " + limit);
            }
            this.limit = limit;
            return this;
        }

        /**
         * Requests in flight per scheme+host+port (aiohttp's {@code limit_per_host}); default 0 = no per-host limit.
         *
         * @param limitPerHost the most requests in flight per host, or 0 for no per-host limit
         * @return this builder
         */
        public Builder limitPerHost(int limitPerHost) {
            if (limitPerHost < 0) {
                throw new IllegalArgumentException("limitPerHost must be >= 0 (0: no per-host limit), got " + limitPerHost);
            }
            this.limitPerHost = limitPerHost;
            return this;
        }

        /**
         * Default timeouts for requests without their own; default {@link HttpTimeouts#DEFAULTS}.
         *
         * @param timeouts the default timeouts
         * @return this builder
         */
        public Builder timeouts(HttpTimeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /**
         * Whether 3xx redirects are followed (up to {@code max}); default true, at most 8.
         *
         * @param follow {@code true} to follow redirects
         * @param max the most redirects followed for one request
         * @return this builder
         */
        public Builder followRedirects(boolean follow, int max) {
            if (max < 0) {
                throw new IllegalArgumentException("max redirects must be >= 0, got " + max);
            }
            this.followRedirects = follow;
            this.maxRedirects = max;
            return this;
        }

        /**
         * The largest body {@link HttpSession#send} buffers, in bytes; default 32 MiB.
         *
         * @param bytes the largest buffered body
         * @return this builder
         */
        public Builder maxBufferedBody(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("maxBufferedBody must be >= 0 bytes, got " + bytes);
            }
            this.maxBufferedBody = bytes;
            return this;
        }

        /**
         * How long an idle pooled connection is kept for reuse; default 30 s.
         *
         * @param keepAlive how long an idle connection stays in the pool
         * @return this builder
         */
        public Builder keepAlive(Duration keepAlive) {
            Objects.requireNonNull(keepAlive, "keepAlive");
            if (keepAlive.isNegative() || keepAlive.isZero()) {
                throw new IllegalArgumentException("keepAlive must be positive, got " + keepAlive);
            }
            this.keepAlive = keepAlive;
            return this;
        }

        /**
         * The {@code User-Agent} header; default {@code weft/0.1}.
         *
         * @param userAgent the header's value
         * @return this builder
         */
        public Builder userAgent(String userAgent) {
            this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
            return this;
        }

        /**
         * Whether the session asks for compressed bodies ({@code Accept-Encoding: gzip}) and
         * decodes them before the caller reads them; default true. With false, no
         * {@code Accept-Encoding} is sent unless the request has one, and a body is read exactly
         * as received, {@code Content-Encoding} header included (the {@link BulkFetch} engine
         * decodes it itself, within its size bound).
         *
         * @param decode whether to decode
         * @return this builder
         */
        public Builder contentDecoding(boolean decode) {
            this.contentDecoding = decode;
            return this;
        }

        /**
         * Platform threads Jetty uses for socket I/O and parsing (callers block on their own
         * virtual threads, not on these); default max(8, 2 × cores).
         *
         * @param threads the number of I/O threads
         * @return this builder
         */
        public Builder ioThreads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("ioThreads must be >= 1, got " + threads);
            }
            this.ioThreads = threads;
            return this;
        }

        /**
         * One policy for every host (each host still gets it through {@link #policyPerHost}).
         *
         * @param policy the policy for every host
         * @return this builder
         */
        public Builder policy(RequestPolicy policy) {
            Objects.requireNonNull(policy, "policy");
            this.policies = k -> policy;
            return this;
        }

        /**
         * A function from a host key ({@code "http://example.com:80"}) to that host's policy,
         * called once per host the first time the session talks to it (the result is kept for
         * the session's life, so a breaker's state is per host). Default: {@link RequestPolicy#none()}.
         *
         * @param factory makes a host's policy from its host key
         * @return this builder
         */
        public Builder policyPerHost(Function<String, RequestPolicy> factory) {
            this.policies = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /**
         * A new session; starts the Jetty client.
         *
         * @return a new, started session; close it to stop its client
         */
        public HttpSession build() {
            return new HttpSession(this);
        }
    }
}
