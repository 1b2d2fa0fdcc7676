package dev.weft;

/** Thrown by {@link Task#join()} when the task failed; the task's exception is the cause. */
public class TaskFailedException extends RuntimeException {
    /**
     * Creates the exception.
     * @param message names the task that failed
     * @param cause the task's exception
     */
    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
