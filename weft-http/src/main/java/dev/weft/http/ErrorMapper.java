package dev.weft.http;

/**
 * Turns an exception thrown by a route's handler (or a filter) into the response, overriding
 * {@link WebApp}'s default mapping for the exceptions it chooses. Registered with
 * {@link WebApp.Builder#errorMapper}; mappers are tried in the order they were added, and the first
 * one that returns a response wins; when all return {@code null} the defaults apply (see
 * {@link #defaultResponse}).
 *
 * {@snippet :
 * WebApp.builder()
 *         .errorMapper((req, e) -> e instanceof NoSuchElementException ? WebResponse.status(404) : null)
 *         ...
 * }
 *
 * <p>A mapper that throws is logged and the default mapping applies. Mappers run on the request's
 * thread after the handler returned, outside the request's deadline.
 */
@FunctionalInterface
public interface ErrorMapper {
    /**
     * The response for {@code error}, or {@code null} to leave it to the next mapper and then the
     * defaults.
     *
     * @param request the request whose handler threw
     * @param error what it threw (never an {@code InterruptedException}: a request cancelled because
     *     the server is stopping always gets 503)
     * @return the response, or null
     */
    WebResponse toResponse(WebRequest request, Exception error);

    /**
     * The default mapping, applied after every registered mapper returned {@code null}. Each answer
     * has a JSON body {@code {"status": ..., "error": ...}}:
     * <ul>
     *   <li>{@link WebException}: its status and message;</li>
     *   <li>{@link dev.weft.DeadlineExceededException} (the request's own deadline, or one inside
     *       the handler) and {@link HttpTimeoutException} (an outgoing call timed out): 504;</li>
     *   <li>{@link dev.weft.resilience.RejectedException} (an open circuit breaker, a full bulkhead,
     *       a rate limiter): 503, with {@code Retry-After} (whole seconds, rounded up) when the
     *       rejection knows it;</li>
     *   <li>{@link HttpException} (any other failure of an outgoing call): 502;</li>
     *   <li>{@link IllegalArgumentException}: 400, <em>its message sent to the client</em> (throw it
     *       for validation errors, with a message meant for the caller);</li>
     *   <li>anything else: 500, logged with its stack trace; the message is not sent.</li>
     * </ul>
     * A {@link dev.weft.TaskGroupException} or {@link dev.weft.TaskFailedException} (a failed
     * {@code gather} of backends, a joined task) is mapped by its cause.
     *
     * @param error the exception
     * @return the response
     */
    static WebResponse defaultResponse(Exception error) {
        return WebAppErrors.map(error);
    }
}
