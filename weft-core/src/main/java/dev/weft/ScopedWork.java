package dev.weft;

/** A block of work that receives the {@link CancelScope} it runs in (to reschedule or cancel it). */
@FunctionalInterface
public interface ScopedWork<T, E extends Exception> {
    T call(CancelScope scope) throws E;
}
