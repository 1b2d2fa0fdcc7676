package dev.weft.channel;

import java.util.Objects;

/**
 * What a receive found: a {@link Value}, the end of the channel ({@link Done}), or its failure
 * ({@link Failed}). Returned by {@link Channel#receiveOrClosed()}, which never throws for a closed
 * channel.
 *
 * @param <T> the item type
 */
public sealed interface ChannelResult<T> {
    /**
     * A received value.
     *
     * @param <T> the item type
     * @param value the item (possibly null if the channel carries nulls)
     */
    record Value<T>(T value) implements ChannelResult<T> {
    }

    /**
     * The channel is done and drained: there will be no more values.
     *
     * @param <T> the item type
     */
    record Done<T>() implements ChannelResult<T> {
    }

    /**
     * The channel failed with {@code error}.
     *
     * @param <T> the item type
     * @param error the failure the channel was failed with, never null
     */
    record Failed<T>(Throwable error) implements ChannelResult<T> {
        /**
         * Checks the error.
         * @throws NullPointerException if {@code error} is null
         */
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }
}
