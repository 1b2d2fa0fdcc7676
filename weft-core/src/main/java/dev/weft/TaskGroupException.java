package dev.weft;

import java.util.List;

/**
 * A task group ended with failures: every failure is kept, in the order they happened. The first
 * is the cause; all of them are in {@link #failures()} and attached as suppressed exceptions.
 * Cancellations are never listed. An inner group's exception is one member of an outer group's
 * list, so nested groups keep their shape.
 */
public class TaskGroupException extends RuntimeException {
    private final transient List<Throwable> failures;

    /**
     * Creates the exception with every failure, the first as cause and all of them as suppressed.
     * @param message names the group
     * @param failures the failures in the order they happened (copied; empty gives no cause)
     */
    @SuppressWarnings("this-escape") // addSuppressed on a fully built Throwable state
    public TaskGroupException(String message, List<Throwable> failures) {
        super(message, failures.isEmpty() ? null : failures.get(0));
        this.failures = List.copyOf(failures);
        for (Throwable t : this.failures) {
            addSuppressed(t);
        }
    }

    /**
     * Every failure, first first.
     *
     * @return an unmodifiable list of every failure, in the order they happened
     */
    public List<Throwable> failures() {
        return failures;
    }
}
