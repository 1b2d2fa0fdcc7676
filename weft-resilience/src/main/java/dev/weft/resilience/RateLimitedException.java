package dev.weft.resilience;

import java.time.Duration;

/**
 * A {@link RateLimiter} refused a call: the wait for a permit would exceed the limiter's maximum
 * wait or end past {@link dev.weft.Deadline#current()}. {@link #retryAfter()} is that wait. No stack
 * trace.
 */
public final class RateLimitedException extends RejectedException {
    /**
     * For rate limiters of other modules that keep {@link RateLimiter}'s contract (a limit shared by
     * several processes, {@code weft-redis}).
     *
     * @param name the limiter's name
     * @param wait how far away the next permit is
     * @param why why the limiter refused, such as "more than the maximum wait PT1S"
     */
    public RateLimitedException(String name, Duration wait, String why) {
        super("rate limiter '" + name + "' refused the call: the next permit is " + wait + " away, " + why,
                name, wait);
    }
}
