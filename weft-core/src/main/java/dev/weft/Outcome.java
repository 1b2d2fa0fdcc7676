package dev.weft;

import java.util.Objects;

/**
 * How a task ended: {@link Success} with its value, {@link Failure} with its exception, or
 * {@link Cancelled}. Outcomes are data: {@link Weft#gatherOutcomes} and supervisor groups hand
 * them back instead of throwing, so partial failures can be inspected one by one.
 *
 * <p>A task that was cancelled but caught the interrupt and returned a value ends as a
 * {@code Success}; one that threw a different exception while being cancelled ends as a
 * {@code Failure}: what the task did is what its outcome says.
 *
 * @param <T> the type of the task's value
 */
public sealed interface Outcome<T> {

    /**
     * The task returned {@code value} (which may be null).
     *
     * @param <T> the type of the task's value
     * @param value the task's value, possibly null
     */
    record Success<T>(T value) implements Outcome<T> {
    }

    /**
     * The task threw {@code error}.
     *
     * @param <T> the type of the task's value
     * @param error the exception the task threw, never null
     */
    record Failure<T>(Throwable error) implements Outcome<T> {
        /**
         * Checks the error.
         * @throws NullPointerException if {@code error} is null
         */
        public Failure {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * The task was cancelled and ended by that cancellation.
     *
     * @param <T> the type of the task's value
     */
    record Cancelled<T>() implements Outcome<T> {
    }

    /**
     * Whether this is a {@link Success}.
     *
     * @return {@code true} for a {@link Success}, {@code false} for a failure or a cancellation
     */
    default boolean isSuccess() {
        return this instanceof Success;
    }

    /**
     * The value of a success; otherwise throws {@link TaskFailedException} (failure, the error as
     * cause) or {@link java.util.concurrent.CancellationException} (cancelled).
     *
     * @return the value of a success (possibly null)
     */
    default T getOrThrow() {
        return switch (this) {
            case Success<T> s -> s.value();
            case Failure<T> f -> throw new TaskFailedException("the task failed: " + f.error(), f.error());
            case Cancelled<T> c -> throw new java.util.concurrent.CancellationException("the task was cancelled");
        };
    }
}
