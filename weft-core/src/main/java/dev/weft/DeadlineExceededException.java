package dev.weft;

import java.time.Duration;
import java.time.Instant;

/**
 * A {@link Timeouts#failAfter} block (or another Weft operation bounded by a deadline) ran out of
 * time. Names the deadline and how long the block ran. Unchecked.
 */
public class DeadlineExceededException extends RuntimeException {
    private final transient Instant deadline;
    private final transient Duration elapsed;

    public DeadlineExceededException(String what, Instant deadline, Duration elapsed, Throwable cause) {
        super(what + " exceeded its deadline " + deadline + " after running " + elapsed, cause);
        this.deadline = deadline;
        this.elapsed = elapsed;
    }

    /** The deadline that passed. */
    public Instant deadline() {
        return deadline;
    }

    /** How long the block had run when it was stopped. */
    public Duration elapsed() {
        return elapsed;
    }
}
