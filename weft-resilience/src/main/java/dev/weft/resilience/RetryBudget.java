package dev.weft.resilience;

import dev.weft.TimeSource;
import dev.weft.resilience.internal.Support;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A retry budget shared by many calls (typically one per downstream service or host): retries are
 * allowed only while they stay under a ratio of the recent requests, plus a small reserve per
 * second. This is what stops a retry storm: when the downstream fails, every caller's retries
 * multiply its load, unless they are capped as a fraction of real traffic (Google SRE book, chapter
 * 22, "Handling Overload": a per-client retry budget of 10%; Envoy's and Finagle's retry budgets).
 *
 * {@snippet :
 * RetryBudget perHost = RetryBudget.defaults(); // 10% of requests, 3 retries/s reserve, 10 s window
 * Retry retry = Retry.builder().maxAttempts(4).budget(perHost).build();
 * }
 *
 * <h2>Algorithm</h2> Over a sliding window (default 10 s, in 10 buckets), retries are allowed while
 * {@code retries < minPerSecond * windowSeconds + ratio * requests}. Every call through a
 * {@link Retry} using the budget counts one request (its first attempt); every retry it makes counts
 * one retry. When the budget is spent, the retry gives up at once and returns the original failure.
 * As new requests arrive (successful or not) and old ones leave the window, the budget refills.
 *
 * <h2>Thread safety</h2> Lock-free: per-bucket atomic counters; a bucket is replaced by
 * compare-and-set when the window moves past it. At the instant a bucket is recycled, a concurrent
 * count may land in the retired bucket and be lost: the budget is a rate guard, not a ledger. Time is
 * read from {@link TimeSource#current()} of the caller.
 */
public final class RetryBudget {
    private static final int BUCKETS = 10;

    private final double ratio;
    private final int minPerSecond;
    private final Duration window;
    private final long bucketNanos;
    private final long reserve;
    private final AtomicReferenceArray<Bucket> buckets = new AtomicReferenceArray<>(BUCKETS);

    private static final class Bucket {
        final long epoch;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong retries = new AtomicLong();

        Bucket(long epoch) {
            this.epoch = epoch;
        }
    }

    private RetryBudget(double ratio, int minPerSecond, Duration window) {
        this.ratio = ratio;
        this.minPerSecond = minPerSecond;
        this.window = window;
        long w = Support.nanos(window);
        this.bucketNanos = Math.max(1, w / BUCKETS);
        this.reserve = (long) Math.floor(minPerSecond * (w / 1e9));
        for (int i = 0; i < BUCKETS; i++) {
            buckets.set(i, new Bucket(Long.MIN_VALUE));
        }
    }

    /**
     * 10% of recent requests, a reserve of 3 retries per second, over a 10-second window.
     *
     * @return a new budget with the defaults
     */
    public static RetryBudget defaults() {
        return of(0.1, 3, Duration.ofSeconds(10));
    }

    /**
     * A budget allowing retries up to {@code ratio} of the requests in the last {@code window}, plus
     * {@code minRetriesPerSecond} per second of the window.
     *
     * @param ratio retries per request, in [0, 1] (0.1 = 10%)
     * @param minRetriesPerSecond a reserve for low traffic, &gt;= 0 (0: none)
     * @param window how far back requests and retries count (&gt;= 1 ms; 10 buckets)
     * @return a new budget, empty of requests
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public static RetryBudget of(double ratio, int minRetriesPerSecond, Duration window) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("retry budget ratio must be in [0, 1] (0.1 = 10% of requests), got " + ratio);
        }
        Support.atLeast("retry budget minRetriesPerSecond", minRetriesPerSecond, 0);
        Support.positive("retry budget window", window);
        if (window.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("retry budget window must be >= 1ms, got " + window);
        }
        return new RetryBudget(ratio, minRetriesPerSecond, window);
    }

    /** Counts one request (a call's first attempt). */
    public void recordRequest() {
        bucket(epoch()).requests.incrementAndGet();
    }

    /**
     * Takes one retry from the budget if it allows one; returns whether it did.
     *
     * @return {@code true} if a retry was taken, {@code false} if the budget is spent
     */
    public boolean tryAcquireRetry() {
        long e = epoch();
        Bucket cur = bucket(e);
        while (true) {
            long requests = 0;
            long retriesElsewhere = 0;
            for (int i = 0; i < BUCKETS; i++) {
                Bucket b = buckets.get(i);
                if (b.epoch > e - BUCKETS && b.epoch <= e) {
                    requests += b.requests.get();
                    if (b != cur) {
                        retriesElsewhere += b.retries.get();
                    }
                }
            }
            long allowed = reserve + (long) Math.floor(ratio * requests);
            long mine = cur.retries.get();
            if (retriesElsewhere + mine >= allowed) {
                return false;
            }
            if (cur.retries.compareAndSet(mine, mine + 1)) {
                return true;
            }
        }
    }

    /**
     * Retries the budget would allow now.
     *
     * @return the number of retries the budget would allow now
     */
    public long available() {
        long e = epoch();
        long requests = 0;
        long retries = 0;
        for (int i = 0; i < BUCKETS; i++) {
            Bucket b = buckets.get(i);
            if (b.epoch > e - BUCKETS && b.epoch <= e) {
                requests += b.requests.get();
                retries += b.retries.get();
            }
        }
        return Math.max(0, reserve + (long) Math.floor(ratio * requests) - retries);
    }

    private long epoch() {
        return Math.floorDiv(TimeSource.current().nanoTime(), bucketNanos);
    }

    private Bucket bucket(long e) {
        int idx = (int) Math.floorMod(e, (long) BUCKETS);
        while (true) {
            Bucket b = buckets.get(idx);
            if (b.epoch == e) {
                return b;
            }
            if (b.epoch > e) {
                return b; // a racing caller already moved on: count here (approximate, see class doc)
            }
            Bucket fresh = new Bucket(e);
            if (buckets.compareAndSet(idx, b, fresh)) {
                return fresh;
            }
        }
    }

    @Override
    public String toString() {
        return "RetryBudget[ratio " + ratio + ", min " + minPerSecond + "/s, window " + window + ", available "
                + available() + "]";
    }
}
