/**
 * Weft resilience: retry with back-off, retry budgets, circuit breakers, rate limiting, bulkheads,
 * hedging and fallbacks, composed in one {@link dev.weft.resilience.Policy} pipeline. Built on
 * Weft's cancellation and deadlines: every wait is cancellable, virtual-time aware and bounded by
 * {@link dev.weft.Deadline#current()}. Depends on {@code dev.weft.core} only.
 */
module dev.weft.resilience {
    requires transitive dev.weft.core;

    exports dev.weft.resilience;
}
