package dev.weft.resilience;

import java.time.Duration;

/**
 * Events from resilience components, for logging and metrics. Every method has an empty default:
 * implement the ones you need. {@link ResilienceCounters} counts them all.
 *
 * <p>A listener is attached to one component with its builder's {@code listener(...)} (it then hears
 * that component only) or to a {@link Policy} (it hears every component the policy runs, for calls
 * through that policy). {@code name} is the name of the component that raised the event.
 *
 * <h2>Exception handling</h2> A listener that throws is logged through {@link System.Logger}
 * ({@code dev.weft.resilience}, WARNING) and ignored: it never breaks the call and never stops the
 * other listeners.
 *
 * <h2>Thread safety</h2> Methods are called on the thread that raised the event, concurrently from
 * many threads, never while a component holds a lock. Keep them short and non-blocking.
 */
public interface ResilienceListener {
    /**
     * A retry is about to run attempt number {@code attempt} (1 for the first).
     *
     * @param name the retry's name
     * @param attempt the attempt's number, from 1
     */
    default void onAttempt(String name, int attempt) {
    }

    /**
     * Attempt {@code attempt} failed with {@code failure} (null: its result was retryable); the next starts after {@code delay}.
     *
     * @param name the retry's name
     * @param attempt the failed attempt's number, from 1
     * @param delay the wait before the next attempt
     * @param failure what the attempt threw, or null if its result was retryable
     */
    default void onRetry(String name, int attempt, Duration delay, Throwable failure) {
    }

    /**
     * A retry stopped without success after {@code attempts} attempts, for {@code reason} (attempts
     * exhausted, max duration, deadline, retry budget spent, failure not retryable).
     *
     * @param name the retry's name
     * @param attempts the attempts made
     * @param reason why it stopped, in words
     * @param failure the last attempt's exception, or null if its result was retryable
     */
    default void onGiveUp(String name, int attempts, String reason, Throwable failure) {
    }

    /**
     * A call was refused without running: breaker open, bulkhead full, rate limited.
     *
     * @param name the refusing component's name
     * @param rejection the exception the caller receives
     */
    default void onRejected(String name, RejectedException rejection) {
    }

    /**
     * A circuit breaker changed state.
     *
     * @param name the breaker's name
     * @param from the state before
     * @param to the state after
     */
    default void onStateChange(String name, CircuitBreaker.State from, CircuitBreaker.State to) {
    }

    /**
     * A hedge started attempt number {@code attempt} (2 for the first hedge).
     *
     * @param name the hedge's name
     * @param attempt the attempt's number, from 2
     */
    default void onHedge(String name, int attempt) {
    }

    /**
     * A fallback replaced {@code failure} with its value.
     *
     * @param name the fallback's name
     * @param failure the failure replaced
     */
    default void onFallback(String name, Throwable failure) {
    }
}
