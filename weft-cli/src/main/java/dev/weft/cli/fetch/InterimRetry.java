package dev.weft.cli.fetch;

import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * INTERIM, to be replaced by weft-resilience's {@code Policy} (Retry + Backoff + RetryBudget) once
 * that module lands: the smallest retry that {@code weft fetch} needs meanwhile.
 *
 * <p>Exponential back-off with full jitter (a random wait in [0, min(cap, base × 2^n)]), at most
 * {@code maxRetries} retries per call, and a retry budget shared by all calls: retries may not
 * exceed {@code 10 + ratio × calls}, so a failing host cannot multiply the load by the retry count.
 * Back-off sleeps are {@link Weft#sleep}: cancellable, and shortened by the caller's deadline.
 */
public final class InterimRetry {
    private final int maxRetries;
    private final Duration base;
    private final Duration cap;
    private final double budgetRatio;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong budgetExhausted = new AtomicLong();

    public InterimRetry(int maxRetries, Duration base, Duration cap, double budgetRatio) {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("retries must be >= 0, got " + maxRetries);
        }
        this.maxRetries = maxRetries;
        this.base = base;
        this.cap = cap;
        this.budgetRatio = budgetRatio;
    }

    /**
     * Runs {@code attempt}, again after a back-off while {@code retryResult} accepts its result or
     * {@code retryError} its exception, within the limits. Cancellation is never retried.
     */
    public <T> T call(Callable<T> attempt, Predicate<? super T> retryResult, Predicate<? super Exception> retryError)
            throws Exception {
        calls.incrementAndGet();
        for (int n = 0; ; n++) {
            try {
                T r = attempt.call();
                if (!retryResult.test(r) || !mayRetry(n)) {
                    return r;
                }
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                if (!retryError.test(e) || !mayRetry(n)) {
                    throw e;
                }
            }
            Weft.sleep(backoff(n));
        }
    }

    private boolean mayRetry(int n) {
        if (n >= maxRetries) {
            return false;
        }
        long allowed = 10 + (long) (budgetRatio * calls.get());
        if (retries.incrementAndGet() > allowed) {
            retries.decrementAndGet();
            budgetExhausted.incrementAndGet();
            return false;
        }
        return true;
    }

    Duration backoff(int n) {
        long ceiling = Math.min(cap.toNanos(), base.toNanos() << Math.min(n, 30));
        return Duration.ofNanos(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling) + 1));
    }

    /** Retries made so far. */
    public long retries() {
        return retries.get();
    }

    /** Retries refused because the budget was spent. */
    public long budgetExhausted() {
        return budgetExhausted.get();
    }
}
