package dev.weft.resilience;

import dev.weft.Weft;
import dev.weft.Work;
import dev.weft.resilience.internal.Support;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A value (or a function of the failure) used when a call fails. Immutable and thread safe.
 *
 * {@snippet :
 * Fallback<List<Item>> cached = Fallback.of((Throwable e) -> cache.lastKnown()).handling(IOException.class);
 * List<Item> items = cached.call(() -> catalogue.fetch());
 * List<Item> same = policy.call(() -> catalogue.fetch(), cached); // outermost in a Policy
 * }
 *
 * <p>A cancellation never falls back: it passes through. By default every other exception is
 * handled; {@link #handling(Class[])} or {@link #handlingIf(Predicate)} narrow it. If the function
 * itself throws, that exception propagates with the original failure attached as suppressed.
 *
 * @param <T> the type of the value
 */
public final class Fallback<T> {
    private final Function<? super Throwable, ? extends T> fn;
    private final Predicate<? super Throwable> handles;
    private final String name;
    private final List<ResilienceListener> listeners;

    private Fallback(Function<? super Throwable, ? extends T> fn, Predicate<? super Throwable> handles, String name,
            List<ResilienceListener> listeners) {
        this.fn = fn;
        this.handles = handles;
        this.name = name;
        this.listeners = List.copyOf(listeners);
    }

    /**
     * Returns {@code value} (may be null) on a failure.
     *
     * @param <T> the call's result type
     * @param value the value returned instead of a handled failure
     * @return a fallback handling every failure except cancellations
     */
    public static <T> Fallback<T> value(T value) {
        return new Fallback<>(e -> value, e -> true, "fallback", List.of());
    }

    /**
     * Returns {@code fn(failure)} on a failure.
     *
     * @param <T> the call's result type
     * @param fn maps the failure to the value returned instead
     * @return a fallback handling every failure except cancellations
     */
    public static <T> Fallback<T> of(Function<? super Throwable, ? extends T> fn) {
        return new Fallback<>(Objects.requireNonNull(fn, "fallback function must not be null"), e -> true,
                "fallback", List.of());
    }

    /**
     * This fallback, used only for failures of these types (and subtypes).
     *
     * @param types the failure types to handle
     * @return a new fallback, otherwise the same as this one
     */
    @SafeVarargs
    @SuppressWarnings("varargs") // the array is only read, through List.of
    public final Fallback<T> handling(Class<? extends Throwable>... types) {
        if (types.length == 0) {
            throw new IllegalArgumentException("handling needs at least one exception type");
        }
        List<Class<? extends Throwable>> list = List.of(types);
        return new Fallback<>(fn, e -> list.stream().anyMatch(c -> c.isInstance(e)), name, listeners);
    }

    /**
     * This fallback, used only for failures matching {@code predicate}.
     *
     * @param predicate tells whether a failure is handled
     * @return a new fallback, otherwise the same as this one
     */
    public Fallback<T> handlingIf(Predicate<? super Throwable> predicate) {
        return new Fallback<>(fn, Objects.requireNonNull(predicate, "predicate must not be null"), name, listeners);
    }

    /**
     * This fallback, named {@code name} in events.
     *
     * @param name the name in events
     * @return a new fallback, otherwise the same as this one
     */
    public Fallback<T> named(String name) {
        return new Fallback<>(fn, handles, Objects.requireNonNull(name, "name must not be null"), listeners);
    }

    /**
     * The name in events (default {@code "fallback"}).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * This fallback, with one more listener.
     *
     * @param listener told of each replaced failure
     * @return a new fallback, otherwise the same as this one
     */
    public Fallback<T> withListener(ResilienceListener listener) {
        List<ResilienceListener> l = new ArrayList<>(listeners);
        l.add(Objects.requireNonNull(listener, "listener must not be null"));
        return new Fallback<>(fn, handles, name, l);
    }

    /**
     * Runs {@code call}; on a handled failure returns the fallback's value. The call's own checked
     * exception type passes through when it is not handled.
     *
     * @param <E> the checked exception the call may throw ({@code RuntimeException} if none)
     * @param call the call
     * @return what {@code call} returned, or the fallback's value
     * @throws E what {@code call} threw, when not handled (or a cancellation)
     */
    public <E extends Exception> T call(Work<? extends T, E> call) throws E {
        return execute(Objects.requireNonNull(call, "call"), null);
    }

    <E extends Exception> T execute(Work<? extends T, E> call, ResilienceListener extra) throws E {
        try {
            return call.call();
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError || Weft.isCallerCancellation(t) || !handles.test(t)) {
                throw t;
            }
            if (extra != null || !listeners.isEmpty()) {
                Support.emit(listeners, extra, l -> l.onFallback(name, t));
            }
            try {
                return fn.apply(t);
            } catch (Throwable f) {
                if (f != t) {
                    f.addSuppressed(t);
                }
                throw f;
            }
        }
    }

    @Override
    public String toString() {
        return "Fallback[" + name + "]";
    }
}
