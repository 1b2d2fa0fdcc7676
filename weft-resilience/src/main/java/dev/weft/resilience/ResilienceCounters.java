package dev.weft.resilience;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link ResilienceListener} that counts every event: attempts, retries, give-ups, rejections,
 * state changes, hedges and fallbacks. No metrics library: read the counters and export them to
 * whatever you use.
 *
 * {@snippet :
 * ResilienceCounters counters = new ResilienceCounters();
 * Policy policy = Policy.builder().retry(Retry.ofDefaults()).listener(counters).build();
 * // ... later
 * long retries = counters.retries();
 * }
 *
 * <p>Thread safe; counts are exact once the calls that raised them have returned (each counter is
 * a {@link LongAdder}, so recording never contends).
 */
public final class ResilienceCounters implements ResilienceListener {
    private final LongAdder attempts = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder giveUps = new LongAdder();
    private final LongAdder rejections = new LongAdder();
    private final LongAdder stateChanges = new LongAdder();
    private final LongAdder hedges = new LongAdder();
    private final LongAdder fallbacks = new LongAdder();

    /** Counters at zero. */
    public ResilienceCounters() {
    }

    @Override
    public void onAttempt(String name, int attempt) {
        attempts.increment();
    }

    @Override
    public void onRetry(String name, int attempt, Duration delay, Throwable failure) {
        retries.increment();
    }

    @Override
    public void onGiveUp(String name, int attempts, String reason, Throwable failure) {
        giveUps.increment();
    }

    @Override
    public void onRejected(String name, RejectedException rejection) {
        rejections.increment();
    }

    @Override
    public void onStateChange(String name, CircuitBreaker.State from, CircuitBreaker.State to) {
        stateChanges.increment();
    }

    @Override
    public void onHedge(String name, int attempt) {
        hedges.increment();
    }

    @Override
    public void onFallback(String name, Throwable failure) {
        fallbacks.increment();
    }

    /**
     * Attempts started by retries (first attempts included).
     *
     * @return how many such events this listener has heard so far
     */
    public long attempts() {
        return attempts.sum();
    }

    /**
     * Retries scheduled (attempts after the first).
     *
     * @return how many such events this listener has heard so far
     */
    public long retries() {
        return retries.sum();
    }

    /**
     * Retries that stopped without success.
     *
     * @return how many such events this listener has heard so far
     */
    public long giveUps() {
        return giveUps.sum();
    }

    /**
     * Calls refused by a breaker, bulkhead or rate limiter.
     *
     * @return how many such events this listener has heard so far
     */
    public long rejections() {
        return rejections.sum();
    }

    /**
     * Circuit breaker state changes.
     *
     * @return how many such events this listener has heard so far
     */
    public long stateChanges() {
        return stateChanges.sum();
    }

    /**
     * Hedged attempts started.
     *
     * @return how many such events this listener has heard so far
     */
    public long hedges() {
        return hedges.sum();
    }

    /**
     * Failures replaced by a fallback.
     *
     * @return how many such events this listener has heard so far
     */
    public long fallbacks() {
        return fallbacks.sum();
    }

    @Override
    public String toString() {
        return "ResilienceCounters[attempts=" + attempts() + ", retries=" + retries() + ", giveUps=" + giveUps()
                + ", rejections=" + rejections() + ", stateChanges=" + stateChanges() + ", hedges=" + hedges()
                + ", fallbacks=" + fallbacks() + "]";
    }
}
