package dev.weft.cli;

import dev.weft.DeadlineExceededException;
import dev.weft.Limiter;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.Weft;
import dev.weft.cli.fetch.DemoServer;
import dev.weft.cli.fetch.DurationConverter;
import dev.weft.cli.fetch.FetchResult;
import dev.weft.cli.fetch.FetchStats;
import dev.weft.cli.fetch.Progress;
import dev.weft.http.HttpException;
import dev.weft.http.HttpSession;
import dev.weft.http.HttpTimeoutException;
import dev.weft.http.HttpTimeouts;
import dev.weft.http.Request;
import dev.weft.http.StreamingResponse;
import dev.weft.resilience.Backoff;
import dev.weft.resilience.CircuitBreaker;
import dev.weft.resilience.CircuitBreakerOpenException;
import dev.weft.resilience.Policy;
import dev.weft.resilience.RateLimiter;
import dev.weft.resilience.RejectedException;
import dev.weft.resilience.ResilienceListener;
import dev.weft.resilience.Retry;
import dev.weft.resilience.RetryAfter;
import dev.weft.resilience.RetryBudget;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code weft fetch}: fetches every URL of a file (or stdin) with bounded concurrency, timeouts and
 * retries, shows progress, writes JSON Lines and prints a summary. With no URL source it starts an
 * embedded demo server on loopback and fetches 10,000 URLs from it: every pattern at work, no
 * network needed. Runs under {@link Weft#run}: Ctrl-C cancels the requests in flight, keeps the
 * finished results and still prints the summary.
 */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Fetches URLs concurrently (one per line; '-' reads stdin) with bounded concurrency, timeouts,",
                "retries with back-off, progress and a latency summary. With no source: fetches --count URLs",
                "from an embedded demo server (loopback) that injects latency, errors, slow bodies and resets."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the run completed (failed URLs are in the summary and the output)",
                "1:--fail-on-error and some URL failed", "2:usage error or unreadable URL file", "130:interrupted (Ctrl-C)"})
final class FetchCommand implements Callable<Integer> {
    private static final Logger HELIDON_LOG = Logger.getLogger("io.helidon");
    private static final Logger JETTY_LOG = Logger.getLogger("org.eclipse.jetty");
    private static final Logger WEFT_HTTP_LOG = Logger.getLogger("dev.weft.http");

    @Parameters(arity = "0..1", paramLabel = "URLS_FILE|-", description = "URLs, one per line ('#' comments and blank lines skipped); '-' for stdin.")
    String source;

    @Option(names = "--limit", defaultValue = "64", description = "Requests in flight at most (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--per-host", defaultValue = "0", description = "Requests in flight per host at most; 0: no per-host limit (default: ${DEFAULT-VALUE}).")
    int perHost;

    @Option(names = "--connect-timeout", converter = DurationConverter.class, defaultValue = "5s",
            description = "TCP connect timeout (default: ${DEFAULT-VALUE}).")
    Duration connectTimeout;

    @Option(names = "--read-timeout", converter = DurationConverter.class,
            description = "Longest silence while receiving (default: 10s; 1s in demo mode, whose slow endpoint stalls 2s).")
    Duration readTimeout;

    @Option(names = "--timeout", converter = DurationConverter.class, defaultValue = "30s",
            description = "Each attempt's total time, body included (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--acquire-timeout", converter = DurationConverter.class,
            description = "Longest wait for a free concurrency slot, global or per host (default: no limit of its own).")
    Duration acquireTimeout;

    @Option(names = "--retries", defaultValue = "2", description = "Retries per URL for connection errors, connect/read timeouts, 429 and 5xx (default: ${DEFAULT-VALUE}).")
    int retries;

    @Option(names = "--backoff", converter = DurationConverter.class, defaultValue = "100ms",
            description = "Back-off base: retry n waits a random time up to min(max, base * 2^n) (default: ${DEFAULT-VALUE}).")
    Duration backoff;

    @Option(names = "--backoff-max", converter = DurationConverter.class, defaultValue = "2s",
            description = "Back-off cap, also the longest a server's Retry-After is honoured (default: ${DEFAULT-VALUE}).")
    Duration backoffMax;

    @Option(names = "--retry-budget", defaultValue = "0.2",
            description = {"Retries per host as a ratio of its requests in the last 10 s, in [0, 1], on top of 1 retry/s",
                    "(default: ${DEFAULT-VALUE})."})
    double retryBudget;

    @Option(names = "--breaker-failure-rate", defaultValue = "50",
            description = {"A host's circuit breaker opens when this percentage of its last 50 attempts failed",
                    "(at least 20 attempts seen; 5xx/429, connection errors, timeouts) (default: ${DEFAULT-VALUE})."})
    double breakerFailureRate;

    @Option(names = "--breaker-open", converter = DurationConverter.class, defaultValue = "5s",
            description = "How long an open breaker rejects a host's requests before trial requests (default: ${DEFAULT-VALUE}).")
    Duration breakerOpen;

    @Option(names = "--rate", paramLabel = "PER_SECOND",
            description = "Requests per second per host at most (default: no rate limit).")
    Double rate;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write one JSON object per URL (JSON Lines); '-' for stdout.")
    String output;

    @Option(names = "--count", defaultValue = "10000", description = "Demo mode only: URLs to fetch from the embedded server (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--progress", defaultValue = "auto", description = "auto (a bar on a terminal, lines otherwise), bar, lines or none (default: ${DEFAULT-VALUE}).")
    String progressMode;

    @Option(names = "--fail-on-error", description = "Exit with 1 if any URL failed.")
    boolean failOnError;

    PrintStream out = System.out;
    PrintStream err = System.err;

    private record Line(long number, String text) {
    }

    private static final Line EOF = new Line(-1, null);

    @Override
    public Integer call() throws Exception {
        String usage = validate();
        if (usage != null) {
            err.println("weft fetch: " + usage);
            return 2;
        }
        HELIDON_LOG.setLevel(Level.SEVERE);
        JETTY_LOG.setLevel(Level.WARNING);
        WEFT_HTTP_LOG.setLevel(Level.SEVERE);
        boolean demo = source == null;
        DemoServer demoServer = null;
        Iterator<String> lines;
        long total;
        Reader reader = null;
        try {
            if (demo) {
                demoServer = DemoServer.start();
                List<String> urls = demoServer.urls(count);
                lines = urls.iterator();
                total = urls.size();
                err.println("weft fetch: demo mode: " + urls.size() + " URLs from the embedded server at " + demoServer.uri()
                        + " (latency, 5xx, 404, flaky, slow and reset endpoints; pass a file or '-' to fetch your own)");
            } else if (source.equals("-")) {
                reader = new Reader(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
                lines = reader;
                total = -1;
            } else {
                Path p = Path.of(source);
                try {
                    try (var s = Files.lines(p, StandardCharsets.UTF_8)) {
                        total = s.filter(l -> !l.isBlank() && !l.strip().startsWith("#")).count();
                    }
                    reader = new Reader(Files.newBufferedReader(p, StandardCharsets.UTF_8));
                } catch (NoSuchFileException e) {
                    err.println("weft fetch: cannot read URL file '" + source + "': no such file");
                    return 2;
                } catch (IOException | java.io.UncheckedIOException e) {
                    err.println("weft fetch: cannot read URL file '" + source + "': " + e.getMessage());
                    return 2;
                }
                lines = reader;
            }
            return run(lines, total, demo);
        } finally {
            if (reader != null) {
                reader.stop();
            }
            if (demoServer != null) {
                demoServer.close();
            }
        }
    }

    private String validate() {
        if (limit < 1) {
            return "--limit must be at least 1, got " + limit;
        }
        if (perHost < 0) {
            return "--per-host must be 0 (none) or more, got " + perHost;
        }
        if (retries < 0) {
            return "--retries must be 0 or more, got " + retries;
        }
        if (count < 1) {
            return "--count must be at least 1, got " + count;
        }
        if (!(retryBudget >= 0 && retryBudget <= 1)) {
            return "--retry-budget must be in [0, 1] (0.2 = 20% of a host's requests), got " + retryBudget;
        }
        if (!(breakerFailureRate > 0 && breakerFailureRate <= 100)) {
            return "--breaker-failure-rate must be a percentage in (0, 100], got " + breakerFailureRate;
        }
        if (rate != null && !(rate > 0 && rate <= 1_000_000)) {
            return "--rate must be positive (requests per second per host), got " + rate;
        }
        if (backoff.isZero() || backoff.isNegative() || backoffMax.compareTo(backoff) < 0) {
            return "--backoff must be positive and --backoff-max at least --backoff, got " + backoff + " and " + backoffMax;
        }
        for (var d : new Duration[] {connectTimeout, readTimeout, timeout, acquireTimeout, backoffMax, breakerOpen}) {
            if (d != null && (d.isZero() || d.isNegative())) {
                return "timeouts must be positive, got " + d;
            }
        }
        if (!List.of("auto", "bar", "lines", "none").contains(progressMode)) {
            return "--progress must be auto, bar, lines or none, got '" + progressMode + "'";
        }
        return null;
    }

    private int run(Iterator<String> lines, long total, boolean demo) throws IOException {
        Duration read = readTimeout != null ? readTimeout : demo ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
        HttpTimeouts timeouts = new HttpTimeouts(acquireTimeout, connectTimeout, read, timeout);
        FetchStats stats = new FetchStats();
        HostPolicies retry = new HostPolicies(stats);
        boolean toStdout = "-".equals(output);
        PrintStream summaryOut = toStdout ? err : out;
        AtomicLong invalid = new AtomicLong();
        boolean interrupted = false;
        JsonLines opened;
        try {
            opened = JsonLines.open(output, out);
        } catch (IOException e) {
            err.println("weft fetch: cannot write output file '" + output + "': " + e);
            return 2;
        }
        try (JsonLines json = opened;
                HttpSession session = HttpSession.builder().limit(limit).limitPerHost(perHost).timeouts(timeouts).build();
                Progress progress = Progress.create(progressMode, total, stats, err)) {
            try {
                Weft.run(() -> TaskGroup.run(outer -> {
                    Task<Void> ticker = outer.spawn("progress", () -> {
                        while (true) {
                            Weft.sleep(progress.interval());
                            progress.tick();
                        }
                    });
                    try {
                        fetchAll(lines, session, retry, stats, json, invalid);
                    } finally {
                        ticker.cancel();
                    }
                    return null;
                }));
            } catch (InterruptedException e) {
                interrupted = true;
            }
            stats.finish();
        }
        long notStarted = total < 0 ? -1 : Math.max(0, total - stats.done() - invalid.get() - stats.cancelledCount());
        String config = "limit " + limit + (perHost > 0 ? ", per host " + perHost : "") + ", connect " + FetchStats.human(connectTimeout)
                + ", read " + FetchStats.human(read) + ", timeout " + FetchStats.human(timeout) + ", retries " + retries
                + " (back-off " + FetchStats.human(backoff) + ".." + FetchStats.human(backoffMax) + ", budget " + retryBudget + ")"
                + ", breaker " + breakerFailureRate + "% / open " + FetchStats.human(breakerOpen)
                + (rate != null ? ", rate " + rate + "/s per host" : "");
        stats.printSummary(summaryOut, interrupted, notStarted, rate != null, config);
        if (output != null && !toStdout) {
            summaryOut.println("  output     " + output + " (JSON Lines)");
        }
        if (interrupted) {
            return 130;
        }
        return failOnError && stats.failed() > 0 ? 1 : 0;
    }

    private void fetchAll(Iterator<String> lines, HttpSession session, HostPolicies retry, FetchStats stats, JsonLines json,
            AtomicLong invalid) throws InterruptedException {
        Limiter tasks = Limiter.of(limit); // bounds spawned tasks, not just requests: a million lines stay a stream
        TaskGroup.supervise(g -> {
            long lineNo = 0;
            while (lines.hasNext()) {
                String text = lines.next();
                lineNo++;
                String t = text.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                URI uri;
                try {
                    uri = Request.parse(t);
                } catch (IllegalArgumentException e) {
                    err.println("weft fetch: line " + lineNo + ": " + e.getMessage() + " (skipped)");
                    FetchResult r = new FetchResult(t, lineNo, -1, 0, 0, 0, "invalid_url", e.getMessage());
                    invalid.incrementAndGet();
                    stats.record(r);
                    json.write(r);
                    continue;
                }
                Limiter.Permit p = tasks.acquire();
                long n = lineNo;
                try {
                    g.spawn(() -> {
                        try (p) {
                            FetchResult r = fetchOne(session, retry, uri, t, n, stats);
                            if (r != null) {
                                stats.record(r);
                                json.write(r);
                            }
                            return null;
                        }
                    });
                } catch (RuntimeException e) {
                    p.close();
                    throw e;
                }
            }
            return null;
        });
    }

    private record Got(int status, long bytes) {
    }

    /** A status counted as a failure (429, 5xx but 501): thrown inside the policy so that the breaker counts it and the retry retries it. */
    private static final class StatusFailure extends RuntimeException implements RetryAfter {
        final Got got;
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

    static boolean failureStatus(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /**
     * One weft-resilience {@link Policy} per host key ({@code scheme://host:port}): a retry (back-off,
     * the host's own {@link RetryBudget}) and a circuit breaker, plus the host's optional
     * {@link RateLimiter}, taken before the policy so that waits can be counted. Events go to the
     * run's {@link FetchStats}.
     */
    final class HostPolicies {
        private final Map<String, Host> hosts = new ConcurrentHashMap<>();
        private final ResilienceListener listener;

        private record Host(Policy policy, RateLimiter limiter) {
        }

        HostPolicies(FetchStats stats) {
            this.listener = new ResilienceListener() {
                @Override
                public void onRetry(String name, int attempt, Duration delay, Throwable failure) {
                    stats.retry();
                }

                @Override
                public void onGiveUp(String name, int attempts, String reason, Throwable failure) {
                    if (reason.contains("budget")) {
                        stats.budgetRefused();
                    }
                }

                @Override
                public void onRejected(String name, RejectedException rejection) {
                    if (rejection instanceof CircuitBreakerOpenException) {
                        stats.breakerRejection();
                    }
                }

                @Override
                public void onStateChange(String name, CircuitBreaker.State from, CircuitBreaker.State to) {
                    if (to == CircuitBreaker.State.OPEN) {
                        stats.breakerOpened();
                    }
                }
            };
        }

        Host host(URI uri) {
            return hosts.computeIfAbsent(hostKey(uri), this::create);
        }

        private Host create(String key) {
            Retry retry = Retry.builder().name(key)
                    .maxAttempts(retries + 1)
                    .backoff(Backoff.exponential(backoff, backoffMax))
                    .budget(RetryBudget.of(retryBudget, 1, Duration.ofSeconds(10)))
                    .retryIf(FetchCommand::retryable)
                    .build();
            CircuitBreaker breaker = CircuitBreaker.builder().name(key)
                    .countWindow(50).minimumCalls(20)
                    .failureRateThreshold(breakerFailureRate)
                    .waitInOpen(breakerOpen)
                    .trialCalls(3)
                    .build();
            RateLimiter limiter = null;
            if (rate != null) {
                int permits = (int) Math.max(1, Math.round(rate));
                Duration period = Duration.ofNanos(Math.max(1, Math.round(permits * 1e9 / rate)));
                limiter = RateLimiter.builder().name(key).rate(permits, period).build();
            }
            return new Host(Policy.builder().name(key).retry(retry).circuitBreaker(breaker).listener(listener).build(), limiter);
        }
    }

    static String hostKey(URI uri) {
        String scheme = uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        int port = uri.getPort() >= 0 ? uri.getPort() : scheme.equals("https") ? 443 : 80;
        return scheme + "://" + uri.getHost().toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }

    /** One URL under its host's policy; null if cancelled (Ctrl-C): unfinished results are not written. */
    private FetchResult fetchOne(HttpSession session, HostPolicies policies, URI uri, String text, long line, FetchStats stats)
            throws InterruptedException {
        long t0 = System.nanoTime();
        int[] attempts = {0};
        Request request = Request.get(uri);
        try {
            HostPolicies.Host host = policies.host(uri);
            if (host.limiter() != null && !host.limiter().tryAcquire()) {
                stats.rateLimitWait();
                host.limiter().acquire();
            }
            Got got;
            try {
                got = host.policy().call(() -> {
                    attempts[0]++;
                    return Timeouts.failAfter(timeout, () -> {
                        try (StreamingResponse res = session.stream(request)) {
                            long n = res.body().transferTo(OutputStream.nullOutputStream());
                            Got g = new Got(res.status(), n);
                            if (failureStatus(g.status())) {
                                // honour the server's Retry-After, but never wait longer than --backoff-max
                                throw new StatusFailure(g, res.retryAfter().map(d -> d.compareTo(backoffMax) > 0 ? backoffMax : d));
                            }
                            return g;
                        }
                    });
                });
            } catch (StatusFailure f) {
                got = f.got; // the retry gave up: the last answer is the result
            }
            long nanos = System.nanoTime() - t0;
            String kind = got.status() >= 500 ? "http_5xx" : got.status() >= 400 ? "http_4xx" : null;
            return new FetchResult(text, line, got.status(), got.bytes(), nanos, attempts[0], kind, kind == null ? null : "HTTP " + got.status());
        } catch (Exception e) {
            if (Weft.isCancelled()) {
                stats.cancelled();
                if (e instanceof InterruptedException ie) {
                    throw ie;
                }
                return null;
            }
            return new FetchResult(text, line, -1, 0, System.nanoTime() - t0, attempts[0], kindOf(e), messageOf(e));
        }
    }

    /** Connection errors, connect/read timeouts, acquire timeouts (never sent) and failure statuses; never a rejection or a cancellation. */
    static boolean retryable(Throwable e) {
        if (e instanceof StatusFailure) {
            return true;
        }
        if (e instanceof RejectedException) {
            return false;
        }
        String k = kindOf(e);
        return k.equals("connection") || k.equals("timeout_connect") || k.equals("timeout_read") || k.equals("timeout_acquire");
    }

    static String kindOf(Throwable e) {
        if (e instanceof CircuitBreakerOpenException) {
            return "breaker_open";
        }
        if (e instanceof RejectedException) {
            return "rate_limited";
        }
        if (e instanceof HttpTimeoutException t) {
            return switch (t.kind()) {
                case ACQUIRE -> "timeout_acquire";
                case CONNECT -> "timeout_connect";
                case READ -> "timeout_read";
                case TOTAL, DEADLINE -> "timeout_total";
            };
        }
        if (e instanceof DeadlineExceededException) {
            return "timeout_total";
        }
        if (e instanceof SocketTimeoutException) {
            return "timeout_read";
        }
        if (e instanceof HttpException || e instanceof IOException) {
            return "connection";
        }
        return "other";
    }

    static String messageOf(Throwable e) {
        if (e instanceof DeadlineExceededException) {
            return "timed out (--timeout)";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }

    /** Reads lines on a platform thread (reading stdin cannot be interrupted) into a bounded queue. */
    private static final class Reader implements Iterator<String> {
        private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(1024);
        private final Thread thread;
        private Line next;
        private volatile IOException failure;

        Reader(BufferedReader in) {
            thread = Thread.ofPlatform().daemon().name("weft-fetch-reader").start(() -> {
                long n = 0;
                try (in) {
                    for (String l; (l = in.readLine()) != null; ) {
                        queue.put(new Line(++n, l));
                    }
                } catch (IOException e) {
                    failure = e;
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    queue.put(EOF);
                } catch (InterruptedException e) {
                    // stopping
                }
            });
        }

        @Override
        public boolean hasNext() {
            if (next == null) {
                try {
                    next = queue.take(); // interruptible: Ctrl-C reaches the producer here
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.util.concurrent.CancellationException("fetch cancelled while reading input");
                }
                if (next == EOF && failure != null) {
                    throw new java.io.UncheckedIOException("reading the URL list failed", failure);
                }
            }
            return next != EOF;
        }

        @Override
        public String next() {
            if (!hasNext()) {
                throw new java.util.NoSuchElementException();
            }
            String s = next.text();
            next = null;
            return s;
        }

        void stop() {
            thread.interrupt();
        }
    }

    /** JSON Lines output, one writer lock, flushed at close (also after Ctrl-C). */
    static final class JsonLines implements AutoCloseable {
        private final Writer w;
        private final boolean closeUnderlying;
        private final ReentrantLock lock = new ReentrantLock();

        private JsonLines(Writer w, boolean closeUnderlying) {
            this.w = w;
            this.closeUnderlying = closeUnderlying;
        }

        static JsonLines open(String output, PrintStream stdout) throws IOException {
            if (output == null) {
                return new JsonLines(null, false);
            }
            if (output.equals("-")) {
                return new JsonLines(new BufferedWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8)), false);
            }
            return new JsonLines(Files.newBufferedWriter(Path.of(output), StandardCharsets.UTF_8), true);
        }

        void write(FetchResult r) {
            if (w == null) {
                return;
            }
            StringBuilder b = new StringBuilder(160);
            b.append("{\"url\":");
            str(b, r.url());
            b.append(",\"line\":").append(r.line());
            b.append(",\"status\":").append(r.status() < 0 ? "null" : Integer.toString(r.status()));
            b.append(",\"bytes\":").append(r.bytes());
            b.append(",\"time_ms\":").append(String.format(java.util.Locale.ROOT, "%.3f", r.nanos() / 1e6));
            b.append(",\"attempts\":").append(r.attempts());
            b.append(",\"error\":");
            str(b, r.errorKind());
            b.append(",\"message\":");
            str(b, r.error());
            b.append("}\n");
            lock.lock();
            try {
                w.write(b.toString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("writing the output failed", e);
            } finally {
                lock.unlock();
            }
        }

        private static void str(StringBuilder b, String s) {
            if (s == null) {
                b.append("null");
                return;
            }
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            b.append(String.format("\\u%04x", (int) c));
                        } else {
                            b.append(c);
                        }
                    }
                }
            }
            b.append('"');
        }

        @Override
        public void close() throws IOException {
            if (w == null) {
                return;
            }
            lock.lock();
            try {
                if (closeUnderlying) {
                    w.close();
                } else {
                    w.flush();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
