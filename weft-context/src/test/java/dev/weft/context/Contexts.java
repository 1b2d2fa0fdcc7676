package dev.weft.context;

import io.micrometer.context.ContextRegistry;
import io.micrometer.context.integration.Slf4jThreadLocalAccessor;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import org.slf4j.MDC;

/** Test fixtures: a registry with the MDC, OpenTelemetry and a user ThreadLocal, and what a task saw. */
final class Contexts {
    static final ThreadLocal<String> TENANT = new ThreadLocal<>();
    static final ContextKey<String> USER = ContextKey.named("user");

    private Contexts() {
    }

    /** A fresh registry (not the global one, so that tests do not depend on each other). */
    static ContextRegistry registry() {
        return new ContextRegistry()
                .registerThreadLocalAccessor(new Slf4jThreadLocalAccessor())
                .registerThreadLocalAccessor(new OpenTelemetryAccessor())
                .registerThreadLocalAccessor("tenant", TENANT);
    }

    /** A span with the given span id (16 hex digits), in an OpenTelemetry context with a user key. */
    static Context spanContext(String spanId, String user) {
        SpanContext sc = SpanContext.create("0af7651916cd43dd8448eb211c80319c", spanId, TraceFlags.getSampled(),
                TraceState.getDefault());
        return Context.root().with(Span.wrap(sc)).with(USER, user);
    }

    /** Sets the MDC's request id, the tenant, and makes a span current: what a request filter would do. */
    static Scope enter(String requestId, String spanId) {
        MDC.put("requestId", requestId);
        TENANT.set("tenant-" + requestId);
        return spanContext(spanId, "user-" + requestId).makeCurrent();
    }

    /** What the calling thread sees: "requestId|tenant|spanId|user" ("-" for none). */
    static String seen() {
        String span = Span.current().getSpanContext().isValid() ? Span.current().getSpanContext().getSpanId() : "-";
        String user = Context.current().get(USER);
        return orDash(MDC.get("requestId")) + "|" + orDash(TENANT.get()) + "|" + span + "|" + orDash(user);
    }

    static String expected(String requestId, String spanId) {
        return requestId + "|tenant-" + requestId + "|" + spanId + "|user-" + requestId;
    }

    static final String NOTHING = "-|-|-|-";

    /** Clears everything on the calling thread. */
    static void clear() {
        MDC.clear();
        TENANT.remove();
    }

    private static String orDash(String s) {
        return s == null ? "-" : s;
    }
}
