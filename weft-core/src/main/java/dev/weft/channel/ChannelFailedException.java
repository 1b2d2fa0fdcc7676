package dev.weft.channel;

/** The channel failed; the cause is the error given to {@code fail}. */
public final class ChannelFailedException extends ChannelClosedException {
    ChannelFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
