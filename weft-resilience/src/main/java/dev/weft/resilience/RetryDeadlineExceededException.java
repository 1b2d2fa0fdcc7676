package dev.weft.resilience;

import dev.weft.DeadlineExceededException;
import java.time.Duration;
import java.time.Instant;

/**
 * A {@link Retry} stopped because its next attempt could not start before the deadline in force
 * ({@link dev.weft.Deadline#current()}): sleeping the back-off would have ended at or past it. The
 * cause is the last attempt's failure (null when the last attempt returned a retryable result).
 * Being a {@link DeadlineExceededException}, it is handled wherever timeouts are.
 */
public final class RetryDeadlineExceededException extends DeadlineExceededException {
    /** The number of attempts made before the retry stopped. */
    private final int attempts;
    private final transient Duration nextDelay;

    RetryDeadlineExceededException(String name, int attempts, Duration nextDelay, Instant deadline, Duration elapsed,
            Throwable lastFailure) {
        super("retry '" + name + "' (after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                + ", next in " + nextDelay + ", which would start at or past the deadline; last failure: "
                + lastFailure + ")", deadline, elapsed, lastFailure);
        this.attempts = attempts;
        this.nextDelay = nextDelay;
    }

    /**
     * Attempts made before stopping.
     *
     * @return the number of attempts made, at least 1
     */
    public int attempts() {
        return attempts;
    }

    /**
     * The back-off (or server-provided) delay that would have run past the deadline.
     *
     * @return the delay that would have ended at or past the deadline
     */
    public Duration nextDelay() {
        return nextDelay;
    }
}
