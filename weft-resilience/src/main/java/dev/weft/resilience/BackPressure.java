package dev.weft.resilience;

/**
 * A failure that is the dependency asking its callers to slow down, not the dependency failing:
 * an HTTP 429 or 503 response carrying {@code Retry-After}, a queue that says "full, try again in
 * 2 s". It is retried after {@link #retryAfter()}, and is not held against the dependency:
 * <ul>
 *   <li>a {@link CircuitBreaker} counts it as neither success nor failure (as an ignored
 *       exception; a half-open trial that ends this way gives its permit back), so a server that
 *       paces its clients never opens their breaker;</li>
 *   <li>a {@link Retry} waits its {@link #retryAfter()} (when present) instead of the back-off, and
 *       does not take the retry from its {@link RetryBudget} (the budget protects a failing
 *       dependency from retry storms; a retry the dependency asked for, at the time it asked, is
 *       not one). {@link Retry.Builder#maxAttempts} and the deadline still bound it.</li>
 * </ul>
 * Whether it is retried at all is still the retry's {@code retryOn}/{@code retryIf} decision.
 *
 * {@snippet :
 * final class SlowDown extends RuntimeException implements BackPressure {
 *     private final Duration wait;
 *     SlowDown(Duration wait) { super("429 Too Many Requests"); this.wait = wait; }
 *     public Optional<Duration> retryAfter() { return Optional.of(wait); }
 * }
 * }
 */
public interface BackPressure extends RetryAfter {
}
