package dev.weft.context;

import io.micrometer.context.ThreadLocalAccessor;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayDeque;

/**
 * A {@link ThreadLocalAccessor} for OpenTelemetry's current {@link Context} (the current span,
 * baggage, your own {@code ContextKey}s), so that {@link MicrometerContext} carries it into Weft's
 * tasks. Register it once: {@code ContextRegistry.getInstance().registerThreadLocalAccessor(new
 * OpenTelemetryAccessor())}. Needs {@code io.opentelemetry:opentelemetry-context} (which
 * {@code opentelemetry-api} brings) at run time.
 *
 * <p>OpenTelemetry's context is not a plain {@code ThreadLocal}: it is made current with
 * {@link Context#makeCurrent()}, which returns a {@link Scope} that must be closed, in order. This
 * accessor keeps those scopes in a per-thread stack: {@code setValue} makes the context current and
 * pushes its scope, {@code restore} closes the top one, which puts back the context the thread had
 * before. The root context counts as no value (it is not captured, and a task of a spawner without
 * one runs with the root context).
 *
 * <p>Thread safety: stateless apart from the per-thread stack; one instance serves every thread.
 */
public final class OpenTelemetryAccessor implements ThreadLocalAccessor<Context> {
    /** The accessor's key in the registry. */
    public static final String KEY = "dev.weft.context.opentelemetry";

    private static final ThreadLocal<ArrayDeque<Scope>> SCOPES = new ThreadLocal<>();

    /** Creates the accessor (register one per registry). */
    public OpenTelemetryAccessor() {
    }

    /**
     * The key {@value #KEY}.
     *
     * @return the key
     */
    @Override
    public Object key() {
        return KEY;
    }

    /**
     * The calling thread's current context.
     *
     * @return the current context, or null if it is the root context
     */
    @Override
    public Context getValue() {
        Context c = Context.current();
        return c == Context.root() ? null : c;
    }

    /**
     * Makes {@code value} current on the calling thread until the matching {@code restore}.
     *
     * @param value the context
     */
    @Override
    public void setValue(Context value) {
        push(value.makeCurrent());
    }

    /** Makes the root context current on the calling thread until the matching {@code restore}. */
    @Override
    public void setValue() {
        push(Context.root().makeCurrent());
    }

    /**
     * Puts back the context the thread had before the matching {@code setValue}.
     *
     * @param previousValue the context it had (unused: closing the scope restores it)
     */
    @Override
    public void restore(Context previousValue) {
        pop();
    }

    /** Puts back the context the thread had before the matching {@code setValue}. */
    @Override
    public void restore() {
        pop();
    }

    private static void push(Scope s) {
        ArrayDeque<Scope> stack = SCOPES.get();
        if (stack == null) {
            stack = new ArrayDeque<>(2);
            SCOPES.set(stack);
        }
        stack.push(s);
    }

    private static void pop() {
        ArrayDeque<Scope> stack = SCOPES.get();
        if (stack == null || stack.isEmpty()) {
            throw new IllegalStateException("OpenTelemetryAccessor.restore without a matching setValue on this thread");
        }
        Scope s = stack.pop();
        if (stack.isEmpty()) {
            SCOPES.remove(); // nothing left behind on a reused thread
        }
        s.close();
    }
}
