package dev.weft.examples;

import dev.weft.DeadlineExceededException;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.Weft;
import dev.weft.resilience.Backoff;
import dev.weft.resilience.CircuitBreaker;
import dev.weft.resilience.Fallback;
import dev.weft.resilience.Policy;
import dev.weft.resilience.Retry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The samples of {@code docs/error-handling.md}: supervisor groups, outcomes as data, retries with
 * back-off and a fallback, deadlines as errors, and handling {@link InterruptedException}.
 */
public final class ErrorHandling {
    private ErrorHandling() {
    }

    /** A stand-in for a remote service: fails the first {@code failures} calls. */
    static final class Flaky {
        private int failures;
        private int calls;

        Flaky(int failures) {
            this.failures = failures;
        }

        synchronized String call() throws IOException {
            calls++;
            if (failures > 0) {
                failures--;
                throw new IOException("connection reset (call " + calls + ")");
            }
            return "ok after " + calls + " calls";
        }

        synchronized int calls() {
            return calls;
        }
    }

    // tag::supervisor[]
    // @start region="supervisor"
    static Map<String, String> independentJobs(List<String> names) throws InterruptedException {
        // a supervisor group: a failing task does not cancel its siblings
        return TaskGroup.supervise(group -> {
            Map<String, Task<String>> tasks = new TreeMap<>();
            for (String name : names) {
                tasks.put(name, group.spawn(name, () -> {
                    if (name.startsWith("bad")) {
                        throw new IOException(name + " failed");
                    }
                    return ConcurrencyPatterns.fetch(name);
                }));
            }
            Map<String, String> report = new TreeMap<>();
            for (var e : tasks.entrySet()) {
                // read every outcome: an unread failure is reported ("exception was never retrieved")
                report.put(e.getKey(), switch (e.getValue().outcome()) {
                    case Outcome.Success<String> s -> s.value();
                    case Outcome.Failure<String> f -> "error: " + f.error().getMessage();
                    case Outcome.Cancelled<String> c -> "cancelled";
                });
            }
            return report;
        });
    }
    // @end region="supervisor"
    // end::supervisor[]

    // tag::retry[]
    // @start region="retry"
    static final Retry RETRY = Retry.builder()
            .maxAttempts(4)                                   // attempts in all
            .backoff(Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(2))) // full jitter
            .retryOn(IOException.class)                       // never a cancellation
            .build();

    static String callWithRetry(Flaky service) throws IOException, InterruptedException {
        return RETRY.call(service::call); // keeps the checked type: throws the last IOException
    }
    // @end region="retry"
    // end::retry[]

    // tag::policy-fallback[]
    // @start region="policy-fallback"
    static final Policy INVENTORY = Policy.builder()
            .name("inventory")
            .timeout(Duration.ofSeconds(2))                    // the whole call, retries included
            .retry(Retry.builder().maxAttempts(3).retryOn(IOException.class).build())
            .circuitBreaker(CircuitBreaker.builder().name("inventory")
                    .countWindow(20).minimumCalls(10).failureRateThreshold(50).build())
            .attemptTimeout(Duration.ofMillis(500))            // each attempt
            .build();

    static String stockOrUnknown(Flaky service) throws IOException, InterruptedException {
        // the fallback answers for any failure (never for a cancellation)
        return INVENTORY.call(service::call, Fallback.of(e -> "unknown (" + e.getMessage() + ")"));
    }
    // @end region="policy-fallback"
    // end::policy-fallback[]

    // tag::deadline-error[]
    // @start region="deadline-error"
    static String withTimeoutMessage() throws InterruptedException {
        try {
            return Timeouts.failAfter(Duration.ofMillis(20), () -> ConcurrencyPatterns.fetch("a-slow-report"));
        } catch (DeadlineExceededException e) {
            return "timed out: " + e.getMessage(); // names the deadline that passed
        }
    }
    // @end region="deadline-error"
    // end::deadline-error[]

    // tag::interrupted[]
    // @start region="interrupted"
    static List<String> drainUntilCancelled(Iterable<String> work) {
        List<String> done = new ArrayList<>();
        for (String item : work) {
            try {
                done.add(ConcurrencyPatterns.fetch(item));
            } catch (InterruptedException e) {
                // this method cannot throw it: put the flag back (never swallow it) and stop
                Weft.restoreInterrupt();
                break;
            }
        }
        return done;
    }
    // @end region="interrupted"
    // end::interrupted[]

    // tag::catch-broadly[]
    // @start region="catch-broadly"
    static String tolerant(Flaky service) throws InterruptedException {
        try {
            return TaskGroup.run(group -> group.spawn(service::call).join());
        } catch (InterruptedException e) {
            throw e; // cancellation: let it through, first
        } catch (Exception e) {
            if (Weft.isCancellation(e)) {
                throw e; // a cancellation wrapped by a library: still not ours to swallow
            }
            return "degraded: " + e.getMessage();
        }
    }
    // @end region="catch-broadly"
    // end::catch-broadly[]
}
