/**
 * Weft Micrometer: {@code MeterBinder}s that publish Weft's counters (tasks, limiters, work
 * queues, channels, circuit breakers, retries, rate limiters, bulkheads, the HTTP client and the
 * web server) to a Micrometer {@code MeterRegistry}. The meters and their names are listed in
 * {@code docs/metrics.md}. weft-resilience and weft-http are optional: their binders work when the
 * application has them.
 */
module dev.weft.micrometer {
    requires transitive dev.weft.core;
    requires transitive micrometer.core;
    requires static dev.weft.resilience;
    requires static dev.weft.http;

    exports dev.weft.micrometer;
}
