package dev.weft.resilience;

import java.time.Duration;
import java.util.Optional;

/**
 * Implemented by a failure that knows when to try again, such as an HTTP 429 or 503 response with a
 * {@code Retry-After} header. A {@link Retry} waits {@link #retryAfter()} (when present) instead of
 * its back-off delay, still bounded by its limits and by {@link dev.weft.Deadline#current()}.
 *
 * {@snippet :
 * final class TooManyRequests extends IOException implements RetryAfter {
 *     private final Duration wait;
 *     TooManyRequests(Duration wait) { super("429"); this.wait = wait; }
 *     public Optional<Duration> retryAfter() { return Optional.of(wait); }
 * }
 * }
 *
 * <p>The exception itself or any of its causes may implement it; the outermost one that does wins.
 * A result retried through {@link Retry.Builder#retryOnResult} (such as an HTTP response with status
 * 429) may implement it too.
 */
public interface RetryAfter {
    /**
     * How long to wait before the next attempt; empty: use the back-off. A negative value means zero.
     *
     * @return the wait before the next attempt, or empty to use the retry's back-off
     */
    Optional<Duration> retryAfter();
}
