package dev.weft.http;

import java.time.Duration;

/**
 * What a {@link BulkFetch} run reports as it goes: each result, and the events a progress display
 * or a summary counts. Every method has an empty default; implement what you need.
 *
 * <p>Methods are called on the fetching threads, many at once: an implementation must be
 * thread-safe. {@link #onResult} may block (that is back-pressure: the fetching thread waits, and
 * with it one of the run's {@code limit} slots); the others should return quickly. A
 * {@link RuntimeException} thrown by a method is logged ({@link System.Logger}, WARNING) and the
 * run goes on; it never loses the result, which the journal already holds.
 */
public interface FetchListener {

    /**
     * A request finished: called exactly once for each request of the run that is neither skipped
     * ({@link #onSkipped}) nor cancelled ({@link #onCancelled}), after its journal line is written.
     *
     * @param result the result
     * @throws InterruptedException if the listener was cancelled while blocking
     */
    default void onResult(FetchResult result) throws InterruptedException {
    }

    /**
     * A resumed run skipped a request whose result is already in the journal.
     *
     * @param request the request
     */
    default void onSkipped(FetchRequest request) {
    }

    /**
     * A request was cancelled in flight (the run was cancelled): it has no result.
     *
     * @param request the request
     */
    default void onCancelled(FetchRequest request) {
    }

    /**
     * An attempt failed and another is scheduled after {@code delay}.
     *
     * @param host the host key ({@code http://example.com:80})
     * @param attempt the attempt that failed (1-based)
     * @param delay the back-off before the next attempt
     * @param failure what failed
     */
    default void onRetry(String host, int attempt, Duration delay, Throwable failure) {
    }

    /**
     * A retry was refused because the host's retry budget is spent.
     *
     * @param host the host key
     */
    default void onRetryBudgetExhausted(String host) {
    }

    /**
     * A host's circuit breaker opened.
     *
     * @param host the host key
     */
    default void onBreakerOpened(String host) {
    }

    /**
     * A host's open circuit breaker refused an attempt without sending it.
     *
     * @param host the host key
     */
    default void onBreakerRejected(String host) {
    }

    /**
     * A request waits for its host's rate limit.
     *
     * @param host the host key
     */
    default void onRateLimitWait(String host) {
    }

    /**
     * A listener that passes every event on to another: extend it and override the events to
     * intercept (calling the delegate yourself where it should still see them).
     */
    class Forwarding implements FetchListener {
        private final FetchListener delegate;

        /**
         * A listener forwarding to {@code delegate}.
         *
         * @param delegate the listener that receives every event not overridden
         */
        public Forwarding(FetchListener delegate) {
            this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
        }

        @Override
        public void onResult(FetchResult result) throws InterruptedException {
            delegate.onResult(result);
        }

        @Override
        public void onSkipped(FetchRequest request) {
            delegate.onSkipped(request);
        }

        @Override
        public void onCancelled(FetchRequest request) {
            delegate.onCancelled(request);
        }

        @Override
        public void onRetry(String host, int attempt, Duration delay, Throwable failure) {
            delegate.onRetry(host, attempt, delay, failure);
        }

        @Override
        public void onRetryBudgetExhausted(String host) {
            delegate.onRetryBudgetExhausted(host);
        }

        @Override
        public void onBreakerOpened(String host) {
            delegate.onBreakerOpened(host);
        }

        @Override
        public void onBreakerRejected(String host) {
            delegate.onBreakerRejected(host);
        }

        @Override
        public void onRateLimitWait(String host) {
            delegate.onRateLimitWait(host);
        }
    }
}
