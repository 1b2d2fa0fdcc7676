package dev.weft;

/** The body of a {@link TaskGroup#run} block: receives the group to spawn into. */
@FunctionalInterface
public interface GroupWork<T, E extends Exception> {
    T run(TaskGroup group) throws E;
}
