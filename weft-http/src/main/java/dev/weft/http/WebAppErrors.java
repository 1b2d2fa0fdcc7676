package dev.weft.http;

import dev.weft.DeadlineExceededException;
import dev.weft.TaskFailedException;
import dev.weft.TaskGroupException;
import dev.weft.resilience.RejectedException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON error body every error answer of a {@link WebApp} uses, and the default exception mapping. */
final class WebAppErrors {
    private WebAppErrors() {
    }

    static Map<String, Object> body(int status, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("error", message);
        return m;
    }

    static WebResponse error(int status, String message) {
        return WebResponse.json(status, body(status, message));
    }

    /** See {@link ErrorMapper#defaultResponse}. */
    static WebResponse map(Exception error) {
        Throwable e = unwrap(error);
        return switch (e) {
            case WebException w -> error(w.status(), w.getMessage());
            case DeadlineExceededException d -> error(504, "deadline exceeded: " + d.getMessage());
            case HttpTimeoutException t -> error(504, "an upstream call timed out");
            case RejectedException r -> {
                WebResponse res = error(503, "service unavailable: " + r.getMessage());
                yield r.retryAfter().map(d -> res.withHeader("Retry-After", Long.toString(seconds(d)))).orElse(res);
            }
            case HttpException h -> error(502, "an upstream call failed");
            case IllegalArgumentException i -> error(400, i.getMessage() == null ? "bad request" : i.getMessage());
            default -> {
                WebApp.LOG.log(System.Logger.Level.WARNING, "a handler failed; answering 500", error);
                yield error(500, "internal server error");
            }
        };
    }

    /** Weft's own wrappers (a failed group of backends, a joined task) are mapped by what they carry. */
    private static Throwable unwrap(Throwable e) {
        Throwable t = e;
        for (int i = 0; i < 10 && (t instanceof TaskGroupException || t instanceof TaskFailedException); i++) {
            Throwable cause = t instanceof TaskGroupException g ? first(g.failures()) : t.getCause();
            if (cause == null) {
                break;
            }
            t = cause;
        }
        return t;
    }

    private static Throwable first(List<Throwable> failures) {
        return failures.isEmpty() ? null : failures.get(0);
    }

    /** Retry-After in whole seconds, rounded up, at least 1 (RFC 9110 section 10.2.3). */
    static long seconds(Duration d) {
        long s = d.toSeconds() + (d.toNanosPart() > 0 ? 1 : 0);
        return Math.max(1, s);
    }
}
