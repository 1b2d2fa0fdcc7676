package dev.weft.channel;

/**
 * An operation found the channel closed: {@link ChannelDoneException} (no more sends; nothing left
 * to receive) or {@link ChannelFailedException} (the channel failed; the error is the cause).
 */
public sealed class ChannelClosedException extends IllegalStateException
        permits ChannelDoneException, ChannelFailedException {
    ChannelClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
