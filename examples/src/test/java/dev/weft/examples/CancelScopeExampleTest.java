package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The idle-timeout sample of docs/concurrency-patterns.md, on real time: under
 * {@code VirtualTime.autoAdvancing()} it once returned empty on a machine at load average 29
 * (parts of 90 ms under a 100 ms idle deadline), which looks like the clock jumping to the
 * deadline before the woken sleeper ran again; reported, not investigated here. Parts of 10 ms
 * under a 100 ms idle deadline leave a wide margin; the timing-out case is 300 ms.
 */
class CancelScopeExampleTest {
    @Test
    void idleDeadlineMovesWithProgressAndFiresWithout() throws Exception {
        List<String> parts = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l");
        assertEquals(Optional.of("page apage bpage cpage dpage epage fpage gpage hpage ipage jpage kpage l"),
                ConcurrencyPatterns.extendWhileProgressing(parts));
        assertEquals(Optional.empty(), ConcurrencyPatterns.extendWhileProgressing(List.of("x".repeat(30))));
    }
}
