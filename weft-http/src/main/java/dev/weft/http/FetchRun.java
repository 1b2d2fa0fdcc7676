package dev.weft.http;

import dev.weft.DeadlineExceededException;
import dev.weft.Limiter;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.Weft;
import dev.weft.resilience.BackPressure;
import dev.weft.resilience.CircuitBreakerOpenException;
import dev.weft.resilience.RejectedException;
import dev.weft.resilience.RetryAfter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * One run of a {@link BulkFetch}: the dispatch loop and the path of one request (its host's
 * policy, each attempt's headers and body, the classification of how it ended).
 *
 * <p>Design note. The dispatcher (the thread in {@link BulkFetch#run}) pulls a request only after
 * taking one of {@code limit} slots, so the input is a stream whatever its length, and spawns one
 * task per request into a supervisor group (a failing request cancels nothing). Each task ends by
 * {@link #finish}: the journal line, then the listener, exactly once per request. A task
 * cancelled by the run's cancellation reports {@link FetchListener#onCancelled} and no result.
 * The only state shared between tasks is the journal (one lock around one write), the per-host
 * policies (a concurrent map of thread-safe policies) and the counters (LongAdders).
 */
final class FetchRun {
    /** The logger, made on first use: the first logger of a process looks up the logging backend on the
     *  whole class path (every jar opened), which a run that never logs should not pay for at start-up. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(BulkFetch.class.getName());
    }


    private final BulkFetch config;
    private final BodySink sink;
    private final long maxBody;
    private final boolean decode;
    private final HttpTimeouts timeouts;
    private final Duration backoffMax;
    private final List<Map.Entry<String, String>> headers;
    /** Whether requests ask for compressed bodies: decoding on, and no engine header sets Accept-Encoding. */
    private final boolean askCompressed;
    private final FetchJournal journal;
    private final FetchListener listener;
    private final AtomicReference<Throwable> fatal = new AtomicReference<>();
    private final LongAdder results = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private FetchPolicies policies; // set by all(), before any task starts (the spawn publishes them)
    private HttpSession session;

    FetchRun(BulkFetch config, FetchJournal journal, FetchListener listener) {
        this.config = config;
        this.journal = journal;
        this.listener = listener;
        this.sink = config.sink();
        this.maxBody = config.maxBody();
        this.decode = config.decodeContent();
        this.timeouts = config.timeouts();
        this.backoffMax = config.backoffMax();
        this.headers = config.headers();
        this.askCompressed = decode && headers.stream().noneMatch(h -> h.getKey().equalsIgnoreCase("accept-encoding"));
    }

    /** The failure that stopped the run taking requests (the journal could not be written), or null. */
    Throwable fatal() {
        return fatal.get();
    }

    BulkFetch.Summary summary(long t0) {
        return new BulkFetch.Summary(results.sum(), ok.sum(), skipped.sum(), cancelled.sum(), journal == null ? 0 : journal.resumed(),
                Duration.ofNanos(System.nanoTime() - t0));
    }

    void all(HttpSession s, Iterator<? extends FetchRequest> requests) throws InterruptedException {
        this.session = s;
        this.policies = new FetchPolicies(config, FetchRun::retryable, listener);
        Limiter slots = Limiter.of(config.limit()); // bounds tasks, not just requests: a million inputs stay a stream
        TaskGroup.supervise(g -> {
            try {
                long seq = 0;
                while (fatal.get() == null && requests.hasNext()) {
                    FetchRequest r = Objects.requireNonNull(requests.next(), "the request iterator returned null");
                    seq++;
                    FetchRequest req = r.line() > 0 ? r : r.withLine(seq);
                    if (journal != null && journal.isDone(req)) {
                        skipped.increment();
                        inform(() -> listener.onSkipped(req));
                        continue;
                    }
                    if (req.isInvalid()) {
                        finish(new FetchResult(req.url(), req.line(), req.method(), -1, 0, 0, 0, req.invalidKind(),
                                "line " + req.line() + ": " + req.invalidMessage(), null));
                        continue;
                    }
                    Limiter.Permit p = slots.acquire();
                    try {
                        g.spawn(() -> {
                            try (p) {
                                FetchResult result = fetchOne(req);
                                if (result != null) {
                                    finish(result);
                                }
                                return null;
                            }
                        });
                    } catch (RuntimeException e) {
                        p.close();
                        throw e;
                    }
                }
            } catch (InterruptedException | RuntimeException e) {
                g.cancel();
                throw e;
            }
            return null;
        });
    }

    /** Journal, then listener: exactly once per result. */
    private void finish(FetchResult r) throws InterruptedException {
        if (journal != null) {
            try {
                journal.write(r);
            } catch (UncheckedIOException e) {
                fatal.compareAndSet(null, e.getCause());
                return;
            }
        }
        results.increment();
        if (r.ok()) {
            ok.increment();
        }
        try {
            listener.onResult(r);
        } catch (RuntimeException e) {
            Log.LOG.log(System.Logger.Level.WARNING, "FetchListener.onResult failed; the run goes on", e);
        }
    }

    /** One request under its host's policy; null if the run was cancelled (no result). */
    private FetchResult fetchOne(FetchRequest fr) throws InterruptedException {
        long t0 = System.nanoTime();
        int[] attempts = {0};
        Request req = prepare(fr.request());
        try {
            FetchPolicies.Host host = policies.host(HttpSession.hostKey(req.uri()));
            if (host.limiter() != null && !host.limiter().tryAcquire()) {
                inform(() -> listener.onRateLimitWait(host.key()));
                host.limiter().acquire();
            }
            Got got;
            try {
                got = host.policy().call(() -> {
                    attempts[0]++;
                    Duration total = req.timeouts() != null ? req.timeouts().total() : timeouts.total();
                    return total == null ? attempt(fr, req) : Timeouts.failAfter(total, () -> attempt(fr, req));
                });
            } catch (StatusFailure f) {
                got = f.got; // the retry gave up: the last answer is the result
            }
            FetchResult.Kind kind = got.status >= 500 ? FetchResult.Kind.HTTP_5XX
                    : got.status >= 400 ? FetchResult.Kind.HTTP_4XX : FetchResult.Kind.OK;
            return new FetchResult(fr.url(), fr.line(), req.method(), got.status, got.bytes, System.nanoTime() - t0,
                    attempts[0], kind, kind == FetchResult.Kind.OK ? null : "HTTP " + got.status, got.saved);
        } catch (Exception e) {
            if (Weft.isCancelled() || e instanceof InterruptedException) {
                cancelled.increment();
                inform(() -> listener.onCancelled(fr));
                if (e instanceof InterruptedException ie) {
                    throw ie;
                }
                dev.weft.Weft.restoreInterrupt(); // recorded as Weft's or foreign (ADR 0006)
                throw new InterruptedException("fetch cancelled");
            }
            int status = e instanceof BodyReader.BodyFailure b ? b.status : -1;
            long bytes = e instanceof BodyReader.BodyFailure b ? b.bytes : 0;
            return new FetchResult(fr.url(), fr.line(), req.method(), status, bytes, System.nanoTime() - t0, attempts[0],
                    kindOf(e), messageOf(e, req, timeouts), null);
        }
    }

    /** One attempt: headers, then the body read, decoded, bounded and kept. */
    private Got attempt(FetchRequest fr, Request req) throws Exception {
        try (StreamingResponse res = session.stream(req)) {
            int status = res.status();
            if (status >= 400) {
                long n;
                try {
                    n = BodyReader.copy(res.body(), null, maxBody, null, status);
                } catch (BodyReader.BodyFailure tooLarge) {
                    n = tooLarge.bytes; // an error page past maxBody: the status is the result
                }
                Got g = new Got(status, n, null);
                if (failureStatus(status)) {
                    // honour the server's Retry-After, but never wait longer than the back-off cap
                    Optional<Duration> ra = res.retryAfter();
                    Optional<Duration> capped = ra.map(d -> d.compareTo(backoffMax) > 0 ? backoffMax : d);
                    throw HttpSession.isBackPressure(status, ra) ? new PacedFailure(g, capped) : new StatusFailure(g, capped);
                }
                return g;
            }
            String coding = decode ? res.header("content-encoding").orElse(null) : null;
            boolean keep = sink.keepsBodies() && status >= 200 && status < 300;
            BodySink.Body body = null;
            try {
                if (keep) {
                    try {
                        body = sink.open(fr, status, res.headers());
                    } catch (IOException e) {
                        throw new BodyReader.BodyFailure(FetchResult.Kind.SAVE_FAILED, status, 0,
                                "could not create the body file: " + SaveDirectory.describe(e), e);
                    }
                }
                long n = BodyReader.copy(res.body(), coding, maxBody, body, status);
                String saved = null;
                if (body != null) {
                    try {
                        saved = body.commit();
                    } catch (IOException e) {
                        throw new BodyReader.BodyFailure(FetchResult.Kind.SAVE_FAILED, status, n,
                                "could not save the body: " + SaveDirectory.describe(e), e);
                    }
                }
                return new Got(status, n, saved);
            } finally {
                if (body != null) {
                    body.close();
                }
            }
        }
    }

    /** Calls a listener method, isolating its failure (logged; the run goes on). */
    static void inform(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            Log.LOG.log(System.Logger.Level.WARNING, "a FetchListener failed; the run goes on", e);
        }
    }


    /** The engine's headers, user agent and Accept-Encoding on {@code r}, unless it sets them itself. */
    private Request prepare(Request r) {
        Request out = r;
        if (r.headers().isEmpty() && r.contentType() == null && headers.isEmpty()) { // a plain URL line
            return askCompressed ? out.withHeader("Accept-Encoding", "gzip, deflate") : out;
        }
        List<String> own = new ArrayList<>(r.headers().size() + 1);
        for (Map.Entry<String, String> h : r.headers()) {
            own.add(h.getKey().toLowerCase(java.util.Locale.ROOT));
        }
        if (r.contentType() != null) {
            own.add("content-type");
        }
        for (Map.Entry<String, String> h : headers) {
            if (!own.contains(h.getKey().toLowerCase(java.util.Locale.ROOT))) {
                out = out.withHeader(h.getKey(), h.getValue());
            }
        }
        if (askCompressed && !own.contains("accept-encoding")) {
            out = out.withHeader("Accept-Encoding", "gzip, deflate");
        }
        return out;
    }

    private record Got(int status, long bytes, String saved) {
    }

    /** A failure status, thrown inside the policy so that the breaker counts it and the retry retries it. */
    private static class StatusFailure extends RuntimeException implements RetryAfter {
        final transient Got got;
        final transient Optional<Duration> retryAfter;

        StatusFailure(Got got, Optional<Duration> retryAfter) {
            super("HTTP " + got.status(), null, false, false);
            this.got = got;
            this.retryAfter = retryAfter;
        }

        @Override
        public Optional<Duration> retryAfter() {
            return retryAfter;
        }
    }

    /**
     * A 429 or 503 with {@code Retry-After}: back-pressure, retried after the delay without taking
     * from the retry budget, not counted by the breaker (ADR 0310).
     */
    private static final class PacedFailure extends StatusFailure implements BackPressure {
        PacedFailure(Got got, Optional<Duration> retryAfter) {
            super(got, retryAfter);
        }
    }

    /** 429, 500, 502, 503, 504: counted as failures by the breaker, and retried. */
    static boolean failureStatus(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /** Connection errors, connect/read/acquire timeouts and failure statuses; never a body failure, a rejection or a cancellation. */
    static boolean retryable(Throwable e) {
        if (e instanceof StatusFailure) {
            return true;
        }
        if (e instanceof RejectedException || e instanceof BodyReader.BodyFailure) {
            return false;
        }
        FetchResult.Kind k = kindOf(e);
        return k == FetchResult.Kind.CONNECTION || k == FetchResult.Kind.UNKNOWN_HOST || k == FetchResult.Kind.TIMEOUT_CONNECT
                || k == FetchResult.Kind.TIMEOUT_READ || k == FetchResult.Kind.TIMEOUT_ACQUIRE;
    }

    static FetchResult.Kind kindOf(Throwable e) {
        if (e instanceof BodyReader.BodyFailure b) {
            return b.kind;
        }
        if (e instanceof CircuitBreakerOpenException) {
            return FetchResult.Kind.BREAKER_OPEN;
        }
        if (e instanceof RejectedException) {
            return FetchResult.Kind.RATE_LIMITED;
        }
        if (e instanceof HttpTimeoutException t) {
            return switch (t.kind()) {
                case ACQUIRE -> FetchResult.Kind.TIMEOUT_ACQUIRE;
                case CONNECT -> FetchResult.Kind.TIMEOUT_CONNECT;
                case READ -> FetchResult.Kind.TIMEOUT_READ;
                case TOTAL, DEADLINE -> FetchResult.Kind.TIMEOUT_TOTAL;
            };
        }
        if (e instanceof DeadlineExceededException) {
            return FetchResult.Kind.TIMEOUT_TOTAL;
        }
        if (e instanceof SocketTimeoutException) {
            return FetchResult.Kind.TIMEOUT_READ;
        }
        if (e instanceof HttpException || e instanceof IOException) {
            return switch (HttpException.kindOf(e)) {
                case INVALID_RESPONSE -> FetchResult.Kind.INVALID_RESPONSE;
                case TLS -> FetchResult.Kind.TLS;
                case UNKNOWN_HOST -> FetchResult.Kind.UNKNOWN_HOST;
                case TOO_MANY_REDIRECTS -> FetchResult.Kind.TOO_MANY_REDIRECTS;
                case TIMEOUT_TOTAL, TIMEOUT_DEADLINE -> FetchResult.Kind.TIMEOUT_TOTAL; // a body read cut by the total timeout
                case TIMEOUT_READ -> FetchResult.Kind.TIMEOUT_READ;
                case TIMEOUT_CONNECT -> FetchResult.Kind.TIMEOUT_CONNECT;
                default -> FetchResult.Kind.CONNECTION;
            };
        }
        return FetchResult.Kind.OTHER;
    }

    static String messageOf(Throwable e, Request req, HttpTimeouts timeouts) {
        // one message whichever side saw the total timeout first: the attempt's deadline, or the
        // transport (Jetty's total timeout, the direct transport's watchdog); the race between them
        // is decided by the scheduler, and the journal should not depend on it
        if (e instanceof DeadlineExceededException || kindOf(e) == FetchResult.Kind.TIMEOUT_TOTAL) {
            Duration total = req.timeouts() != null ? req.timeouts().total() : timeouts.total();
            return "the attempt took longer than its total timeout (" + human(total) + ", body included)";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 2m}: a duration the way it is typed. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
