package dev.weft;

/**
 * The body of a {@link TaskGroup#run} block: receives the group to spawn into.
 *
 * @param <T> the block's result type
 * @param <E> the checked exception the block may throw
 */
@FunctionalInterface
public interface GroupWork<T, E extends Exception> {
    /**
     * Runs the block.
     * @param group the open group; tasks spawned into it are joined before the group's block returns
     * @return the block's value
     * @throws E the block's own exception
     */
    T run(TaskGroup group) throws E;
}
