package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.VirtualTime;
import dev.weft.Weft;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** ScopedValues bound at the call site: every retry attempt sees them; hedges see the ones they propagate. */
class ContextTest {
    private static final ScopedValue<String> REQUEST_ID = ScopedValue.newInstance();
    private static final ScopedValue<String> USER = ScopedValue.newInstance();

    private final VirtualTime time = VirtualTime.autoAdvancing();

    @Test
    void everyRetryAttemptSeesTheCallSitesBindings() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger n = new AtomicInteger();
        Policy p = Policy.builder().retry(Retry.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(5))).build())
                .attemptTimeout(Duration.ofSeconds(1)).build();
        ScopedValue.where(REQUEST_ID, "req-42").call(() -> time.run(() -> p.call(() -> {
            seen.add(REQUEST_ID.orElse("unbound"));
            if (n.incrementAndGet() < 3) {
                throw new IllegalStateException("again");
            }
            return "ok";
        })));
        assertEquals(List.of("req-42", "req-42", "req-42"), seen);
    }

    @Test
    void hedgedAttemptsSeeThePropagatedBindingsAndOnlyThose() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        AtomicInteger n = new AtomicInteger();
        Hedge hedge = Hedge.builder().delay(Duration.ofMillis(10)).propagate(REQUEST_ID).build();
        String r = ScopedValue.where(REQUEST_ID, "req-7").where(USER, "ana").call(() -> time.run(() -> hedge.call(() -> {
            seen.add(n.incrementAndGet() + ":" + REQUEST_ID.orElse("unbound") + ":" + USER.orElse("unbound"));
            Weft.sleep(Duration.ofMillis(n.get() == 1 ? 100 : 1));
            return "ok " + n.get();
        })));
        assertEquals(List.of("1:req-7:unbound", "2:req-7:unbound"), seen);
        assertEquals("ok 2", r, "the winning attempt's value comes back through the re-binding");
    }

    @Test
    void aPropagatedKeyThatIsNotBoundAtTheCallSiteStaysUnbound() throws Exception {
        Hedge hedge = Hedge.builder().delay(Duration.ofMillis(10)).propagate(REQUEST_ID).build();
        assertEquals("unbound", time.run(() -> hedge.call(() -> REQUEST_ID.orElse("unbound"))));
    }
}
