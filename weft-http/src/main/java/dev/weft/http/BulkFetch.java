package dev.weft.http;

import dev.weft.channel.Channel;
import dev.weft.channel.ChannelFailedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CancellationException;

/**
 * The bulk-fetch engine under {@code weft fetch}: fetches a stream of requests of any length with
 * bounded concurrency and memory, per-host policies (limit, retry with a budget, circuit breaker,
 * rate limit), timeouts, bounded and decoded bodies kept where a {@link BodySink} says, a JSON
 * Lines journal that makes a run resumable, and progress as {@link FetchListener} events.
 *
 * {@snippet :
 * BulkFetch fetch = BulkFetch.builder()
 *         .limit(64).limitPerHost(8)
 *         .saveTo(Path.of("pages"))                  // bodies as files, wget -x layout
 *         .journal(Path.of("results.jsonl")).resume(true)
 *         .build();
 * try (BufferedReader urls = Files.newBufferedReader(Path.of("urls.txt"))) {
 *     BulkFetch.Summary s = fetch.run(FetchInput.lines(urls), new FetchListener() {
 *         public void onResult(FetchResult r) {
 *             System.out.println(r.url() + " " + (r.ok() ? r.status() : r.kind().wireName()));
 *         }
 *     });
 * }
 * }
 *
 * <p>(docs/http.md has the same program, compiled and run by the tests.)
 *
 * <h2>What a run guarantees</h2>
 * <ul>
 *   <li><b>One result per request.</b> Each request the run takes gets exactly one
 *       {@link FetchResult} (to the listener and the journal), whatever the server does: a
 *       status, or a failure {@link FetchResult.Kind kind}. A bad input item gets an
 *       {@code invalid_url} / {@code invalid_request} result and the run goes on. Only a
 *       cancellation of the run leaves requests without a result (those in flight are reported
 *       to {@link FetchListener#onCancelled}, the rest are never taken).</li>
 *   <li><b>Bounded memory for any number of requests.</b> Requests are pulled from the iterator
 *       one at a time, only when one of {@code limit} slots is free: at most {@code limit}
 *       requests are in flight, and at most one more is held waiting for a slot. Each request in
 *       flight holds one 16 KiB buffer; bodies are streamed, never buffered whole.
 *       {@link #results} adds a queue of at most {@code capacity} results. A resumed run also
 *       holds 16 bytes per result read from the journal.</li>
 *   <li><b>Every request ends within its limits.</b> An attempt ends within its total timeout
 *       (body included), a body at {@code maxBody} decoded bytes, a request after
 *       {@code retries + 1} attempts and its back-offs.</li>
 * </ul>
 *
 * <h2>Per request</h2> A request is sent under its host's policy: retried (at most
 * {@link Builder#retries}, back-off with full jitter between {@link Builder#backoff} and its cap,
 * within the host's retry budget) for connection errors, connect, read and acquire timeouts, and
 * the statuses 429, 500, 502, 503, 504 (waiting the server's {@code Retry-After}, at most the
 * back-off cap); a host's circuit breaker opens when {@link Builder#breaker} says and refuses its
 * requests for a while; a request it refuses waits for the breaker's trial requests instead (at
 * most two open periods, and at most an eighth of {@code limit} requests per host at once, so a host
 * that stays down cannot take the run's slots), and ends as {@code breaker_open} only if that is
 * not enough (ADR 0310). A 429 or 503 carrying {@code Retry-After} is back-pressure, not
 * failure: the host is paused until then (at most the back-off cap), the request is retried after
 * the delay without taking from the retry budget, and the breaker does not count it. HTTPS is
 * checked against the JDK's trust store ({@link Builder#insecure} turns the checks off) and HTTP/2
 * is used where the server offers it ({@link Builder#http2}). The engine's {@link Builder#header headers} and
 * {@link Builder#userAgent user agent} are added to each request that does not set them itself; a
 * {@link Request} with its own {@link Request#withTimeouts timeouts} uses them instead of the
 * engine's (its {@code total} then bounds each of its attempts, body included).
 * A 2xx body goes to the {@link BodySink}; other bodies are read (at most {@code maxBody} raw bytes)
 * and dropped. Bodies are asked for compressed ({@code Accept-Encoding: gzip, deflate}) and
 * decoded as they arrive; the decoded size counts against {@code maxBody} (ADR 0306).
 *
 * <h2>Journal and resume</h2> With {@link Builder#journal}, each result is appended to the file as
 * one JSON line ({@link FetchResult#toJson()}) when it is known, written whole by one system call.
 * With {@link Builder#resume}, a run first reads the journal and skips each request whose
 * {@linkplain FetchRequest#line() line} and {@linkplain FetchRequest#url() URL} already have a
 * line there; with {@link Builder#retryFailed} it fetches failed requests again (input errors
 * excepted), replacing their lines. After any sequence of runs, killed or not, the journal has one
 * line per request done (ADR 0306). A body is published under its final name before its journal
 * line is written, so a line never names a file that is not complete; a body published by a run
 * that died before writing its line is replaced, under the same name, by the resumed run that
 * fetches its request again (a file that a journal line names is never replaced; ADR 0331).
 *
 * <h2>Cancellation</h2> Interrupting (cancelling) the thread in {@link #run} cancels the requests
 * in flight (their partial bodies are deleted, their connections closed) and throws
 * {@link InterruptedException} once every task has ended; the results written stay written.
 *
 * <h2>Thread safety</h2> A {@code BulkFetch} is immutable and may run any number of times, one
 * run after another or at once (runs share nothing but the configuration; two runs must not
 * share a journal file).
 */
public final class BulkFetch {
    /** The logger, made on first use: the first logger of a process looks up the logging backend on the
     *  whole class path (every jar opened), which a run that never logs should not pay for at start-up. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger(BulkFetch.class.getName());
    }


    /** No limit, for {@link Builder#maxBody}. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private final int limit;
    private final int limitPerHost;
    private final HttpTimeouts timeouts;
    private final int retries;
    private final Duration backoff;
    private final Duration backoffMax;
    private final double retryBudget;
    private final double breakerFailureRate;
    private final Duration breakerOpen;
    private final double ratePerHost;
    private final long maxBody;
    private final boolean decode;
    private final String userAgent;
    private final List<Map.Entry<String, String>> headers;
    private final BodySink sink;
    private final Path journal;
    private final boolean resume;
    private final boolean retryFailed;
    private final boolean insecure;
    private final boolean http2;
    private final boolean directHttp1;

    private BulkFetch(Builder b) {
        this.limit = b.limit;
        this.limitPerHost = b.limitPerHost;
        this.timeouts = b.timeouts;
        this.retries = b.retries;
        this.backoff = b.backoff;
        this.backoffMax = b.backoffMax;
        this.retryBudget = b.retryBudget;
        this.breakerFailureRate = b.breakerFailureRate;
        this.breakerOpen = b.breakerOpen;
        this.ratePerHost = b.ratePerHost;
        this.maxBody = b.maxBody;
        this.decode = b.decode;
        this.userAgent = b.userAgent;
        this.headers = List.copyOf(b.headers);
        this.sink = b.sink;
        this.journal = b.journal;
        this.resume = b.resume;
        this.retryFailed = b.retryFailed;
        this.insecure = b.insecure;
        this.http2 = b.http2;
        this.directHttp1 = b.directHttp1;
    }

    /**
     * A builder with the defaults (those of {@code weft fetch}).
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * What a run did.
     *
     * @param results results reported (each request taken and not skipped or cancelled)
     * @param ok results of kind {@link FetchResult.Kind#OK}
     * @param skipped requests skipped because the journal already had their result
     * @param cancelled requests cancelled in flight (no result)
     * @param resumed results found in the journal when the run started
     * @param elapsed the run's wall time
     */
    public record Summary(long results, long ok, long skipped, long cancelled, long resumed, Duration elapsed) {
        /**
         * Results that were not OK.
         *
         * @return {@code results - ok}
         */
        public long failed() {
            return results - ok;
        }
    }

    // ------------------------------------------------------------------------------------ running

    /**
     * Fetches every request of {@code requests}, pulled one at a time as slots free up, and reports
     * each result to {@code listener}; returns when every request taken has its result.
     *
     * @param requests the requests, read lazily (an endless iterator runs until cancelled)
     * @param listener results and progress events (see {@link FetchListener} for the threads)
     * @return what the run did
     * @throws IOException if the journal or the body sink cannot be opened or written (the run
     *     stops taking requests, finishes those in flight, then throws)
     * @throws InterruptedException if the calling thread was cancelled (requests in flight are
     *     cancelled and joined first)
     * @throws UncheckedIOException or another runtime exception if {@code requests} throws
     */
    public Summary run(Iterator<? extends FetchRequest> requests, FetchListener listener) throws IOException, InterruptedException {
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(listener, "listener");
        long t0 = System.nanoTime();
        FetchJournal j;
        try {
            j = journal == null ? null : FetchJournal.open(journal, resume, retryFailed);
        } catch (IOException e) {
            throw new IOException("cannot open the journal " + journal + ": " + SaveDirectory.describe(e), e);
        }
        FetchRun run = new FetchRun(this, j, listener);
        try {
            sink.start();
            if (j != null && j.resuming() && sink instanceof SaveDirectory dir) {
                dir.adoptOrphans(j.savedFiles()); // a body published before a crash took its line with it
            }
            try (HttpSession session = HttpSession.builder().limit(limit).limitPerHost(limitPerHost).timeouts(timeouts)
                    .userAgent(userAgent).contentDecoding(false)
                    .insecure(insecure).http2(http2).maxRetryAfterPause(backoffMax).directHttp1(directHttp1).build()) {
                run.all(session, requests);
            } finally {
                sink.finish();
            }
        } finally {
            if (j != null) {
                j.close();
            }
        }
        Throwable fatal = run.fatal();
        if (fatal instanceof IOException e) {
            throw e;
        }
        if (fatal != null) {
            throw new IOException(fatal.getMessage(), fatal);
        }
        return run.summary(t0);
    }

    /**
     * Starts a run of {@code requests} on a new virtual thread and returns its results as an
     * iterator, through a queue of at most {@code capacity} results: when the consumer is slower
     * than the fetch, the fetching tasks wait (at most {@code capacity} results queued plus one
     * per request in flight). The iterator ends when the run has ended; a failure of the run is
     * thrown by {@link Results#hasNext()} as {@link IllegalStateException} with the cause.
     * Closing the results before the end cancels the run and waits for it.
     *
     * @param requests the requests
     * @param capacity the queue's capacity (at least 1)
     * @param listener progress events; its {@code onResult} is called before the result is queued
     * @return the results, to close (try-with-resources)
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public Results results(Iterator<? extends FetchRequest> requests, int capacity, FetchListener listener) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        Objects.requireNonNull(listener, "listener");
        Channel<FetchResult> queue = Channel.buffered(capacity);
        Results results = new Results(queue);
        FetchListener toQueue = new FetchListener.Forwarding(listener) {
            @Override
            public void onResult(FetchResult result) throws InterruptedException {
                try {
                    listener.onResult(result);
                } catch (RuntimeException e) {
                    Log.LOG.log(System.Logger.Level.WARNING, "FetchListener.onResult failed; the run goes on", e);
                }
                try {
                    queue.send(result);
                } catch (ChannelFailedException closed) {
                    // the consumer closed the results: the run is being cancelled; the journal has the line
                }
            }
        };
        // the caller's context follows the runner, and from it every fetch task (ContextPropagation)
        results.runner = Thread.ofVirtual().name("weft-bulk-fetch").start(dev.weft.ContextPropagation.wrap(() -> {
            try {
                results.summary = run(requests, toQueue);
                queue.done();
            } catch (Throwable t) {
                queue.fail(t);
            }
        }));
        return results;
    }

    /**
     * {@link #results(Iterator, int, FetchListener)} with no listener of its own.
     *
     * @param requests the requests
     * @param capacity the queue's capacity (at least 1)
     * @return the results, to close (try-with-resources)
     * @throws IllegalArgumentException if {@code capacity} is less than 1
     */
    public Results results(Iterator<? extends FetchRequest> requests, int capacity) {
        return results(requests, capacity, new FetchListener() { });
    }

    /**
     * The results of {@link #results}: an iterator that blocks for the next result, and must be
     * closed. One consumer thread.
     */
    public static final class Results implements Iterator<FetchResult>, AutoCloseable {
        private final Channel<FetchResult> queue;
        private volatile Thread runner;
        private volatile Summary summary;
        /** The channel's own iterator (a receive per step; an interrupt is a {@link CancellationException}). */
        private final Iterator<FetchResult> items;

        private Results(Channel<FetchResult> queue) {
            this.queue = queue;
            this.items = queue.iterator();
        }

        /**
         * Waits for the next result or the end of the run.
         *
         * @return whether there is a next result
         * @throws IllegalStateException if the run failed (the cause says why)
         * @throws CancellationException if the consumer was interrupted while waiting (the flag is set again)
         */
        @Override
        public boolean hasNext() {
            try {
                return items.hasNext();
            } catch (ChannelFailedException e) {
                throw new IllegalStateException("the fetch run failed: " + e.getCause().getMessage(), e.getCause());
            }
        }

        /**
         * The next result.
         *
         * @return the result
         * @throws NoSuchElementException if the run has ended
         */
        @Override
        public FetchResult next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the fetch run has ended");
            }
            return items.next();
        }

        /**
         * Results waiting in the queue now (at most the capacity).
         *
         * @return the number queued
         */
        public int queued() {
            return queue.size();
        }

        /**
         * The run's summary once the iterator has ended, else empty.
         *
         * @return the summary
         */
        public Optional<Summary> summary() {
            return Optional.ofNullable(summary);
        }

        /** Cancels the run if it is still going and waits until it has ended. */
        @Override
        public void close() {
            queue.fail(new CancellationException("the results were closed"));
            Thread t = runner;
            if (t == null) {
                return;
            }
            t.interrupt();
            boolean interrupted = false;
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                dev.weft.Weft.restoreInterrupt(); // recorded as Weft's or foreign (ADR 0006)
            }
        }
    }

    // ------------------------------------------------------------------------------------ config

    /** {@return requests in flight at most} */
    public int limit() {
        return limit;
    }

    /** {@return requests in flight per host at most; 0: no per-host limit} */
    public int limitPerHost() {
        return limitPerHost;
    }

    /** {@return the timeouts; {@code total} bounds each attempt, body included} */
    public HttpTimeouts timeouts() {
        return timeouts;
    }

    /** {@return retries per request after the first attempt} */
    public int retries() {
        return retries;
    }

    /** {@return the back-off base} */
    public Duration backoff() {
        return backoff;
    }

    /** {@return the back-off cap, also the longest Retry-After honoured} */
    public Duration backoffMax() {
        return backoffMax;
    }

    /** {@return retries per host as a ratio of its requests in the last 10 s (on top of 1 retry/s)} */
    public double retryBudget() {
        return retryBudget;
    }

    /** {@return the failure percentage of a host's last 50 attempts that opens its breaker} */
    public double breakerFailureRate() {
        return breakerFailureRate;
    }

    /** {@return how long an open breaker refuses a host's requests} */
    public Duration breakerOpen() {
        return breakerOpen;
    }

    /** {@return requests per second per host at most; 0: no rate limit} */
    public double ratePerHost() {
        return ratePerHost;
    }

    /** {@return the largest body kept or read, in decoded bytes; {@link #UNLIMITED} for none} */
    public long maxBody() {
        return maxBody;
    }

    /** {@return whether bodies are asked for compressed and decoded} */
    boolean decodeContent() {
        return decode;
    }

    /** {@return the headers added to every request that does not set them} */
    List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** {@return where bodies go} */
    public BodySink sink() {
        return sink;
    }

    /** {@return the journal file, or null} */
    public Path journal() {
        return journal;
    }

    // ------------------------------------------------------------------------------------ builder

    /**
     * Configures a {@link BulkFetch}. Every option has a default (those of {@code weft fetch});
     * {@link #build()} copies them, so the builder may be reused.
     */
    public static final class Builder {
        private int limit = 64;
        private int limitPerHost;
        private HttpTimeouts timeouts = new HttpTimeouts(null, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));
        private int retries = 2;
        private Duration backoff = Duration.ofMillis(100);
        private Duration backoffMax = Duration.ofSeconds(2);
        private double retryBudget = 0.2;
        private double breakerFailureRate = 50;
        private Duration breakerOpen = Duration.ofSeconds(5);
        private double ratePerHost;
        private long maxBody = 1L << 30;
        private boolean decode = true;
        private String userAgent = "weft/0.1";
        private final List<Map.Entry<String, String>> headers = new ArrayList<>();
        private BodySink sink = BodySink.discard();
        private Path journal;
        private boolean resume;
        private boolean retryFailed;
        private boolean insecure;
        private boolean http2 = true;
        private boolean directHttp1 = true;

        private Builder() {
        }

        /**
         * Whether plain {@code http://} requests are sent over blocking sockets on the fetching
         * task's own virtual thread ({@link HttpSession.Builder#directHttp1}) rather than through
         * Jetty; HTTPS always goes through Jetty. Default true: about a third of Jetty's CPU per
         * request (ADR 0330). False is the way to compare, or to fall back if a server needs
         * something only Jetty does.
         *
         * @param enabled false to send everything through Jetty
         * @return this builder
         */
        public Builder directHttp1(boolean enabled) {
            this.directHttp1 = enabled;
            return this;
        }

        /**
         * <strong>Dangerous:</strong> accept any HTTPS certificate for any host name (no chain check
         * against the JDK's trust store, no host name verification), like {@code curl --insecure}:
         * anyone on the path can read and change the traffic. Only for servers with self-signed
         * certificates that you trust. Default false.
         *
         * @param insecure true to turn the certificate and host name checks off
         * @return this builder
         */
        public Builder insecure(boolean insecure) {
            this.insecure = insecure;
            return this;
        }

        /**
         * Whether HTTPS connections offer HTTP/2 (used when the server picks it by ALPN; HTTP/1.1
         * otherwise). Default true; false: HTTP/1.1 only. Plain {@code http} is always HTTP/1.1.
         *
         * @param enabled false for HTTP/1.1 only
         * @return this builder
         */
        public Builder http2(boolean enabled) {
            this.http2 = enabled;
            return this;
        }

        /**
         * Requests in flight at most (also the number of fetching tasks); default 64.
         *
         * @param limit at least 1
         * @return this builder
         * @throws IllegalArgumentException if {@code limit} is less than 1
         */
        public Builder limit(int limit) {
            if (limit < 1) {
                throw new IllegalArgumentException("limit must be at least 1, got " + limit);
            }
            this.limit = limit;
            return this;
        }

        /**
         * Requests in flight to one host ({@code scheme://host:port}) at most; default 0, no per-host limit.
         *
         * @param limitPerHost 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder limitPerHost(int limitPerHost) {
            if (limitPerHost < 0) {
                throw new IllegalArgumentException("limitPerHost must be 0 (none) or more, got " + limitPerHost);
            }
            this.limitPerHost = limitPerHost;
            return this;
        }

        /**
         * Timeouts: acquire (slot wait; default none), connect (default 5 s), read (silence while
         * receiving; default 10 s) and total, which here bounds each whole attempt, body included
         * (default 30 s; null: no total limit).
         *
         * @param timeouts the timeouts
         * @return this builder
         */
        public Builder timeouts(HttpTimeouts timeouts) {
            this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
            return this;
        }

        /**
         * Retries per request after the first attempt; default 2.
         *
         * @param retries 0 or more
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder retries(int retries) {
            if (retries < 0) {
                throw new IllegalArgumentException("retries must be 0 or more, got " + retries);
            }
            this.retries = retries;
            return this;
        }

        /**
         * Back-off: retry n waits a random time up to {@code min(max, base * 2^n)}; defaults 100 ms and 2 s.
         * {@code max} is also the longest a server's {@code Retry-After} is honoured.
         *
         * @param base positive
         * @param max at least {@code base}
         * @return this builder
         * @throws IllegalArgumentException if {@code base} is not positive or {@code max < base}
         */
        public Builder backoff(Duration base, Duration max) {
            Objects.requireNonNull(base, "base");
            Objects.requireNonNull(max, "max");
            if (base.isZero() || base.isNegative() || max.compareTo(base) < 0) {
                throw new IllegalArgumentException("back-off base must be positive and max at least base, got " + base + " and " + max);
            }
            this.backoff = base;
            this.backoffMax = max;
            return this;
        }

        /**
         * Retries per host as a ratio of its requests in the last 10 s, on top of 1 retry/s; default 0.2.
         *
         * @param ratio in [0, 1]
         * @return this builder
         * @throws IllegalArgumentException if outside [0, 1]
         */
        public Builder retryBudget(double ratio) {
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("retry budget must be in [0, 1] (0.2 = 20% of a host's requests), got " + ratio);
            }
            this.retryBudget = ratio;
            return this;
        }

        /**
         * A host's circuit breaker opens when {@code failureRatePercent} of its last 50 attempts failed
         * (at least 20 seen; failure statuses, connection errors, timeouts) and refuses its requests
         * for {@code open}; defaults 50 and 5 s.
         *
         * @param failureRatePercent in (0, 100]
         * @param open positive
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder breaker(double failureRatePercent, Duration open) {
            Objects.requireNonNull(open, "open");
            if (!(failureRatePercent > 0 && failureRatePercent <= 100)) {
                throw new IllegalArgumentException("breaker failure rate must be a percentage in (0, 100], got " + failureRatePercent);
            }
            if (open.isZero() || open.isNegative()) {
                throw new IllegalArgumentException("breaker open time must be positive, got " + open);
            }
            this.breakerFailureRate = failureRatePercent;
            this.breakerOpen = open;
            return this;
        }

        /**
         * Requests per second per host at most; default 0, no rate limit.
         *
         * @param perSecond 0 (none) or positive, at most 1,000,000
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder ratePerHost(double perSecond) {
            if (!(perSecond >= 0 && perSecond <= 1_000_000)) {
                throw new IllegalArgumentException("rate must be 0 (none) or positive requests per second per host, got " + perSecond);
            }
            this.ratePerHost = perSecond;
            return this;
        }

        /**
         * The largest body, in decoded bytes: a body growing past it is stopped and reported as
         * {@link FetchResult.Kind#BODY_TOO_LARGE}, and nothing of it is kept. Default 1 GiB (a
         * gzip bomb or an endless stream must end somewhere; ADR 0306); {@link #UNLIMITED} for none.
         *
         * @param bytes at least 1
         * @return this builder
         * @throws IllegalArgumentException if less than 1
         */
        public Builder maxBody(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxBody must be at least 1 byte (BulkFetch.UNLIMITED for none), got " + bytes);
            }
            this.maxBody = bytes;
            return this;
        }

        /**
         * Whether bodies are asked for compressed and decoded (gzip, deflate); default true. With
         * false, bodies are kept as received and no {@code Accept-Encoding} is sent.
         *
         * @param decode whether to decode
         * @return this builder
         */
        public Builder decodeContent(boolean decode) {
            this.decode = decode;
            return this;
        }

        /**
         * The {@code User-Agent}; default {@code weft/0.1}.
         *
         * @param userAgent the value
         * @return this builder
         */
        public Builder userAgent(String userAgent) {
            String problem = FetchRequest.headerProblem("User-Agent", Objects.requireNonNull(userAgent, "userAgent"));
            if (problem != null) {
                throw new IllegalArgumentException("user agent: " + problem);
            }
            this.userAgent = userAgent;
            return this;
        }

        /**
         * One more header for every request that does not set the same header itself (repeatable;
         * a name given twice is sent twice).
         *
         * @param name an HTTP token
         * @param value without line breaks
         * @return this builder
         * @throws IllegalArgumentException if the name is not a token or the value has a line break
         */
        public Builder header(String name, String value) {
            String problem = FetchRequest.headerProblem(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            if (problem != null) {
                throw new IllegalArgumentException("header '" + name + "': " + problem);
            }
            headers.add(Map.entry(name, value));
            return this;
        }

        /**
         * Where 2xx bodies go; default {@link BodySink#discard()}.
         *
         * @param sink the sink
         * @return this builder
         */
        public Builder bodySink(BodySink sink) {
            this.sink = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * Saves bodies under {@code dir}: {@code bodySink(BodySink.saveTo(dir))}.
         *
         * @param dir the directory
         * @return this builder
         */
        public Builder saveTo(Path dir) {
            return bodySink(BodySink.saveTo(dir));
        }

        /**
         * Writes every result to {@code file} as JSON Lines, line by line; default none. Without
         * {@link #resume} the file is emptied at the start of a run.
         *
         * @param file the journal, or null for none
         * @return this builder
         */
        public Builder journal(Path file) {
            this.journal = file;
            return this;
        }

        /**
         * Whether a run continues the journal: requests already in it are skipped; default false.
         *
         * @param resume whether to resume
         * @return this builder
         */
        public Builder resume(boolean resume) {
            this.resume = resume;
            return this;
        }

        /**
         * Whether a resumed run fetches again the requests whose journal line is a failure (not an
         * input error), replacing the line; default false: a failure is done too (ADR 0306).
         *
         * @param retryFailed whether to retry failures
         * @return this builder
         */
        public Builder retryFailed(boolean retryFailed) {
            this.retryFailed = retryFailed;
            return this;
        }

        /**
         * The engine.
         *
         * @return a new, immutable engine
         * @throws IllegalStateException if {@link #resume} is set without a {@link #journal}
         */
        public BulkFetch build() {
            if ((resume || retryFailed) && journal == null) {
                throw new IllegalStateException("resume and retryFailed need a journal file");
            }
            return new BulkFetch(this);
        }
    }
}
