package dev.weft.channel;

import java.util.Objects;

/**
 * What a receive found: a {@link Value}, the end of the channel ({@link Done}), or its failure
 * ({@link Failed}). Returned by {@link Channel#receiveOrClosed()}, which never throws for a closed
 * channel.
 */
public sealed interface ChannelResult<T> {
    /** A received value. */
    record Value<T>(T value) implements ChannelResult<T> {
    }

    /** The channel is done and drained: there will be no more values. */
    record Done<T>() implements ChannelResult<T> {
    }

    /** The channel failed with {@code error}. */
    record Failed<T>(Throwable error) implements ChannelResult<T> {
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
