/**
 * Weft context: carries {@code ThreadLocal} contexts into every Weft task through Micrometer's
 * {@code context-propagation} library ({@link dev.weft.context.MicrometerContext}), with an accessor
 * for OpenTelemetry's {@code Context} ({@link dev.weft.context.OpenTelemetryAccessor}, needs
 * {@code opentelemetry-context} at run time).
 */
@SuppressWarnings("requires-transitive-automatic") // context-propagation is an automatic module (no module-info)
module dev.weft.context {
    requires transitive dev.weft.core;
    requires transitive context.propagation; // ContextRegistry appears in the API
    requires static io.opentelemetry.context; // OpenTelemetryAccessor only

    exports dev.weft.context;
}
