package dev.weft.channel;

/** The work queue was shut down (Python 3.13's {@code QueueShutDown}). */
public final class QueueShutdownException extends IllegalStateException {
    QueueShutdownException(String message) {
        super(message);
    }
}
