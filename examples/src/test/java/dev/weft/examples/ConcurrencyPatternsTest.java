package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.VirtualTime;
import dev.weft.test.WeftTest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs every sample of docs/concurrency-patterns.md, on virtual time. */
@WeftTest
class ConcurrencyPatternsTest {
    @AfterEach
    void noStrayInterrupt() {
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void gatherReturnsResultsInOrder(VirtualTime time) throws Exception {
        assertEquals(List.of("page a", "page b", "page c"), ConcurrencyPatterns.gatherPages());
        assertEquals(Duration.ofMillis(10), time.elapsed(), "concurrent: the longest, not the sum");
    }

    @Test
    void taskGroupJoinsBoth(VirtualTime time) throws Exception {
        assertEquals(new ConcurrencyPatterns.Dashboard("page user", "page orders"), ConcurrencyPatterns.dashboard());
        assertEquals(Duration.ofMillis(60), time.elapsed());
    }

    @Test
    void aFailureCancelsTheSiblingAndIsTheOnlyFailure() throws Exception {
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        List<Throwable> failures = ConcurrencyPatterns.failFast(log);
        assertEquals(1, failures.size());
        assertInstanceOf(IOException.class, failures.get(0));
        assertEquals(List.of("slow task ended"), log);
    }

    @Test
    void gatherOutcomesKeepsEveryOutcome() throws Exception {
        List<Outcome<String>> all = ConcurrencyPatterns.gatherEveryOutcome();
        assertEquals(new Outcome.Success<>("page a"), all.get(0));
        assertInstanceOf(Outcome.Failure.class, all.get(1));
        assertEquals(new Outcome.Success<>("page c"), all.get(2));
    }

    @Test
    void raceReturnsTheFastest(VirtualTime time) throws Exception {
        assertEquals("page fast.example", ConcurrencyPatterns.fastestMirror());
        assertEquals(Duration.ofMillis(120), time.elapsed(), "the loser was cancelled, not waited for");
    }

    @Test
    void asCompletedHandsBackInFinishingOrder(VirtualTime time) throws Exception {
        // on virtual time: the order is the sleeps' order whatever the machine's load (on real time,
        // 30 ms and 50 ms sleepers were once handed back inverted at load average 38)
        assertEquals(List.of("page b", "page ccc", "page aaaaa"),
                ConcurrencyPatterns.inCompletionOrder(List.of("aaaaa", "b", "ccc")));
        assertEquals(Duration.ofMillis(50), time.elapsed());
    }

    @Test
    void mapKeepsInputOrder() throws Exception {
        List<String> urls = IntStream.range(0, 50).mapToObj(i -> "u" + "x".repeat(i % 7)).toList();
        List<Integer> sizes = ConcurrencyPatterns.boundedFanOut(urls);
        assertEquals(urls.stream().map(u -> ("page " + u).length()).toList(), sizes);
    }

    @Test
    void limiterRunsTheQuery() throws Exception {
        assertEquals("page select 1", ConcurrencyPatterns.query("select 1"));
        assertEquals(4, ConcurrencyPatterns.DATABASE.available());
    }

    @Test
    void timeouts(VirtualTime time) throws Exception {
        assertEquals("page backend", ConcurrencyPatterns.mustAnswerInTime());
        assertEquals(Optional.empty(), ConcurrencyPatterns.bestEffort());
    }

    @Test
    void shieldLetsTheCommitFinish() throws Exception {
        List<String> journal = new ArrayList<>();
        assertEquals(Optional.empty(), ConcurrencyPatterns.commitEvenIfCancelled(journal));
        assertEquals(List.of("committed"), journal);
    }

    @Test
    void channelPipelineSums() throws Exception {
        assertEquals(500_500L, ConcurrencyPatterns.pipeline(1000));
    }

    @Test
    void workQueueProcessesEveryJobOnce() throws Exception {
        List<String> jobs = IntStream.range(0, 40).mapToObj(i -> "job" + i).toList();
        List<String> done = new ArrayList<>(ConcurrencyPatterns.workers(jobs));
        Collections.sort(done);
        assertEquals(jobs.stream().map(j -> "page " + j).sorted().toList(), done);
    }

    @Test
    void eventReleasesTheWaiter() throws Exception {
        assertEquals("page after-ready", ConcurrencyPatterns.waitForReady());
    }

    @Test
    void offloadComputes() throws Exception {
        byte[] data = new byte[10_000];
        long h = 1125899906842597L;
        for (byte b : data) {
            h = 31 * h + b;
        }
        assertEquals(h, ConcurrencyPatterns.checksum(data));
    }

    @Test
    void plainJdkAlternativesGiveTheSameResult() throws Exception {
        var expected = new ConcurrencyPatterns.Dashboard("page user", "page orders");
        assertEquals(expected, ConcurrencyPatterns.dashboardWithStructuredTaskScope());
        assertEquals(expected, ConcurrencyPatterns.dashboardWithExecutor());
    }
}
