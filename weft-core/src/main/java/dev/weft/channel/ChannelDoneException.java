package dev.weft.channel;

/** The channel is done: a send after {@code done()}, or a receive once it is drained. */
public final class ChannelDoneException extends ChannelClosedException {
    ChannelDoneException(String message) {
        super(message, null);
    }
}
