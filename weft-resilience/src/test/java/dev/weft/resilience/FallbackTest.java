package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.resilience.TestSupport.Boom;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Fallback on its own: which failures it handles, what it reports, and what a failing fallback throws. */
class FallbackTest {
    @Test
    void aSuccessPassesThroughAndTheFallbackIsNotCalled() throws Exception {
        AtomicInteger called = new AtomicInteger();
        Fallback<String> fb = Fallback.of(e -> "fallback " + called.incrementAndGet());
        assertEquals("ok", fb.call(() -> "ok"));
        assertEquals(0, called.get());
        assertEquals("fallback 1", fb.call(() -> {
            throw new Boom("down");
        }));
        assertEquals("cached", Fallback.value("cached").call(() -> {
            throw new IOException("any failure");
        }));
    }

    @Test
    void theFallbackFunctionReceivesTheFailure() throws Exception {
        Boom boom = new Boom("down");
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        assertEquals("x", Fallback.<String>of(e -> {
            seen.add(e);
            return "x";
        }).call(() -> {
            throw boom;
        }));
        assertEquals(List.of(boom), seen);
    }

    @Test
    void handlingLimitsTheFallbackToTheGivenTypesAndTheirSubtypes() throws Exception {
        Fallback<String> fb = Fallback.value("fell back").handling(IOException.class);
        assertEquals("fell back", fb.call(() -> {
            throw new FileNotFoundException("a subtype of IOException");
        }));
        Boom boom = new Boom("not an IOException");
        assertSame(boom, assertThrows(Boom.class, () -> fb.call(() -> {
            throw boom;
        })), "an unhandled failure passes unchanged");
        Fallback<String> onlyIf = Fallback.value("fell back").handlingIf(e -> e.getMessage().startsWith("retryable"));
        assertEquals("fell back", onlyIf.call(() -> {
            throw new Boom("retryable: 503");
        }));
        assertThrows(Boom.class, () -> onlyIf.call(() -> {
            throw new Boom("fatal");
        }));
    }

    @Test
    void aCancellationIsNeverReplacedByTheFallback() {
        Fallback<String> fb = Fallback.value("fell back");
        InterruptedException cancelled = new InterruptedException("cancelled");
        assertSame(cancelled, assertThrows(InterruptedException.class, () -> fb.call(() -> {
            throw cancelled;
        })));
    }

    @Test
    void aFailingFallbackThrowsItsOwnFailureWithTheOriginalSuppressed() {
        Boom original = new Boom("down");
        IllegalStateException fromFallback = new IllegalStateException("no cached value");
        Fallback<String> fb = Fallback.of(e -> {
            throw fromFallback;
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fb.call(() -> {
            throw original;
        }));
        assertSame(fromFallback, e);
        assertArrayEquals(new Throwable[] {original}, e.getSuppressed());
    }

    @Test
    void aFallbackThatRethrowsTheOriginalFailurePassesItOnUnchanged() {
        Boom original = new Boom("down");
        Fallback<String> rethrow = Fallback.of(e -> {
            throw (Boom) e;
        });
        Boom e = assertThrows(Boom.class, () -> rethrow.call(() -> {
            throw original;
        }));
        assertSame(original, e);
        assertEquals(0, e.getSuppressed().length, "no self-suppression");
    }

    @Test
    void listenersHearEachFallbackUnderTheFallbacksName() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        ResilienceCounters counters = new ResilienceCounters();
        Fallback<String> fb = Fallback.value("cached").named("cache").withListener(new ResilienceListener() {
            @Override
            public void onFallback(String name, Throwable failure) {
                heard.add(name + ": " + failure.getMessage());
            }
        }).withListener(counters).handling(Boom.class);
        assertEquals("cache", fb.name());
        assertEquals("Fallback[cache]", fb.toString());
        fb.call(() -> "ok");
        fb.call(() -> {
            throw new Boom("down");
        });
        assertThrows(IOException.class, () -> fb.call(() -> {
            throw new IOException("not handled");
        }));
        assertEquals(List.of("cache: down"), heard, "only a handled failure is a fallback");
        assertEquals(1, counters.fallbacks());
        assertTrue(counters.toString().contains("fallbacks=1"), counters.toString());
        assertEquals("fallback", Fallback.value("x").name(), "the default name");
    }
}
