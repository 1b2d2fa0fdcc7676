package dev.weft.http;

/**
 * A hook around every request to one host: retry, circuit breaking, rate limiting, hedging.
 * {@link HttpSession} looks up one policy per host (scheme, host and port) when it first talks to
 * that host, through the function given to {@link HttpSession.Builder#policyPerHost}, and runs
 * each request as {@code policy.execute(request, attempt)}. The policy calls {@code attempt} zero
 * or more times (zero: rejected, for instance by an open breaker; several: retried) and returns a
 * response or throws.
 *
 * {@snippet :
 * RequestPolicy retryOnce = new RequestPolicy() {
 *     public <R> R execute(Request request, Attempt<R> attempt) throws InterruptedException {
 *         try {
 *             return attempt.run(request);
 *         } catch (HttpException e) {
 *             return attempt.run(request);
 *         }
 *     }
 * };
 * }
 *
 * <p>Each attempt acquires its own concurrency permits, so a policy sleeping between attempts
 * (a back-off) holds no permit and no connection. Each attempt's timeouts are the request's; the
 * caller's {@link dev.weft.Deadline#current()} bounds them all, including the back-off sleeps if
 * the policy uses {@link dev.weft.Weft#sleep}. A policy must let {@link InterruptedException}
 * through (never retry a cancellation).
 *
 * <p>The type parameter is {@link Response} for {@link HttpSession#send} and
 * {@link StreamingResponse} for {@link HttpSession#stream} (retried only until the headers
 * arrived). weft-resilience's {@code Policy} plugs in through {@link RequestPolicies}.
 */
public interface RequestPolicy {

    /**
     * One attempt at the exchange.
     *
     * @param <R> what the attempt returns: a {@link Response} or a {@link StreamingResponse}
     */
    @FunctionalInterface
    interface Attempt<R> {
        /**
         * Makes one attempt.
         * @param request the request to send
         * @return the attempt's response
         * @throws InterruptedException if the caller is cancelled during the attempt
         */
        R run(Request request) throws InterruptedException;
    }

    /**
     * Runs the request under this policy.
     *
     * @param <R> what the attempt returns
     * @param request the request to send
     * @param attempt makes one attempt; the policy calls it once or more
     * @return the response of the attempt the policy accepted
     * @throws InterruptedException if the caller is cancelled (the attempt in flight is aborted)
     */
    <R> R execute(Request request, Attempt<R> attempt) throws InterruptedException;

    /**
     * The policy that runs every request exactly once.
     *
     * @return the policy without retries or limits (one shared instance)
     */
    static RequestPolicy none() {
        return NoPolicy.INSTANCE;
    }
}
