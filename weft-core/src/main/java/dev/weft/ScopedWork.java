package dev.weft;

/**
 * A block of work that receives the {@link CancelScope} it runs in (to reschedule or cancel it).
 *
 * @param <T> the block's result type
 * @param <E> the checked exception the block may throw
 */
@FunctionalInterface
public interface ScopedWork<T, E extends Exception> {
    /**
     * Runs the block.
     * @param scope the active scope the block runs in
     * @return the block's value
     * @throws E the block's own exception
     */
    T call(CancelScope scope) throws E;
}
