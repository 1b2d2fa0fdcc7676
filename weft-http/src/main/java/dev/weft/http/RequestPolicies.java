package dev.weft.http;

import dev.weft.Work;
import dev.weft.resilience.CircuitBreaker;
import dev.weft.resilience.Policy;
import dev.weft.resilience.Retry;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * weft-resilience's {@link Policy} as {@link HttpSession}'s per-host {@link RequestPolicy}
 * (ADR 0303): retry with a budget, circuit breaker and rate limit around every request to a host.
 *
 * {@snippet :
 * HttpSession session = HttpSession.builder()
 *         .limit(64).limitPerHost(8)
 *         .policyPerHost(RequestPolicies.perHost(host -> Policy.builder()
 *                 .name(host)
 *                 .rateLimiter(RateLimiter.of(50, Duration.ofSeconds(1)))   // one token per request
 *                 .retry(RequestPolicies.retry()                             // what HTTP may retry
 *                         .maxAttempts(3).budget(RetryBudget.defaults()).build())
 *                 .circuitBreaker(RequestPolicies.circuitBreaker().name(host)
 *                         .waitForTrial(Duration.ofSeconds(30)).build())          // wait, don't fail
 *                 .build()))
 *         .build();
 * }
 *
 * <h2>What fails, what is retried</h2>
 * <ul>
 *   <li>A response whose status is a <em>failure status</em> (by default 429, 502, 503 and 504;
 *       {@link #of(Policy, IntPredicate)} to choose) is thrown inside the policy as a
 *       {@link RetryableStatusException}: the breaker counts it as a failure, the retry retries it,
 *       waiting the server's {@code Retry-After} instead of its back-off (it implements
 *       {@link dev.weft.resilience.RetryAfter}). When the policy gives up, the caller gets the last
 *       response, as without a policy: statuses stay data.</li>
 *   <li>A 429 or 503 carrying {@code Retry-After} is back-pressure, not failure: it is thrown as
 *       {@link BackPressureException} (weft-resilience's {@link dev.weft.resilience.BackPressure}),
 *       so the retry retries it after the server's delay without taking from its budget, and the
 *       breaker does not count it. The session pauses the host meanwhile (see
 *       {@link HttpSession.Builder#maxRetryAfterPause}).</li>
 *   <li>{@link #serverError(Object)}, used by {@link #circuitBreaker()} as the breaker's
 *       {@link CircuitBreaker.Builder#recordResult}: any other response with a 5xx status (500, 501...)
 *       is returned to the caller at once (not retried) but counts as a failure of the host in the
 *       breaker, decided from the result, with nothing thrown.</li>
 *   <li>{@link #retryable(Throwable)}, used by {@link #retry()}: connection errors
 *       ({@link HttpException}; not TLS, invalid-response, redirect-loop or body-size failures,
 *       which would repeat), connect and read timeouts, and {@link HttpTimeoutException.Kind#ACQUIRE}
 *       timeouts (the request was never sent, so retrying is safe for any method). Never a total
 *       or deadline timeout (the time is spent), never a cancellation (weft-resilience lets
 *       cancellations through unretried), never a plain 4xx/5xx status.</li>
 * </ul>
 *
 * <h2>Permits and order</h2> Each attempt the policy makes is a full session attempt: it takes its
 * own global and per-host permits, so a back-off or a rate-limiter wait holds none. The policy's
 * rate limiter takes one token per request (retries are bounded by the retry budget); the breaker
 * sees every attempt. A refused request throws the policy's
 * {@link dev.weft.resilience.RejectedException} ({@code CircuitBreakerOpenException},
 * {@code RateLimitedException}) without contacting the server. A breaker built with
 * {@code waitForTrial} makes a request it would refuse wait for the breaker's trial period instead,
 * within the request's deadline: for bulk fetching, where a URL should be given up only when its
 * own limits say so.
 *
 * <h2>Streams</h2> For {@link HttpSession#stream}, a streaming response with a failure status is
 * closed (its connection freed) when the policy starts the next attempt or throws.
 */
public final class RequestPolicies {
    private static final IntPredicate DEFAULT_FAILURE_STATUS = RequestPolicies::retryableStatus;

    private RequestPolicies() {
    }

    /**
     * {@code policy} around every request, failure statuses 429, 502, 503 and 504.
     *
     * @param policy the resilience policy to run each request under
     * @return the request policy
     */
    public static RequestPolicy of(Policy policy) {
        return of(policy, DEFAULT_FAILURE_STATUS);
    }

    /**
     * {@code policy} around every request; a response whose status matches {@code failureStatus} counts as a failure inside it.
     *
     * @param policy the resilience policy to run each request under
     * @param failureStatus tells which statuses count as failures (retried, counted by the breaker)
     * @return the request policy
     */
    public static RequestPolicy of(Policy policy, IntPredicate failureStatus) {
        return new Adapter(Objects.requireNonNull(policy, "policy"), Objects.requireNonNull(failureStatus, "failureStatus"));
    }

    /**
     * For {@link HttpSession.Builder#policyPerHost}: one {@link Policy} per host key (built once per
     * host by {@code factory}, so a breaker, a budget and a rate limiter are per host).
     *
     * @param factory builds one host's policy from its host key
     * @return a factory for {@link HttpSession.Builder#policyPerHost}
     */
    public static Function<String, RequestPolicy> perHost(Function<String, Policy> factory) {
        Objects.requireNonNull(factory, "factory");
        return host -> of(Objects.requireNonNull(factory.apply(host), () -> "the policy factory returned null for " + host));
    }

    /**
     * A {@link Retry} builder preset for HTTP: {@code retryIf(RequestPolicies::retryable)}.
     *
     * @return a new retry builder
     */
    public static Retry.Builder retry() {
        return Retry.builder().retryIf(RequestPolicies::retryable);
    }

    /**
     * A {@link CircuitBreaker} builder preset for HTTP: {@code recordResult(RequestPolicies::serverError)},
     * so a response with a 5xx status counts as a failure of the host even when it is not a failure
     * status (not retried, returned to the caller as data).
     *
     * @return a new builder; set the name (the host) and the thresholds
     */
    public static CircuitBreaker.Builder circuitBreaker() {
        return CircuitBreaker.builder().recordResult(RequestPolicies::serverError);
    }

    /**
     * Whether {@code result} is a {@link Response} or {@link StreamingResponse} with a 5xx status: the
     * server failed, whatever it was asked.
     *
     * @param result what a request returned (anything else: false)
     * @return whether it is a response with status 500 to 599
     */
    public static boolean serverError(Object result) {
        int status = statusOf(result);
        return status >= 500 && status <= 599;
    }

    /**
     * 429, 502, 503 or 504: statuses worth another attempt.
     *
     * @param status an HTTP status code
     * @return {@code true} for 429, 502, 503 and 504
     */
    public static boolean retryableStatus(int status) {
        return status == 429 || status == 502 || status == 503 || status == 504;
    }

    /**
     * Whether an attempt's failure is worth another attempt: a failure status, a connection error
     * (refused, closed or reset, DNS, other network errors), a connect, read or acquire timeout.
     * Not a total or deadline timeout, not a cancellation, and not a failure that would repeat
     * itself: a TLS failure, an invalid response, too many redirects, a body too large.
     *
     * @param t an attempt's failure
     * @return whether to retry it
     */
    public static boolean retryable(Throwable t) {
        if (t instanceof RetryableStatusException) {
            return true;
        }
        if (t instanceof HttpTimeoutException h) {
            return switch (h.kind()) {
                case ACQUIRE, CONNECT, READ -> true;
                case TOTAL, DEADLINE -> false;
            };
        }
        if (t instanceof HttpStatusException) {
            return false;
        }
        if (t instanceof HttpException h) {
            return switch (h.errorKind()) {
                // the same answer again: a certificate, a malformed response, a loop, a size
                case TLS, INVALID_RESPONSE, TOO_MANY_REDIRECTS, BODY_TOO_LARGE -> false;
                default -> true;
            };
        }
        return false;
    }

    /**
     * Parses a {@code Retry-After} value: delay-seconds or an HTTP date (RFC 9110, section 10.2.3);
     * a date in the past is zero. Empty if null or malformed.
     *
     * @param value the header's value, or null
     * @return the delay, or empty if the value is null or malformed
     */
    public static Optional<Duration> parseRetryAfter(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.strip();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            } catch (NumberFormatException e) {
                return Optional.empty(); // absurdly long
            }
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(Instant.now(), at);
            return Optional.of(d.isNegative() ? Duration.ZERO : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static int statusOf(Object r) {
        if (r instanceof Response x) {
            return x.status();
        }
        if (r instanceof StreamingResponse x) {
            return x.status();
        }
        return -1;
    }

    private static Optional<Duration> retryAfterOf(Object r) {
        if (r instanceof Response x) {
            return x.retryAfter();
        }
        if (r instanceof StreamingResponse x) {
            return x.retryAfter();
        }
        return Optional.empty();
    }

    private static void discard(Object r) {
        if (r instanceof StreamingResponse s) {
            s.close();
        }
    }

    private record Adapter(Policy policy, IntPredicate failureStatus) implements RequestPolicy {
        @Override
        public <R> R execute(Request request, Attempt<R> attempt) throws InterruptedException {
            Object[] failed = new Object[1]; // the last response with a failure status, kept to return or close
            Work<R, InterruptedException> call = () -> {
                discard(failed[0]); // a new attempt: the retry let the previous one go
                failed[0] = null;
                R r = attempt.run(request);
                int status = statusOf(r);
                if (status >= 0 && failureStatus.test(status)) {
                    failed[0] = r;
                    URI uri = r instanceof Response x ? x.uri() : request.uri();
                    Optional<Duration> ra = retryAfterOf(r);
                    throw HttpSession.isBackPressure(status, ra)
                            ? new BackPressureException(request.method(), uri, status, ra, r)
                            : new RetryableStatusException(request.method(), uri, status, ra, r);
                }
                return r;
            };
            try {
                return policy.call(call);
            } catch (RetryableStatusException e) {
                if (e.response() == failed[0] && failed[0] != null) {
                    @SuppressWarnings("unchecked") // the response the attempt returned, of type R
                    R r = (R) failed[0];
                    return r;
                }
                discard(failed[0]);
                throw e;
            } catch (InterruptedException | RuntimeException | Error e) {
                discard(failed[0]);
                throw e;
            }
        }

        @Override
        public String toString() {
            return "RequestPolicies.of(" + policy + ")";
        }
    }
}
