package dev.weft.http;

/**
 * Middleware around every route of a {@link WebApp} (aiohttp's {@code @web.middleware}): it may
 * inspect or refuse the request, call {@code next} (the rest of the chain and the route's
 * handler) zero or one time, and change the response. Filters run in the order they were added,
 * the first added outermost. Health endpoints do not go through filters.
 *
 * {@snippet :
 * WebFilter timing = (req, next) -> {
 *     long t0 = System.nanoTime();
 *     WebResponse r = next.handle(req);
 *     return r.withHeader("Server-Timing", "app;dur=" + (System.nanoTime() - t0) / 1_000_000.0);
 * };
 * }
 */
@FunctionalInterface
public interface WebFilter {
    /**
     * Filters one request.
     * @param request the request
     * @param next the rest of the chain; call it at most once
     * @return the response to send
     * @throws Exception any failure, answered like a handler's (a {@link WebException} with its status)
     */
    WebResponse filter(WebRequest request, WebHandler next) throws Exception;
}
