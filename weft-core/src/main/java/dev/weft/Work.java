package dev.weft;

/**
 * A block of work that returns a value and may throw {@code E}. Weft's scoped operations take a
 * {@code Work} so that the body's own checked exception passes through with its type: a body that
 * throws {@code IOException} makes the operation throw {@code IOException}, and a body that
 * throws nothing checked makes it throw nothing checked.
 *
 * @param <T> the block's result type
 * @param <E> the checked exception the block may throw (use {@code RuntimeException} for none)
 */
@FunctionalInterface
public interface Work<T, E extends Exception> {
    /**
     * Runs the block.
     * @return the block's value
     * @throws E the block's own exception
     */
    T call() throws E;
}
