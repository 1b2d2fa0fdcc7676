package dev.weft;

/** Thrown by {@link Task#join()} when the task failed; the task's exception is the cause. */
public class TaskFailedException extends RuntimeException {
    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
