package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DeadlineExceededException;
import dev.weft.test.WeftTest;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs every sample of docs/mixing-sync-async.md. */
@WeftTest
class MixingSyncAsyncTest {
    @AfterEach
    void noStrayInterrupt() {
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void blockingCallsRunInTasks() throws Exception {
        var client = new MixingSyncAsync.LegacyClient();
        assertEquals(List.of("A", "B", "C"), MixingSyncAsync.lookUpAll(client, List.of("a", "b", "c")));
        assertEquals(3, client.calls().size());
    }

    @Test
    void awaitingACompletedFuture() throws Exception {
        assertEquals("42", MixingSyncAsync.priceWithin(CompletableFuture.completedFuture("42")));
    }

    @Test
    void aFutureThatNeverCompletesIsCancelledAtTheDeadline() {
        CompletableFuture<String> never = new CompletableFuture<>();
        assertThrows(DeadlineExceededException.class, () -> MixingSyncAsync.priceWithin(never));
        assertTrue(never.isCancelled(), "the producer was told");
    }

    @Test
    void exposedFutureRunsOnVirtualThreads() throws Exception {
        try (ExecutorService vt = Executors.newVirtualThreadPerTaskExecutor()) {
            assertEquals(new ConcurrencyPatterns.Dashboard("page user", "page orders"),
                    MixingSyncAsync.dashboardAsync(vt).get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void callbacksArriveThroughAChannel() throws Exception {
        assertEquals(List.of("tick 0", "tick 1", "tick 2", "tick 3", "tick 4"),
                MixingSyncAsync.collectTicks(new MixingSyncAsync.Ticker()));
    }

    @Test
    void tokenIsFetchedOnceUnderContention() throws Exception {
        var auth = new MixingSyncAsync.LegacyClient();
        MixingSyncAsync.token = null;
        List<String> tokens = dev.weft.Weft.map(List.of(1, 2, 3, 4, 5, 6, 7, 8), 8, i -> MixingSyncAsync.refreshToken(auth));
        assertEquals(8, tokens.stream().filter("TOKEN"::equals).count());
        assertEquals(List.of("token"), auth.calls());
    }

    @Test
    void plainCodeOpensAGroup() throws Exception {
        assertEquals(List.of("A", "B"), MixingSyncAsync.fromPlainCode(new MixingSyncAsync.LegacyClient()));
    }
}
