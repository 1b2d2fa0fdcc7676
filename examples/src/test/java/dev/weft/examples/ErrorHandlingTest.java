package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.TaskGroup;
import dev.weft.VirtualTime;
import dev.weft.test.WeftTest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs every sample of docs/error-handling.md, on virtual time. */
@WeftTest
class ErrorHandlingTest {
    @AfterEach
    void noStrayInterrupt() {
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void supervisorKeepsGoingAndReadsEveryOutcome() throws Exception {
        Map<String, String> r = ErrorHandling.independentJobs(List.of("a", "bad-one", "c"));
        assertEquals(Map.of("a", "page a", "bad-one", "error: bad-one failed", "c", "page c"), r);
    }

    @Test
    void retryRecoversAfterTwoFailures(VirtualTime time) throws Exception {
        var service = new ErrorHandling.Flaky(2);
        assertEquals("ok after 3 calls", ErrorHandling.callWithRetry(service));
        assertEquals(3, service.calls());
    }

    @Test
    void retryGivesUpWithTheLastFailure(VirtualTime time) {
        var service = new ErrorHandling.Flaky(10);
        IOException e = assertThrows(IOException.class, () -> ErrorHandling.callWithRetry(service));
        assertEquals("connection reset (call 4)", e.getMessage());
    }

    @Test
    void fallbackAnswersWhenRetriesRunOut(VirtualTime time) throws Exception {
        assertEquals("unknown (connection reset (call 3))", ErrorHandling.stockOrUnknown(new ErrorHandling.Flaky(5)));
        assertEquals("ok after 2 calls", ErrorHandling.stockOrUnknown(new ErrorHandling.Flaky(1)));
    }

    @Test
    void deadlineIsAnError(VirtualTime time) throws Exception {
        assertTrue(ErrorHandling.withTimeoutMessage().startsWith("timed out: "), ErrorHandling.withTimeoutMessage());
    }

    @Test
    void interruptIsPutBackNotSwallowed() throws Exception {
        List<String> done = TaskGroup.run(g -> g.spawn(() -> {
            Thread.currentThread().interrupt(); // as a cancellation would
            List<String> d = ErrorHandling.drainUntilCancelled(List.of("a", "b"));
            boolean flag = Thread.interrupted();
            return flag ? d : null;
        }).join());
        assertEquals(List.of(), done, "stopped at the first wait, flag restored");
    }

    @Test
    void tolerantDegradesOnFailureButNotOnCancellation() throws Exception {
        assertTrue(ErrorHandling.tolerant(new ErrorHandling.Flaky(1)).startsWith("degraded: "));
        assertEquals("ok after 1 calls", ErrorHandling.tolerant(new ErrorHandling.Flaky(0)));
    }
}
