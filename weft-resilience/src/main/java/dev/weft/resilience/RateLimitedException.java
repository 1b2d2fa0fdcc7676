package dev.weft.resilience;

import java.time.Duration;

/**
 * A {@link RateLimiter} refused a call: the wait for a permit would exceed the limiter's maximum
 * wait or end past {@link dev.weft.Deadline#current()}. {@link #retryAfter()} is that wait. No stack
 * trace.
 */
public final class RateLimitedException extends RejectedException {
    RateLimitedException(String name, Duration wait, String why) {
        super("rate limiter '" + name + "' refused the call: the next permit is " + wait + " away, " + why,
                name, wait);
    }
}
