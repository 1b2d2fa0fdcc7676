package dev.weft.channel;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One alternative of a {@link Select}: receive from a channel ({@link Channel#receiveClause()}),
 * send to one ({@link Channel#sendClause}), or the default ({@link Select#defaultClause}).
 *
 * @param <R> what the select returns when this clause wins
 */
public sealed interface SelectClause<R> {

    /**
     * Receives from {@code channel} and maps the item with {@code then}.
     *
     * @param <T> the channel's item type
     * @param <R> the select's result type
     * @param channel the channel to receive from
     * @param then maps the received item to the select's result
     */
    record Receive<T, R>(Channel<T> channel, Function<? super T, ? extends R> then) implements SelectClause<R> {
    }

    /**
     * Sends {@code item} to {@code channel}; the select returns {@code then}'s value.
     *
     * @param <T> the channel's item type
     * @param <R> the select's result type
     * @param channel the channel to send to
     * @param item the item to send
     * @param then supplies the select's result once the item is sent
     */
    record Send<T, R>(Channel<T> channel, T item, Supplier<? extends R> then) implements SelectClause<R> {
    }

    /**
     * Taken when no other clause can complete at once.
     *
     * @param <R> the select's result type
     * @param value supplies the select's result when this clause is taken
     */
    record Default<R>(Supplier<? extends R> value) implements SelectClause<R> {
    }
}
