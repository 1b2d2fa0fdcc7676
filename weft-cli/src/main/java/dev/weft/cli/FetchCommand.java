package dev.weft.cli;

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.TaskGroupException;
import dev.weft.Weft;
import dev.weft.cli.fetch.DemoServer;
import dev.weft.cli.fetch.Distributed;
import dev.weft.cli.fetch.DurationConverter;
import dev.weft.cli.fetch.FetchStats;
import dev.weft.cli.fetch.Progress;
import dev.weft.cli.fetch.RequestLines;
import dev.weft.cli.fetch.SizeConverter;
import dev.weft.http.BulkFetch;
import dev.weft.http.FetchInput;
import dev.weft.http.FetchRequest;
import dev.weft.http.FetchResult;
import dev.weft.http.HttpTimeouts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code weft fetch}: the command-line shell over {@link BulkFetch}. It parses the options, builds
 * the engine, feeds it the URL lines (a file, stdin, or the embedded demo server's 10,000 URLs),
 * shows progress from the engine's events and prints a summary. Runs under {@link Weft#run}:
 * Ctrl-C cancels the requests in flight, keeps the finished results and still prints the summary.
 */
final class FetchCommand extends Cli.Command {
    /** Kept while the run lasts: JUL holds loggers weakly, and a collected logger forgets its level. */
    private static volatile List<Logger> quieted;

    String source;
    int limit;
    int perHost;
    Duration connectTimeout;
    Duration readTimeout;
    Duration timeout;
    Duration acquireTimeout;
    int retries;
    Duration backoff;
    Duration backoffMax;
    double retryBudget;
    double breakerFailureRate;
    Duration breakerOpen;
    Double rate;
    List<String> headers = new ArrayList<>();
    String userAgent;
    boolean insecure;
    boolean http1;
    boolean jetty;
    Path save;
    long maxBody;
    String output;
    Boolean resume;
    boolean retryFailed;
    int count;
    String progressMode;
    boolean failOnError;
    String enqueue;
    String worker;
    String collect;
    Duration visibilityTimeout;

    @Override
    String name() {
        return "fetch";
    }

    @Override
    List<String> description() {
        return List.of("Fetches URLs concurrently with bounded concurrency, timeouts, retries with back-off, per-host circuit breakers, progress and a latency summary.",
                "Each input line is a URL or a JSON request {\"url\": ..., \"method\": ..., \"headers\": {...}, \"body\": ...}; '#' comments and blank lines are skipped. -o writes one JSON line per URL and is also the journal: run again with the same -o and the URLs already done are skipped. --save DIR keeps the bodies (wget -x layout).",
                "With no source: fetches --count URLs from an embedded demo server (loopback) that injects latency, errors, slow bodies and resets.");
    }

    @Override
    void declare(Cli.Spec spec) {
        spec.positional("URLS_FILE|-", "URL lines; '-' for stdin; none: demo mode.", 0, 1, v -> source = v.isEmpty() ? null : v.getFirst());
        spec.option("--limit", "N", "Requests in flight at most (default: ${DEFAULT-VALUE}).", "64", Cli.INT, v -> limit = v);
        spec.option("--per-host", "N", "Requests in flight per host at most; 0: no per-host limit (default: ${DEFAULT-VALUE}).", "0", Cli.INT, v -> perHost = v);
        spec.option("--connect-timeout", "DURATION", "TCP connect timeout (default: ${DEFAULT-VALUE}).", "5s", DurationConverter::convert, v -> connectTimeout = v);
        spec.option("--read-timeout", "DURATION", "Longest silence while receiving (default: 10s; 1s in demo mode, whose slow endpoint stalls 2s).", null, DurationConverter::convert, v -> readTimeout = v);
        spec.option("--timeout", "DURATION", "Each attempt's total time, body included (default: ${DEFAULT-VALUE}).", "30s", DurationConverter::convert, v -> timeout = v);
        spec.option("--acquire-timeout", "DURATION", "Longest wait for a free concurrency slot, global or per host (default: no limit of its own).", null, DurationConverter::convert, v -> acquireTimeout = v);
        spec.option("--retries", "N", "Retries per URL for connection errors, connect/read timeouts, 429 and 5xx (default: ${DEFAULT-VALUE}).", "2", Cli.INT, v -> retries = v);
        spec.option("--backoff", "DURATION", "Back-off base: retry n waits a random time up to min(max, base * 2^n) (default: ${DEFAULT-VALUE}).", "100ms", DurationConverter::convert, v -> backoff = v);
        spec.option("--backoff-max", "DURATION", "Back-off cap, also the longest a server's Retry-After is honoured (default: ${DEFAULT-VALUE}).", "2s", DurationConverter::convert, v -> backoffMax = v);
        spec.option("--retry-budget", "NUMBER", "Retries per host as a ratio of its requests in the last 10 s, in [0, 1], on top of 1 retry/s (default: ${DEFAULT-VALUE}).", "0.2", Cli.DOUBLE, v -> retryBudget = v);
        spec.option("--breaker-failure-rate", "NUMBER", "A host's circuit breaker opens when this percentage of its last 50 attempts failed (at least 20 attempts seen; 5xx/429, connection errors, timeouts) (default: ${DEFAULT-VALUE}).", "50", Cli.DOUBLE, v -> breakerFailureRate = v);
        spec.option("--breaker-open", "DURATION", "How long an open breaker rejects a host's requests before trial requests (default: ${DEFAULT-VALUE}).", "5s", DurationConverter::convert, v -> breakerOpen = v);
        spec.option("--rate", "PER_SECOND", "Requests per second per host at most (default: no rate limit).", null, Cli.DOUBLE, v -> rate = v);
        spec.repeatable("-H, --header", "'NAME: VALUE'", "A header for every request (repeatable); a JSON request line's own header of the same name wins.", Cli.STRING, headers::add);
        spec.option("--user-agent", "TEXT", "The User-Agent header (default: ${DEFAULT-VALUE}).", "weft/0.1", Cli.STRING, v -> userAgent = v);
        spec.flag("-k, --insecure", "DANGEROUS: accept any HTTPS certificate for any host name (no trust store check, no host name check), like curl -k. Only for servers with self-signed certificates you trust.", () -> insecure = true);
        spec.flag("--http1", "HTTP/1.1 only (default: HTTP/2 over HTTPS when the server offers it, by ALPN; HTTP/1.1 otherwise).", () -> http1 = true);
        spec.flag("--jetty", "Send plain http:// through the Jetty client as well (by default weft sends plain HTTP/1.1 itself, on blocking sockets: a third of the CPU per URL; ADR 0330). HTTPS always uses Jetty.", () -> jetty = true);
        spec.option("--save", "DIR", "Keep each 2xx body in a file under DIR: DIR/host[+port]/path, index.html for a path ending in '/', the query after '@'; written to a temporary name and renamed when complete. Two URLs mapping to one name: the later gets NAME~HASH (docs/decisions/0305). Default: bodies not kept.", null, Cli.PATH, v -> save = v);
        spec.option("--max-body", "SIZE", "Stop a body larger than SIZE (decoded: gzip/deflate bodies count decoded) and report it as body_too_large; nothing of it is kept. 500k, 10M, 1G or none (default: ${DEFAULT-VALUE}).", "1G", SizeConverter::convert, v -> maxBody = v);
        spec.option("-o, --output", "FILE", "Write one JSON object per URL (JSON Lines), each line as soon as the URL is done; '-' for stdout. FILE is also the journal: if it exists, the URLs it holds are skipped (resume).", null, Cli.STRING, v -> output = v);
        spec.negatable("--resume", "Continue the -o FILE (skip the URLs it has a result for): the default when FILE exists; --no-resume empties it and fetches everything.", v -> resume = v);
        spec.flag("--retry-failed", "When resuming, fetch again the URLs whose result was a failure (not invalid lines), replacing their lines.", () -> retryFailed = true);
        spec.option("--count", "N", "Demo mode only: URLs to fetch from the embedded server (default: ${DEFAULT-VALUE}).", "10000", Cli.INT, v -> count = v);
        spec.option("--progress", "TEXT", "auto (a bar on a terminal, lines otherwise), bar, lines or none (default: ${DEFAULT-VALUE}).", "auto", Cli.STRING, v -> progressMode = v);
        spec.flag("--fail-on-error", "Exit with 1 if any URL failed.", () -> failOnError = true);
        spec.option("--enqueue", "redis://HOST:PORT/NAME", "Distributed mode: put the request lines of URLS_FILE on the Redis queue NAME and exit (docs/redis.md).", null, Cli.STRING, v -> enqueue = v);
        spec.option("--worker", "redis://HOST:PORT/NAME", "Distributed mode: fetch requests from the Redis queue NAME (same options as a local fetch; --per-host and --rate shared by all workers) until it is done; results go to NAME.results.", null, Cli.STRING, v -> worker = v);
        spec.option("--collect", "redis://HOST:PORT/NAME", "Distributed mode: write the results of the queue NAME to -o FILE, one line per input line, until every request is done.", null, Cli.STRING, v -> collect = v);
        spec.option("--visibility-timeout", "DURATION", "Distributed mode: how long a dead worker's requests wait before live workers take them (default: ${DEFAULT-VALUE}).", "30s", DurationConverter::convert, v -> visibilityTimeout = v);
    }

    @Override
    List<String> exitCodes() {
        return List.of("0:the run completed (failed URLs are in the summary and the output)", "1:--fail-on-error and some URL failed", "2:usage error, unreadable URL file or unwritable output", "3:distributed mode: Redis unreachable", "130:interrupted (Ctrl-C)");
    }

    /** The demo's embedded Helidon servers and a worker's Redis and Jetty clients: their chatter off the terminal. */
    private static void quietLibraryLogs() {
        List<Logger> l = List.of(Logger.getLogger("io.helidon"), Logger.getLogger("org.eclipse.jetty"),
                Logger.getLogger("dev.weft.http"));
        l.get(0).setLevel(Level.SEVERE);
        l.get(1).setLevel(Level.WARNING);
        l.get(2).setLevel(Level.SEVERE);
        quieted = l;
    }

    @Override
    int call() throws Exception {
        if (enqueue != null || worker != null || collect != null) {
            return distributed();
        }
        BulkFetch.Builder engine;
        try {
            engine = configure();
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("weft fetch: " + e.getMessage());
            return 2;
        }
        boolean demo = source == null;
        if (demo) {
            quietLibraryLogs();
        }
        // Otherwise nothing is configured here: the first logger of a process starts the logging
        // system, which opens every jar of the class path to look for its backend (about 17 ms of each
        // start). The libraries stay quiet by themselves: weft-http raises Jetty's loggers to WARNING
        // when it first makes a Jetty client (https), and its own loggers are made on first use.

        DemoServer demoServer = null;
        StdinReader stdin = null;
        BufferedReader file = null;
        try {
            Iterator<FetchRequest> requests;
            long total;
            if (demo) {
                demoServer = DemoServer.start();
                List<String> urls = demoServer.urls(count);
                requests = FetchInput.lines(urls.iterator());
                total = urls.size();
                err.println("weft fetch: demo mode: " + urls.size() + " URLs from the embedded server at " + demoServer.uri()
                        + " (latency, 5xx, 404, flaky, slow and reset endpoints; pass a file or '-' to fetch your own)");
            } else if (source.equals("-")) {
                stdin = new StdinReader(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
                requests = FetchInput.lines(stdin);
                total = -1;
            } else {
                Path p = Path.of(source);
                try {
                    total = RequestLines.count(p);
                    file = Files.newBufferedReader(p, StandardCharsets.UTF_8);
                } catch (NoSuchFileException e) {
                    err.println("weft fetch: cannot read URL file '" + source + "': no such file");
                    return 2;
                } catch (IOException | java.io.UncheckedIOException e) {
                    err.println("weft fetch: cannot read URL file '" + source + "': " + e.getMessage());
                    return 2;
                }
                requests = FetchInput.lines(file);
            }
            Duration read = readTimeout != null ? readTimeout : demo ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
            engine.timeouts(new HttpTimeouts(acquireTimeout, connectTimeout, read, timeout));
            return run(engine.build(), requests, total, read);
        } finally {
            if (file != null) {
                file.close();
            }
            if (stdin != null) {
                stdin.stop();
            }
            if (demoServer != null) {
                demoServer.close();
            }
        }
    }

    /** --enqueue, --worker or --collect. */
    private int distributed() throws Exception {
        int modes = (enqueue != null ? 1 : 0) + (worker != null ? 1 : 0) + (collect != null ? 1 : 0);
        Distributed d;
        try {
            if (modes > 1) {
                throw new IllegalArgumentException("--enqueue, --worker and --collect are separate runs: give one of them");
            }
            d = new Distributed(enqueue != null ? enqueue : worker != null ? worker : collect);
            if (enqueue != null && (source == null || source.equals("-"))) {
                throw new IllegalArgumentException("--enqueue needs a URLS_FILE to read");
            }
            if (worker != null && (source != null || output != null)) {
                throw new IllegalArgumentException("--worker reads its requests from the queue and sends its results to the"
                        + " results queue: no URLS_FILE and no -o (collect them with --collect " + worker + " -o FILE)");
            }
            if (collect != null && (output == null || output.equals("-") || source != null)) {
                throw new IllegalArgumentException("--collect needs -o FILE (and no URLS_FILE)");
            }
        } catch (IllegalArgumentException e) {
            err.println("weft fetch: " + e.getMessage());
            return 2;
        }
        try {
            if (enqueue != null) {
                Path p = Path.of(source);
                if (!Files.isReadable(p)) {
                    err.println("weft fetch: cannot read URL file '" + source + "': no such file");
                    return 2;
                }
                long n = Weft.run(() -> d.enqueue(p));
                err.println("weft fetch: enqueued " + n + " request(s) on " + enqueue + "; fetch them with: weft fetch --worker "
                        + enqueue + "; collect with: weft fetch --collect " + enqueue + " -o FILE");
                return 0;
            }
            if (collect != null) {
                Distributed.Collected c = Weft.run(() -> d.collect(Path.of(output), n -> { }));
                err.println("weft fetch: collected " + c.written() + " result(s) into " + output + " ("
                        + c.duplicates() + " repeated result(s) of at-least-once delivery dropped"
                        + (c.alreadyInFile() > 0 ? ", " + c.alreadyInFile() + " already in the file" : "") + ")");
                return 0;
            }
            BulkFetch.Builder engine;
            try {
                engine = configure();
                engine.limitPerHost(0).ratePerHost(0); // shared across workers instead (RedisLimiter, RedisRateLimiter)
            } catch (IllegalArgumentException | IllegalStateException e) {
                err.println("weft fetch: " + e.getMessage());
                return 2;
            }
            quietLibraryLogs();
            Duration read = readTimeout != null ? readTimeout : Duration.ofSeconds(10);
            engine.timeouts(new HttpTimeouts(acquireTimeout, connectTimeout, read, timeout));
            return run(engine.build(), (e, listener) -> d.work(e, perHost, rate, visibilityTimeout, listener), -1, read);
        } catch (InterruptedException e) {
            return 130;
        } catch (dev.weft.redis.RedisUnavailableException e) {
            err.println("weft fetch: " + e.getMessage());
            return 3;
        }
    }

    /** Runs the engine with a listener. */
    @FunctionalInterface
    private interface Runner {
        BulkFetch.Summary run(BulkFetch engine, dev.weft.http.FetchListener listener) throws Exception;
    }

    private int run(BulkFetch engine, Iterator<FetchRequest> requests, long total, Duration read) throws Exception {
        return run(engine, (e, listener) -> e.run(requests, listener), total, read);
    }

    /** The engine from the options; IllegalArgumentException / IllegalStateException with the message for a usage error. */
    private BulkFetch.Builder configure() {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        if (!List.of("auto", "bar", "lines", "none").contains(progressMode)) {
            throw new IllegalArgumentException("--progress must be auto, bar, lines or none, got '" + progressMode + "'");
        }
        for (var d : new Duration[] {connectTimeout, readTimeout, timeout, acquireTimeout}) {
            if (d != null && (d.isZero() || d.isNegative())) {
                throw new IllegalArgumentException("timeouts must be positive, got " + d);
            }
        }
        boolean journalFile = output != null && !output.equals("-");
        if ((Boolean.TRUE.equals(resume) || retryFailed) && !journalFile) {
            throw new IllegalArgumentException((retryFailed ? "--retry-failed" : "--resume") + " needs -o FILE (the journal to continue)");
        }
        BulkFetch.Builder b = BulkFetch.builder();
        option("--limit", () -> b.limit(limit));
        option("--per-host", () -> b.limitPerHost(perHost));
        option("--retries", () -> b.retries(retries));
        option("--backoff", () -> b.backoff(backoff, backoffMax));
        option("--retry-budget", () -> b.retryBudget(retryBudget));
        option(breakerFailureRate > 0 && breakerFailureRate <= 100 ? "--breaker-open" : "--breaker-failure-rate",
                () -> b.breaker(breakerFailureRate, breakerOpen));
        option("--rate", () -> b.ratePerHost(rate == null ? 0 : rate));
        option("--max-body", () -> b.maxBody(maxBody));
        option("--user-agent", () -> b.userAgent(userAgent));
        b.insecure(insecure).http2(!http1).directHttp1(!jetty);
        for (String h : headers) {
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("-H must be 'Name: value', got '" + h + "'");
            }
            try {
                b.header(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("-H " + e.getMessage());
            }
        }
        if (save != null) {
            b.saveTo(save);
        }
        if (journalFile) {
            Path j = Path.of(output);
            b.journal(j).resume(resume != null ? resume : Files.isRegularFile(j)).retryFailed(retryFailed);
        }
        return b;
    }

    /** Applies one option to the builder; its message, if refused, names the option ("--limit must be ..."). */
    private static void option(String name, Runnable apply) {
        try {
            apply.run();
        } catch (IllegalArgumentException e) {
            String m = e.getMessage();
            int must = m.indexOf(" must");
            throw new IllegalArgumentException(must < 0 ? name + ": " + m : name + m.substring(must), e);
        }
    }

    private int run(BulkFetch engine, Runner runner, long total, Duration read) throws Exception {
        boolean toStdout = "-".equals(output);
        PrintStream summaryOut = toStdout ? err : out;
        FetchStats stats = new FetchStats(r -> {
            if (r.kind().isInvalidInput()) {
                err.println("weft fetch: " + r.message() + " (skipped)");
            }
            if (toStdout) {
                String line = r.toJson();
                synchronized (out) {
                    out.println(line);
                }
            }
        });
        boolean interrupted = false;
        BulkFetch.Summary[] summary = new BulkFetch.Summary[1];
        try (Progress progress = Progress.create(progressMode, total, stats, err)) {
            try {
                Weft.run(() -> TaskGroup.run(outer -> {
                    Task<Void> ticker = outer.spawn("progress", () -> {
                        while (true) {
                            Weft.sleep(progress.interval());
                            progress.tick();
                        }
                    });
                    try {
                        summary[0] = runner.run(engine, stats);
                    } finally {
                        ticker.cancel();
                    }
                    return null;
                }));
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (TaskGroupException e) {
                if (!(e.getCause() instanceof IOException io)) {
                    throw e;
                }
                String m = String.valueOf(io.getMessage());
                String journal = "cannot open the journal " + engine.journal() + ": ";
                err.println("weft fetch: " + (m.startsWith(journal) ? "cannot write output file '" + output + "': " + m.substring(journal.length()) : m));
                return 2;
            }
            stats.finish();
        }
        long notStarted = total < 0 ? -1 : Math.max(0, total - stats.done() - stats.skipped() - stats.cancelledCount()
                - stats.invalid());
        String config = "limit " + limit + (perHost > 0 ? ", per host " + perHost : "") + ", connect " + FetchStats.human(connectTimeout)
                + ", read " + FetchStats.human(read) + ", timeout " + FetchStats.human(timeout) + ", retries " + retries
                + " (back-off " + FetchStats.human(backoff) + ".." + FetchStats.human(backoffMax) + ", budget " + retryBudget + ")"
                + ", breaker " + breakerFailureRate + "% / open " + FetchStats.human(breakerOpen)
                + (rate != null ? ", rate " + rate + "/s per host" : "")
                + (maxBody != BulkFetch.UNLIMITED ? ", max body " + maxBody + " B" : "");
        stats.printSummary(summaryOut, interrupted, notStarted, rate != null, config);
        if (save != null) {
            summaryOut.println("  saved      under " + save + " (2xx bodies; the 'saved' field of each line says where)");
        }
        if (output != null && !toStdout) {
            summaryOut.println("  output     " + output + " (JSON Lines; run again with the same -o to resume)");
        }
        if (interrupted) {
            return 130;
        }
        return failOnError && stats.failed() > 0 ? 1 : 0;
    }

    /** Reads stdin on a platform thread (reading stdin cannot be interrupted) into a bounded queue. */
    private static final class StdinReader implements Iterator<String> {
        private record Line(String text) {
        }

        private static final Line EOF = new Line(null);
        private final BlockingQueue<Line> queue = new ArrayBlockingQueue<>(1024);
        private final Thread thread;
        private Line next;
        private volatile IOException failure;

        StdinReader(BufferedReader in) {
            thread = Thread.ofPlatform().daemon().name("weft-fetch-stdin").start(() -> {
                try (in) {
                    for (String l; (l = in.readLine()) != null; ) {
                        queue.put(new Line(l));
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
                    next = queue.take(); // interruptible: Ctrl-C reaches the engine's input loop here
                } catch (InterruptedException e) {
                    dev.weft.Weft.restoreInterrupt(); // recorded as Weft's or foreign (ADR 0006)
                    throw new CancellationException("fetch cancelled while reading input");
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
}
