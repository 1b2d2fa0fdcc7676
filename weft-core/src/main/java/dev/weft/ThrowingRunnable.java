package dev.weft;

/**
 * A block of work that returns nothing and may throw: the body of a fire-and-forget task
 * ({@link TaskGroup#launch(ThrowingRunnable)}, Kotlin's {@code launch} beside {@code async}).
 */
@FunctionalInterface
public interface ThrowingRunnable {
    /**
     * Does the work.
     *
     * @throws Exception anything; it becomes the task's {@link Outcome.Failure}
     */
    void run() throws Exception;
}
