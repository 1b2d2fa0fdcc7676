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

    /** Receives from {@code channel} and maps the item with {@code then}. */
    record Receive<T, R>(Channel<T> channel, Function<? super T, ? extends R> then) implements SelectClause<R> {
    }

    /** Sends {@code item} to {@code channel}; the select returns {@code then}'s value. */
    record Send<T, R>(Channel<T> channel, T item, Supplier<? extends R> then) implements SelectClause<R> {
    }

    /** Taken when no other clause can complete at once. */
    record Default<R>(Supplier<? extends R> value) implements SelectClause<R> {
    }
}
