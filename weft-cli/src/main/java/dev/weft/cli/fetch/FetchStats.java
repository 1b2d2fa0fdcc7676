package dev.weft.cli.fetch;

import dev.weft.http.FetchListener;
import dev.weft.http.FetchRequest;
import dev.weft.http.FetchResult;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Counters and the latency histogram of one {@code weft fetch} run, fed by the engine's events
 * (it is the run's {@link FetchListener}). Thread-safe.
 */
public final class FetchStats implements FetchListener {
    private final long startNanos = System.nanoTime();
    private final Consumer<FetchResult> also;
    private final LongAdder skipped = new LongAdder();
    private final LongAdder done = new LongAdder();
    private final LongAdder ok = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final LongAdder retried = new LongAdder();
    private final LongAdder cancelled = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder budgetRefused = new LongAdder();
    private final LongAdder breakerRejections = new LongAdder();
    private final LongAdder breakerOpened = new LongAdder();
    private final LongAdder rateWaits = new LongAdder();
    private final Map<String, LongAdder> failed = new ConcurrentHashMap<>();
    private final Histogram latencyMicros = new ConcurrentHistogram(3);
    private volatile long endNanos;

    /**
     * Stats that also hand each result to {@code also}, after counting it.
     *
     * @param also called with every result {@link #onResult} receives, on the task that finished
     *     the request (the command prints invalid lines, and with {@code -o -} every result, there);
     *     results arrive from many tasks at once, so it must be thread-safe
     */
    public FetchStats(Consumer<FetchResult> also) {
        this.also = also;
    }

    /** Stats only. */
    public FetchStats() {
        this(r -> { });
    }

    @Override
    public void onResult(FetchResult r) {
        record(r);
        also.accept(r);
    }

    @Override
    public void onSkipped(FetchRequest request) {
        skipped.increment();
    }

    @Override
    public void onCancelled(FetchRequest request) {
        cancelled();
    }

    @Override
    public void onRetry(String host, int attempt, Duration delay, Throwable failure) {
        retry();
    }

    @Override
    public void onRetryBudgetExhausted(String host) {
        budgetRefused();
    }

    @Override
    public void onBreakerOpened(String host) {
        breakerOpened();
    }

    @Override
    public void onBreakerRejected(String host) {
        breakerRejection();
    }

    @Override
    public void onRateLimitWait(String host) {
        rateLimitWait();
    }

    /**
     * {@return how many input lines were not a valid URL or JSON request} Each was reported with a
     * result of its own and is also counted in {@link #failed()}, not in {@link #done()}.
     */
    public long invalid() {
        LongAdder u = failed.get("invalid_url");
        LongAdder r = failed.get("invalid_request");
        return (u == null ? 0 : u.sum()) + (r == null ? 0 : r.sum());
    }

    /** {@return how many URLs were skipped because the journal already had their result (a resumed run)} */
    public long skipped() {
        return skipped.sum();
    }

    /**
     * Records a finished URL (counted as done, ok or failed by kind, with its bytes and latency) or
     * an invalid input line (counted as failed only).
     *
     * @param r the result, as the engine reports it
     */
    public void record(FetchResult r) {
        if (r.kind().isInvalidInput()) {
            failed.computeIfAbsent(r.kind().wireName(), k -> new LongAdder()).increment();
            return;
        }
        done.increment();
        bytes.add(r.bytes());
        if (r.attempts() > 1) {
            retried.increment();
        }
        if (r.ok()) {
            ok.increment();
        } else {
            failed.computeIfAbsent(r.kind().wireName(), k -> new LongAdder()).increment();
        }
        latencyMicros.recordValue(Math.max(1, r.nanos() / 1000));
    }

    /** Counts a request cancelled in flight (Ctrl-C). */
    public void cancelled() {
        cancelled.increment();
    }

    /** Counts a retry scheduled (an attempt after the first). */
    public void retry() {
        retries.increment();
    }

    /** Counts a retry the host's retry budget refused. */
    public void budgetRefused() {
        budgetRefused.increment();
    }

    /** Counts an attempt an open (or half-open, full) circuit breaker refused without sending it. */
    public void breakerRejection() {
        breakerRejections.increment();
    }

    /** Counts a circuit breaker opening. */
    public void breakerOpened() {
        breakerOpened.increment();
    }

    /** Counts a request that had to wait for the host's rate limit. */
    public void rateLimitWait() {
        rateWaits.increment();
    }

    /** {@return how many attempts an open (or full half-open) circuit breaker refused} */
    public long breakerRejections() {
        return breakerRejections.sum();
    }

    /** {@return how many retries were scheduled, over all URLs} */
    public long retries() {
        return retries.sum();
    }

    /** {@return how many requests had to wait for their host's rate limit} */
    public long rateLimitWaits() {
        return rateWaits.sum();
    }

    /** {@return how many requests were cancelled in flight (Ctrl-C)} */
    public long cancelledCount() {
        return cancelled.sum();
    }

    /** {@return how many URLs finished, ok or failed (invalid input lines and skipped URLs excluded)} */
    public long done() {
        return done.sum();
    }

    /** {@return how many URLs succeeded} */
    public long ok() {
        return ok.sum();
    }

    /** {@return how many URLs failed, invalid input lines included} */
    public long failed() {
        long n = 0;
        for (LongAdder a : failed.values()) {
            n += a.sum();
        }
        return n;
    }

    /**
     * {@return finished URLs per second} Measured from this object's creation to now, or to
     * {@link #finish()} once it has been called; 0 before any time has passed.
     */
    public double rate() {
        double secs = (now() - startNanos) / 1e9;
        return secs <= 0 ? 0 : done() / secs;
    }

    private long now() {
        return endNanos != 0 ? endNanos : System.nanoTime();
    }

    /** Stops the clock for the summary. */
    public void finish() {
        endNanos = System.nanoTime();
    }

    /**
     * Prints the end-of-run summary: counts by outcome and failure kind, retries, breaker and rate
     * limit figures, latency percentiles and bytes received.
     *
     * @param out where to print it (the command prints it to standard output, or to standard error
     *     when the results themselves go to standard output)
     * @param interrupted whether the run was cut short by Ctrl-C: marks the header and adds the
     *     "cancelled" line
     * @param notStarted URLs never started because of the interruption, or a negative number if
     *     unknown (input from stdin): printed as "the rest"
     * @param rateLimited whether a rate limit was configured: only then is the "rate limit" line printed
     * @param config the run's configuration in one line (limits, timeouts, retries, breaker, rate),
     *     printed as is
     */
    public void printSummary(PrintStream out, boolean interrupted, long notStarted, boolean rateLimited, String config) {
        long budgetExhausted = budgetRefused.sum();
        double secs = (now() - startNanos) / 1e9;
        out.printf("%nweft fetch: %d URLs in %.2f s (%.0f req/s)%s%n", done(), secs, rate(),
                interrupted ? ", INTERRUPTED (Ctrl-C)" : "");
        out.printf("  config     %s%n", config);
        if (skipped() > 0) {
            out.printf("  skipped    %d URL(s) already done in the journal (resumed; --no-resume to fetch them again)%n", skipped());
        }
        out.printf("  ok         %d%n", ok());
        Map<String, Long> byKind = new TreeMap<>();
        failed.forEach((k, v) -> byKind.put(k, v.sum()));
        long invalid = byKind.getOrDefault("invalid_url", 0L) + byKind.getOrDefault("invalid_request", 0L);
        byKind.remove("invalid_url");
        byKind.remove("invalid_request");
        long failedRequests = byKind.values().stream().mapToLong(Long::longValue).sum();
        StringBuilder kinds = new StringBuilder();
        byKind.forEach((k, v) -> kinds.append(kinds.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
        out.printf("  failed     %d%s%n", failedRequests, kinds.isEmpty() ? "" : " (" + kinds + ")");
        if (invalid > 0) {
            out.printf("  invalid    %d input line(s), reported above%n", invalid);
        }
        out.printf("  retried    %d URL(s), %d retries%s%n", retried.sum(), retries.sum(),
                budgetExhausted > 0 ? ", retry budget refused " + budgetExhausted : "");
        out.printf("  breaker    %d breaker rejections (opened %d time(s))%n", breakerRejections.sum(), breakerOpened.sum());
        if (rateLimited) {
            out.printf("  rate limit %d request(s) waited for a token%n", rateWaits.sum());
        }
        if (interrupted) {
            out.printf("  cancelled  %d in flight, %s not started%n", cancelled.sum(), notStarted < 0 ? "the rest" : Long.toString(notStarted));
        }
        if (latencyMicros.getTotalCount() > 0) {
            out.printf("  latency    p50 %s  p95 %s  p99 %s  max %s%n", ms(latencyMicros.getValueAtPercentile(50)),
                    ms(latencyMicros.getValueAtPercentile(95)), ms(latencyMicros.getValueAtPercentile(99)),
                    ms(latencyMicros.getMaxValue()));
        }
        out.printf("  received   %s%n", size(bytes.sum()));
    }

    /**
     * Formats a duration the way it is typed on the command line, for the summary's config line.
     *
     * @param d the duration; precision below a millisecond is dropped
     * @return {@code 500ms} under a second, {@code 2s} for whole seconds, {@code 1.5s} otherwise
     *     (one decimal)
     */
    public static String human(java.time.Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
    }

    private static String ms(long micros) {
        return micros < 10_000 ? String.format("%.1f ms", micros / 1000.0) : String.format("%d ms", micros / 1000);
    }

    private static String size(long b) {
        if (b < 10_000) {
            return b + " B";
        }
        if (b < 1_000_000) {
            return String.format("%.1f kB", b / 1e3);
        }
        return String.format("%.1f MB", b / 1e6);
    }
}
