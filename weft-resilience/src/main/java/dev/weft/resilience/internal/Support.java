package dev.weft.resilience.internal;

import dev.weft.resilience.ResilienceListener;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/** Shared helpers of the resilience module: listener isolation, validation. Not API. */
public final class Support {
    /** The logger, made on first use: the first logger of a process looks up the logging backend on the
     *  whole class path (every jar opened), which a run that never logs should not pay for at start-up. */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("dev.weft.resilience");
    }


    private Support() {
    }

    /** Runs {@code event} on every listener; a listener that throws is logged and ignored. */
    public static void emit(List<ResilienceListener> listeners, ResilienceListener extra,
            Consumer<ResilienceListener> event) {
        for (int i = 0, n = listeners.size(); i < n; i++) {
            emitOne(listeners.get(i), event);
        }
        if (extra != null) {
            emitOne(extra, event);
        }
    }

    private static void emitOne(ResilienceListener l, Consumer<ResilienceListener> event) {
        try {
            event.accept(l);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError) {
                throw t;
            }
            Log.LOG.log(Level.WARNING, "resilience listener " + l + " threw; the event is ignored for it", t);
        }
    }

    /** Throws any throwable without declaring it (the callers declare {@code throws Exception}). */
    @SuppressWarnings("unchecked")
    public static <X extends Throwable> RuntimeException sneaky(Throwable t) throws X {
        throw (X) t;
    }

    /** {@code d} must be non-null and strictly positive. */
    public static Duration positive(String what, Duration d) {
        Objects.requireNonNull(d, what + " must not be null");
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
        return d;
    }

    /** {@code d} must be non-null and not negative. */
    public static Duration notNegative(String what, Duration d) {
        Objects.requireNonNull(d, what + " must not be null");
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, got " + d);
        }
        return d;
    }

    /** Nanoseconds of {@code d}, saturated at {@code Long.MAX_VALUE}. */
    public static long nanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** A percentage in (0, 100]. */
    public static double percent(String what, double p) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException(what + " must be in (0, 100] percent, got " + p);
        }
        return p;
    }

    /** A count of at least {@code min}. */
    public static int atLeast(String what, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(what + " must be >= " + min + ", got " + value);
        }
        return value;
    }
}
