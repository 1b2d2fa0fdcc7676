package dev.weft.http;

/**
 * Handles one request of a {@link WebApp} route and returns the response. Runs on the request's
 * own virtual thread, inside a {@link dev.weft.CancelScope} whose deadline is the app's request
 * timeout: blocking calls are fine, and Weft operations inside ({@link HttpSession} requests,
 * limiter waits, {@link dev.weft.Weft#sleep}) shorten themselves to that deadline.
 */
@FunctionalInterface
public interface WebHandler {
    /**
     * Handles one request.
     * @param request the request
     * @return the response to send
     * @throws Exception any failure: a {@link WebException} is answered with its status, a timeout with
     *     504, a resilience rejection with 503, anything else with 500 (logged)
     */
    WebResponse handle(WebRequest request) throws Exception;
}
