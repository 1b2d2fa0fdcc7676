/**
 * Micrometer binders for Weft. Each binder is a {@link io.micrometer.core.instrument.binder.MeterBinder}
 * over one Weft object (or, for {@link dev.weft.micrometer.TaskMetrics}, the process): call
 * {@code bindTo(registry)} once. The meters read Weft's own counters when the registry is
 * scraped, so binding costs nothing on the hot path; only {@link dev.weft.micrometer.ResilienceMetrics},
 * {@link dev.weft.micrometer.HttpClientMetrics} and {@link dev.weft.micrometer.WebAppMetrics}
 * observe events as they happen (through Weft's listener, request-policy and filter hooks).
 *
 * <p>Names follow Micrometer's conventions (lower-case, dot-separated, base units: seconds,
 * counts) and, for the resilience components, the names Resilience4j's Micrometer module uses
 * with {@code resilience4j} replaced by {@code weft} and the component's name in the tag
 * {@code name}. Every meter is listed, with its type, unit, tags and meaning, in
 * {@code docs/metrics.md}.
 */
package dev.weft.micrometer;
