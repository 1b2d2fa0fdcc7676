package dev.weft.channel;

/** The work queue was shut down (Python 3.13's {@code QueueShutDown}). */
public final class QueueShutdownException extends IllegalStateException {
    /**
     * Public for work queues of other modules that keep {@link WorkQueue}'s contract (a queue shared
     * by several processes, {@code weft-redis}).
     *
     * @param message what could not be done and why
     */
    public QueueShutdownException(String message) {
        super(message);
    }
}
