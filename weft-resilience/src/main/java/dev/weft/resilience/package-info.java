/**
 * Resilience for calls to other services, on Weft's cancellation and deadlines.
 *
 * <ul>
 *   <li>{@link dev.weft.resilience.Retry} with {@link dev.weft.resilience.Backoff} (full jitter by
 *       default), {@link dev.weft.resilience.RetryAfter} and a shared
 *       {@link dev.weft.resilience.RetryBudget};</li>
 *   <li>{@link dev.weft.resilience.CircuitBreaker} (count or time window, failure and slow-call rates);</li>
 *   <li>{@link dev.weft.resilience.RateLimiter} (token bucket), {@link dev.weft.resilience.Bulkhead};</li>
 *   <li>{@link dev.weft.resilience.Hedge} (structured: losers cancelled and joined),
 *       {@link dev.weft.resilience.Fallback};</li>
 *   <li>{@link dev.weft.resilience.Policy}: all of them in one fixed, documented order.</li>
 * </ul>
 *
 * <p>Every wait is a Weft wait: cancellable, bounded by {@link dev.weft.Deadline#current()}, and
 * instant under {@link dev.weft.VirtualTime} in tests. A cancellation is never retried, counted as a
 * failure, or replaced by a fallback. Events go to {@link dev.weft.resilience.ResilienceListener}s.
 */
package dev.weft.resilience;
