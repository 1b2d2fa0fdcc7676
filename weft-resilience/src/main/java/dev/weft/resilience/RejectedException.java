package dev.weft.resilience;

import java.time.Duration;
import java.util.Optional;

/**
 * A call was refused without being run: by an open {@link CircuitBreaker}, a full {@link Bulkhead}
 * or a {@link RateLimiter}. Rejections are cheap: they carry no stack trace (they happen under
 * overload, when a stack walk per refused call is the last thing the process needs), and they name
 * the component that refused.
 *
 * <p>A rejection that knows when trying again makes sense implements {@link RetryAfter}: a
 * {@link Retry} then waits that long instead of its back-off.
 */
public abstract sealed class RejectedException extends RuntimeException implements RetryAfter
        permits CircuitBreakerOpenException, BulkheadFullException, RateLimitedException {
    /** The name of the component that refused the call. */
    private final String name;
    private final transient Duration retryAfter;

    RejectedException(String message, String name, Duration retryAfter) {
        super(message, null, false, false); // no stack trace, no suppression: cheap
        this.name = name;
        this.retryAfter = retryAfter;
    }

    /**
     * The name of the component that refused the call.
     *
     * @return the refusing component's name
     */
    public String name() {
        return name;
    }

    @Override
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
