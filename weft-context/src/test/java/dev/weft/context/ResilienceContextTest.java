package dev.weft.context;

import static dev.weft.context.Contexts.enter;
import static dev.weft.context.Contexts.expected;
import static dev.weft.context.Contexts.seen;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.ContextPropagation;
import dev.weft.TaskGroup;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import dev.weft.resilience.Backoff;
import dev.weft.resilience.Hedge;
import dev.weft.resilience.Policy;
import dev.weft.resilience.Retry;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** MDC, span and user ThreadLocal in hedged attempts and in retries (issue 16), with no per-key setup. */
class ResilienceContextTest {
    private final VirtualTime time = VirtualTime.autoAdvancing();
    private ContextPropagation.Registration reg;

    @BeforeEach
    void install() {
        reg = MicrometerContext.install(Contexts.registry());
    }

    @AfterEach
    void cleanUp() {
        reg.close();
        Contexts.clear();
    }

    @Test
    void everyHedgedAttemptSeesTheCallersContextAndNotAnotherAttemptsChange() throws Exception {
        Hedge hedge = Hedge.builder().delay(Duration.ofMillis(10)).maxAttempts(3).build(); // no propagate(...) needed
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger n = new AtomicInteger();
        try (Scope s = enter("h1", "0123456789abcdef")) {
            String r = time.run(() -> hedge.call(() -> {
                int a = n.incrementAndGet();
                seen.add(a + ":" + seen());
                enter("attempt-" + a, "fedcba9876543210"); // a change inside one attempt only
                Weft.sleep(Duration.ofMillis(a == 3 ? 1 : 100)); // the third attempt wins
                return "ok " + a;
            }));
            assertEquals("ok 3", r);
            String want = expected("h1", "0123456789abcdef");
            assertEquals(List.of("1:" + want, "2:" + want, "3:" + want), seen);
            assertEquals(want, seen(), "the caller after the hedge");
        }
    }

    @Test
    void everyRetryAttemptSeesTheCallersContextAlsoAfterABackOff() throws Exception {
        Policy p = Policy.builder()
                .retry(Retry.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(50))).build())
                .attemptTimeout(Duration.ofSeconds(1))
                .build();
        List<String> seen = new CopyOnWriteArrayList<>();
        try (Scope s = enter("r1", "1122334455667788")) {
            String r = time.run(() -> p.call(() -> {
                seen.add(seen());
                if (seen.size() < 3) {
                    throw new IllegalStateException("again");
                }
                return "ok";
            }));
            assertEquals("ok", r);
            String want = expected("r1", "1122334455667788");
            assertEquals(List.of(want, want, want), seen);
        }
    }

    @Test
    void aRetryInsideATaskSeesTheSpawnersContextAndAHedgeInsideARetryToo() throws Exception {
        Policy p = Policy.builder()
                .retry(Retry.builder().maxAttempts(2).backoff(Backoff.fixed(Duration.ofMillis(5))).build())
                .hedge(Hedge.builder().delay(Duration.ofMillis(10)).build())
                .build();
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger n = new AtomicInteger();
        try (Scope s = enter("r2", "8877665544332211")) {
            String r = time.run(() -> TaskGroup.run(g -> g.spawn(() -> p.call(() -> {
                seen.add(seen());
                if (n.incrementAndGet() == 1) {
                    MDC.put("requestId", "spoiled"); // on a hedge attempt's own thread: gone with it
                    throw new IllegalStateException("first attempt fails");
                }
                return "ok";
            })).join()));
            assertEquals("ok", r);
            String want = expected("r2", "8877665544332211");
            assertEquals(List.of(want, want), seen);
        }
    }
}
