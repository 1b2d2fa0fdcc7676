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

    /**
     * Creates the exception; the message names what ran out of time, the deadline and the time taken.
     * @param what what was stopped (for example {@code "failAfter(PT2S)"}), the start of the message
     * @param deadline the deadline that passed
     * @param elapsed how long the block had run when it was stopped
     * @param cause the interruption or cancellation that stopped the block, or null
     */
    public DeadlineExceededException(String what, Instant deadline, Duration elapsed, Throwable cause) {
        super(what + " exceeded its deadline " + deadline + " after running " + elapsed, cause);
        this.deadline = deadline;
        this.elapsed = elapsed;
    }

    /**
     * The deadline that passed.
     *
     * @return the deadline that passed
     */
    public Instant deadline() {
        return deadline;
    }

    /**
     * How long the block had run when it was stopped.
     *
     * @return how long the block had run when it was stopped
     */
    public Duration elapsed() {
        return elapsed;
    }
}
