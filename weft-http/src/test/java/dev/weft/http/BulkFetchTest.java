package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BulkFetchTest {
    static FetchServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        server = new FetchServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /**
     * Limits generous enough for a loaded machine (the tests assert outcomes, not durations); the
     * endpoints that never end are stopped by maxBody or by their own short total timeout ({@link #briefly}).
     */
    static BulkFetch.Builder quick() {
        return BulkFetch.builder().limit(16)
                .timeouts(new HttpTimeouts(null, Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(60)))
                .retries(1).backoff(Duration.ofMillis(5), Duration.ofMillis(20));
    }

    /** A GET whose attempts end after a short total time, body included (for endpoints that never end). */
    static Request briefly(String url) {
        return Request.get(url).withTimeouts(new HttpTimeouts(null, Duration.ofSeconds(20), Duration.ofSeconds(20), Duration.ofSeconds(1)));
    }

    /** Input lines (parsed as weft fetch does) and requests, numbered by position. */
    static Iterator<FetchRequest> items(List<?> items) {
        List<FetchRequest> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(items.get(i) instanceof Request r ? FetchRequest.of(r) : FetchRequest.parseLine(i + 1, (String) items.get(i)));
        }
        return out.iterator();
    }

    static final class Collect implements FetchListener {
        final ConcurrentLinkedQueue<FetchResult> results = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<FetchRequest> skipped = new ConcurrentLinkedQueue<>();

        @Override
        public void onResult(FetchResult r) {
            results.add(r);
        }

        @Override
        public void onSkipped(FetchRequest r) {
            skipped.add(r);
        }

        Map<Long, FetchResult> byLine() {
            Map<Long, FetchResult> m = new HashMap<>();
            for (FetchResult r : results) {
                assertNull(m.put(r.line(), r), "two results for line " + r.line());
            }
            return m;
        }
    }

    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void everyRequestGetsExactlyOneResultWhateverTheServerDoes() throws Exception {
        List<Object> lines = List.of(
                server.url("/f/ok"),                      // 1
                server.url("/status/404"),                // 2
                server.url("/status/500"),                // 3
                server.url("/flaky/a?fail=1"),            // 4
                server.url("/endless"),                   // 5
                briefly(server.url("/drip")),             // 6
                server.url("/big?mb=300"),                // 7
                server.url("/bomb"),                      // 8
                server.url("/badgzip"),                   // 9
                server.url("/reset"),                     // 10
                "http://127.0.0.1:" + closedPort() + "/", // 11
                "ftp://example.com/x",                    // 12
                "{\"url\": 42}",                          // 13
                server.url("/gzip"),                      // 14
                server.url("/deflate"),                   // 15
                server.url("/rawdeflate"));               // 16
        Collect c = new Collect();
        BulkFetch.Summary s = quick().maxBody(8 << 20).build().run(items(lines), c);
        Map<Long, FetchResult> r = c.byLine();
        assertEquals(lines.size(), r.size(), r.toString());
        assertEquals(lines.size(), s.results());
        assertEquals(FetchResult.Kind.OK, r.get(1L).kind());
        assertEquals(("GET /f/ok").length(), r.get(1L).bytes());
        assertEquals(FetchResult.Kind.HTTP_4XX, r.get(2L).kind());
        assertEquals(1, r.get(2L).attempts());
        assertEquals(FetchResult.Kind.HTTP_5XX, r.get(3L).kind());
        assertEquals(2, r.get(3L).attempts());
        assertEquals(FetchResult.Kind.OK, r.get(4L).kind());
        assertEquals(2, r.get(4L).attempts());
        assertEquals(FetchResult.Kind.BODY_TOO_LARGE, r.get(5L).kind(), r.get(5L).toString());
        assertEquals(200, r.get(5L).status());
        assertEquals(FetchResult.Kind.TIMEOUT_TOTAL, r.get(6L).kind(), r.get(6L).toString());
        assertEquals("the attempt took longer than its total timeout (1s, body included)", r.get(6L).message());
        assertEquals(FetchResult.Kind.BODY_TOO_LARGE, r.get(7L).kind(), r.get(7L).toString());
        assertTrue(r.get(7L).message().contains("larger than the limit of 8388608 bytes"), r.get(7L).message());
        assertEquals(FetchResult.Kind.BODY_TOO_LARGE, r.get(8L).kind(), r.get(8L).toString());
        assertTrue(r.get(8L).message().contains("(decoded)"), r.get(8L).message());
        assertEquals(FetchResult.Kind.DECODE_ERROR, r.get(9L).kind(), r.get(9L).toString());
        assertEquals(FetchResult.Kind.CONNECTION, r.get(10L).kind(), r.get(10L).toString());
        assertEquals(FetchResult.Kind.CONNECTION, r.get(11L).kind(), r.get(11L).toString());
        assertEquals(FetchResult.Kind.INVALID_URL, r.get(12L).kind());
        assertEquals("line 12: unsupported scheme 'ftp' in 'ftp://example.com/x' (expected http or https)", r.get(12L).message());
        assertEquals(FetchResult.Kind.INVALID_REQUEST, r.get(13L).kind());
        assertEquals("line 13: the JSON request has no \"url\" string", r.get(13L).message());
        for (long l = 14; l <= 16; l++) {
            assertEquals(FetchResult.Kind.OK, r.get(l).kind(), r.get(l).toString());
            assertEquals(FetchServer.COMPRESSED_TEXT.length(), r.get(l).bytes(), r.get(l).toString());
        }
    }

    @Test
    void aBodyOf300MegabytesIsStreamedNotBuffered() throws Exception {
        // maxBody above the body: read to the end through one 16 KiB buffer (the heap bound is by construction; see BodyReader)
        Collect c = new Collect();
        quick().timeouts(new HttpTimeouts(null, Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(60)))
                .maxBody(400L << 20).build().run(List.of(FetchRequest.of(server.url("/big?mb=300"))).iterator(), c);
        FetchResult r = c.results.peek();
        assertEquals(FetchResult.Kind.OK, r.kind(), r.toString());
        assertEquals(300L << 20, r.bytes());
    }

    @Test
    void savesBodiesUnderTheWgetLayoutAndNeverAPartialFileUnderAFinalName() throws Exception {
        Path save = dir.resolve("save");
        List<String> urls = List.of(server.url("/f/a/b.txt"), server.url("/f/dir/"), server.url("/f/dir/index.html"),
                server.url("/f/x"), server.url("/f/x/y"), server.url("/f/q?q=1/2"), server.url("/f/sp%20ace"),
                server.url("/gzip"), server.url("/endless"), server.url("/status/404"));
        Collect c = new Collect();
        quick().maxBody(1 << 20).saveTo(save).build().run(FetchInput.lines(urls.iterator()), c);
        Map<Long, FetchResult> r = c.byLine();
        String host = "127.0.0.1+" + server.running.port();
        assertEquals(host + "/f/a/b.txt", r.get(1L).saved());
        assertEquals("GET /f/a/b.txt", Files.readString(save.resolve(r.get(1L).saved())));
        // /f/dir/ and /f/dir/index.html map to one name: the first to publish gets it, the other the name with its hash
        List<String> dirNames = List.of(r.get(2L).saved(), r.get(3L).saved());
        assertTrue(dirNames.contains(host + "/f/dir/index.html"), dirNames.toString());
        String other = dirNames.get(0).equals(host + "/f/dir/index.html") ? dirNames.get(1) : dirNames.get(0);
        assertTrue(other.matches(java.util.regex.Pattern.quote(host) + "/f/dir/index~[0-9a-f]{16}\\.html"), other);
        assertEquals("GET /f/dir/", Files.readString(save.resolve(r.get(2L).saved())));
        assertEquals("GET /f/dir/index.html", Files.readString(save.resolve(r.get(3L).saved())));
        // /f/x is a file or a directory, whichever came first; the other one still gets a file of its own
        assertEquals("GET /f/x", Files.readString(save.resolve(r.get(4L).saved())));
        assertEquals("GET /f/x/y", Files.readString(save.resolve(r.get(5L).saved())));
        assertEquals(host + "/f/q@q=1%2F2", r.get(6L).saved());
        assertEquals(host + "/f/sp ace", r.get(7L).saved());
        assertEquals(FetchServer.COMPRESSED_TEXT, Files.readString(save.resolve(r.get(8L).saved()))); // decoded
        assertEquals(FetchResult.Kind.BODY_TOO_LARGE, r.get(9L).kind());
        assertNull(r.get(9L).saved());
        assertNull(r.get(10L).saved()); // error pages are not kept
        try (Stream<Path> all = Files.walk(save)) {
            List<Path> files = all.filter(Files::isRegularFile).toList();
            assertEquals(8, files.size(), files.toString()); // the endless body left nothing behind, under any name
        }
        try (Stream<Path> temps = Files.list(save.resolve(SaveDirectory.TEMP_DIR))) {
            assertEquals(0, temps.count(), "the run's temporary directory is removed at the end");
        }
    }

    @Test
    void theSameUrlSavedTwiceKeepsTheFirstFileAndReplacesItsOwnAlternative() throws Exception {
        Path save = dir.resolve("save");
        BulkFetch f = quick().saveTo(save).build();
        List<String> saved = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Collect c = new Collect();
            f.run(List.of(FetchRequest.of(server.url("/f/same"))).iterator(), c);
            saved.add(c.results.peek().saved());
        }
        assertEquals("127.0.0.1+" + server.running.port() + "/f/same", saved.get(0));
        assertTrue(saved.get(1).matches(".*/f/same~[0-9a-f]{16}"), saved.toString());
        assertEquals(saved.get(1), saved.get(2));
    }

    @Test
    void aResumedRunReplacesTheBodyACrashedRunPublishedWithoutItsLineButNoFileAJournalLineNames() throws Exception {
        Path save = dir.resolve("save");
        Path journal = dir.resolve("j.jsonl");
        String host = "127.0.0.1+" + server.running.port();
        // lines 1-2 done by the first run; the same URL on lines 3 and 4 (both map to f/orphan); line 5 maps to
        // the name of line 1's file
        List<String> lines = List.of(server.url("/f/kept"), server.url("/f/other"), server.url("/f/orphan"),
                server.url("/f/orphan"), server.url("/f/kept#again"));
        quick().journal(journal).saveTo(save).build().run(FetchInput.lines(lines.subList(0, 2).iterator()), new Collect());
        Path kept = save.resolve(host + "/f/kept");
        assertEquals("GET /f/kept", Files.readString(kept));
        // the crash: a body published under its final name, its journal line never written (a stale copy here)
        Path orphan = save.resolve(host + "/f/orphan");
        Files.writeString(orphan, "a body published by the run that died");

        Collect second = new Collect();
        BulkFetch.Summary s = quick().journal(journal).resume(true).saveTo(save).build()
                .run(FetchInput.lines(lines.iterator()), second);
        assertEquals(2, s.skipped());
        Map<Long, FetchResult> r = second.byLine();
        // lines 3 and 4 ran at once: one of them took the orphan's name over, the other got its own name
        List<String> names = List.of(r.get(3L).saved(), r.get(4L).saved());
        assertTrue(names.contains(host + "/f/orphan"), names.toString());
        assertEquals(1, names.stream().filter(n -> n.matches(".*/f/orphan~[0-9a-f]{16}")).count(), names.toString());
        for (String n : names) {
            assertEquals("GET /f/orphan", Files.readString(save.resolve(n)));
        }
        // /f/kept#again saves as f/kept (no fragment is sent or kept): that name is line 1's, named in the journal, so it stays
        assertEquals("GET /f/kept", Files.readString(kept));
        assertTrue(r.get(5L).saved().matches(java.util.regex.Pattern.quote(host) + "/f/kept~[0-9a-f]{16}"), r.get(5L).saved());
        assertOneLinePerRequest(journal, 5);
        try (Stream<Path> all = Files.walk(save.resolve(host))) {
            assertEquals(5, all.filter(Files::isRegularFile).count(), "one file per request, the orphan replaced");
        }
    }

    @Test
    void aRunKilledBeforeItsFirstJournalLineLeavesAnOrphanTheResumedRunTakesOver() throws Exception {
        Path save = dir.resolve("save");
        Path journal = dir.resolve("j.jsonl");
        Files.createFile(journal); // the killed run had opened its journal and written nothing
        Path orphan = save.resolve("127.0.0.1+" + server.running.port() + "/f/first");
        Files.createDirectories(orphan.getParent());
        Files.writeString(orphan, "published, then killed");
        Collect c = new Collect();
        quick().journal(journal).resume(true).saveTo(save).build()
                .run(FetchInput.lines(List.of(server.url("/f/first")).iterator()), c);
        assertEquals(save.relativize(orphan).toString().replace('\\', '/'), c.results.peek().saved());
        assertEquals("GET /f/first", Files.readString(orphan));
        try (Stream<Path> all = Files.walk(orphan.getParent())) {
            assertEquals(1, all.filter(Files::isRegularFile).count());
        }
    }

    @Test
    void temporaryFilesOfAKilledRunAreDeletedByTheNextRun() throws Exception {
        Path save = dir.resolve("save");
        long deadPid = ProcessHandle.current().pid() + 4_000_000; // above Linux's pid_max: no such process
        Path stale = save.resolve(SaveDirectory.TEMP_DIR).resolve(deadPid + "-0123456789abcdef");
        Files.createDirectories(stale);
        Files.writeString(stale.resolve("1.part"), "half a bo");
        quick().saveTo(save).build().run(List.of(FetchRequest.of(server.url("/f/a"))).iterator(), new Collect());
        assertFalse(Files.exists(stale));
    }

    @Test
    void jsonRequestLinesCarryMethodHeadersAndBodyAndEngineHeadersFillIn() throws Exception {
        List<String> lines = List.of(
                "{\"url\": \"" + server.url("/echo?h=X-A,User-Agent,Content-Type") + "\", \"method\": \"post\", "
                        + "\"headers\": {\"X-A\": \"mine\"}, \"body\": \"hello\"}",
                "{\"url\": \"" + server.url("/echo?h=X-A,Content-Type") + "\", \"method\": \"PUT\", \"body\": {\"k\": [1, 2]}}",
                server.url("/echo?h=X-A,User-Agent"),
                "{\"url\": \"" + server.url("/echo") + "\", \"verb\": \"GET\"}",
                "{\"url\": \"" + server.url("/echo") + "\", \"method\": \"GE T\"}",
                "{\"url\": \"" + server.url("/echo") + "\", \"headers\": {\"Bad Name\": \"x\"}}",
                "{\"url\": \"" + server.url("/echo") + "\", \"headers\": {\"X-A\": 1}}",
                "{not json");
        Path journal = dir.resolve("j.jsonl");
        Collect c = new Collect();
        quick().header("X-A", "engine").userAgent("weft-test/1").journal(journal).saveTo(dir.resolve("s")).build()
                .run(FetchInput.lines(lines.iterator()), c);
        Map<Long, FetchResult> r = c.byLine();
        Path s = dir.resolve("s");
        assertEquals("POST\nX-A: mine\nUser-Agent: weft-test/1\nContent-Type: text/plain; charset=utf-8\nhello",
                Files.readString(s.resolve(r.get(1L).saved())));
        assertEquals("POST", r.get(1L).method());
        assertEquals("PUT\nX-A: engine\nContent-Type: application/json\n{\"k\":[1,2]}", Files.readString(s.resolve(r.get(2L).saved())));
        assertEquals("GET\nX-A: engine\nUser-Agent: weft-test/1\n", Files.readString(s.resolve(r.get(3L).saved())));
        assertEquals("line 4: unknown field \"verb\" (expected url, method, headers, body)", r.get(4L).message());
        assertTrue(r.get(5L).message().startsWith("line 5: \"method\" must be an HTTP method"), r.get(5L).message());
        assertTrue(r.get(6L).message().startsWith("line 6: header \"Bad Name\": the name must be a token"), r.get(6L).message());
        assertEquals("line 7: header \"X-A\": the value must be a string", r.get(7L).message());
        assertTrue(r.get(8L).message().startsWith("line 8: not valid JSON: "), r.get(8L).message());
        for (long l = 4; l <= 8; l++) {
            assertEquals(FetchResult.Kind.INVALID_REQUEST, r.get(l).kind());
            assertEquals(0, r.get(l).attempts());
        }
        List<String> j = Files.readAllLines(journal);
        assertEquals(8, j.size());
        assertTrue(j.stream().anyMatch(l -> l.contains("\"line\":1,\"method\":\"POST\"")), j.toString());
    }

    @Test
    void badEngineOptionsAreRefusedWithTheirValue() {
        assertEquals("limit must be at least 1, got 0",
                assertThrows(IllegalArgumentException.class, () -> BulkFetch.builder().limit(0)).getMessage());
        assertEquals("header 'A B': the name must be a token (letters, digits and !#$%&'*+-.^_`|~), got 'A B'",
                assertThrows(IllegalArgumentException.class, () -> BulkFetch.builder().header("A B", "x")).getMessage());
        assertEquals("resume and retryFailed need a journal file",
                assertThrows(IllegalStateException.class, () -> BulkFetch.builder().resume(true).build()).getMessage());
        assertEquals("maxBody must be at least 1 byte (BulkFetch.UNLIMITED for none), got 0",
                assertThrows(IllegalArgumentException.class, () -> BulkFetch.builder().maxBody(0)).getMessage());
    }

    @Test
    void aResumedRunSkipsWhatTheJournalHoldsDropsATornLineAndRetriesFailuresOnlyWhenAsked() throws Exception {
        Path journal = dir.resolve("j.jsonl");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            lines.add(server.url("/f/r" + i));
        }
        String flakyId = "resume-" + System.nanoTime();
        lines.add(server.url("/flaky/" + flakyId + "?fail=2")); // fails twice (retries 1): http_5xx, then ok
        BulkFetch first = quick().journal(journal).build();
        // first run: only the first 10 lines, as if killed there
        first.run(FetchInput.lines(lines.subList(0, 10).iterator()), new Collect());
        assertEquals(10, Files.readAllLines(journal).size());
        // a crash mid-write left half a line
        Files.writeString(journal, "{\"url\":\"" + lines.get(10) + "\",\"line\":11,\"sta", java.nio.file.StandardOpenOption.APPEND);

        Collect second = new Collect();
        BulkFetch.Summary s2 = quick().journal(journal).resume(true).build().run(FetchInput.lines(lines.iterator()), second);
        assertEquals(10, s2.skipped());
        assertEquals(10, s2.resumed());
        assertEquals(11, s2.results());
        assertEquals(FetchResult.Kind.HTTP_5XX, second.byLine().get(21L).kind());
        assertOneLinePerRequest(journal, 21);

        Collect third = new Collect();
        BulkFetch.Summary s3 = quick().journal(journal).resume(true).build().run(FetchInput.lines(lines.iterator()), third);
        assertEquals(21, s3.skipped());
        assertEquals(0, s3.results());

        Collect fourth = new Collect();
        BulkFetch.Summary s4 = quick().journal(journal).resume(true).retryFailed(true).build()
                .run(FetchInput.lines(lines.iterator()), fourth);
        assertEquals(20, s4.skipped());
        assertEquals(FetchResult.Kind.OK, fourth.byLine().get(21L).kind());
        assertOneLinePerRequest(journal, 21);
        assertTrue(Files.readAllLines(journal).stream().noneMatch(l -> l.contains("http_5xx")));
    }

    static void assertOneLinePerRequest(Path journal, int requests) throws IOException {
        List<String> j = Files.readAllLines(journal);
        assertEquals(requests, j.size(), String.join("\n", j));
        Map<Long, String> seen = new HashMap<>();
        for (String l : j) {
            long line = Long.parseLong(l.replaceAll(".*\"line\":(\\d+).*", "$1"));
            assertNull(seen.put(line, l), "line " + line + " twice");
        }
    }

    @Test
    void theResultQueueIsBoundedAndTheInputIsPulledOnlyAsSlotsFree() throws Exception {
        int limit = 4;
        int capacity = 8;
        int total = 200;
        AtomicInteger pulled = new AtomicInteger();
        AtomicInteger consumed = new AtomicInteger();
        AtomicInteger maxAhead = new AtomicInteger();
        Object changed = new Object();
        Iterator<FetchRequest> input = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return pulled.get() < total;
            }

            @Override
            public FetchRequest next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int ahead = pulled.incrementAndGet() - consumed.get();
                maxAhead.accumulateAndGet(ahead, Math::max);
                synchronized (changed) {
                    changed.notifyAll();
                }
                return FetchRequest.of(server.url("/f/q" + pulled.get()));
            }
        };
        int bound = capacity + limit + 1; // queued + one per task (fetching or waiting to queue) + one waiting for a slot
        try (BulkFetch.Results results = quick().limit(limit).build().results(input, capacity, new FetchListener() { })) {
            int n = 0;
            while (true) {
                // a slow consumer: it takes the next result only once the engine has pulled all it may
                synchronized (changed) {
                    long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                    while (pulled.get() < Math.min(total, consumed.get() + bound)) {
                        long left = until - System.nanoTime();
                        assertTrue(left > 0, "the engine stopped pulling at " + pulled.get() + " with " + consumed.get() + " consumed");
                        changed.wait(Math.max(1, left / 1_000_000));
                    }
                }
                assertTrue(results.queued() <= capacity);
                // counted before hasNext, which already takes the next result off the queue (the channel
                // iterator's look-ahead): from then on a fetching task may hand over its result and the
                // engine pull the next request before this thread could count the take
                consumed.incrementAndGet();
                if (!results.hasNext()) {
                    consumed.decrementAndGet(); // nothing was taken
                    break;
                }
                results.next();
                n++;
            }
            assertEquals(total, n);
            assertEquals(bound, maxAhead.get(), "results held by the engine at most");
            assertEquals(total, results.summary().orElseThrow().results());
        }
    }

    @Test
    void closingTheResultsEarlyCancelsTheRunAndLeavesNoPartialFile() throws Exception {
        Path save = dir.resolve("save");
        CountDownLatch twoDone = new CountDownLatch(2);
        Iterator<FetchRequest> endless = Stream.iterate(0, i -> i + 1)
                .map(i -> FetchRequest.of(server.url(i % 3 == 0 ? "/drip?i=" + i : "/f/e" + i))).iterator();
        BulkFetch f = quick().limit(8).timeouts(new HttpTimeouts(null, Duration.ofSeconds(2), Duration.ofSeconds(30), Duration.ofSeconds(60)))
                .saveTo(save).build();
        Thread consumer;
        AtomicReference<Throwable> failed = new AtomicReference<>();
        try (BulkFetch.Results results = f.results(endless, 4, new FetchListener() {
            @Override
            public void onResult(FetchResult r) {
                twoDone.countDown();
            }
        })) {
            consumer = Thread.ofVirtual().start(() -> {
                try {
                    while (results.hasNext()) {
                        results.next();
                    }
                } catch (RuntimeException e) {
                    failed.set(e);
                }
            });
            twoDone.await();
        }
        consumer.join();
        assertNotNull(failed.get(), "the consumer sees the run end by cancellation");
        try (Stream<Path> all = Files.walk(save)) {
            assertTrue(all.filter(Files::isRegularFile).allMatch(p -> {
                try {
                    return Files.readString(p).startsWith("GET /f/e");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }), "only complete bodies carry a final name; no drip body was kept");
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void theJsonLineOfAResultIsStable() {
        FetchResult r = new FetchResult("http://h/a\"b", 3, "GET", 200, 12, 1_234_567, 1, FetchResult.Kind.OK, null, "h/a");
        assertEquals("{\"url\":\"http://h/a\\\"b\",\"line\":3,\"status\":200,\"bytes\":12,\"time_ms\":1.234,\"attempts\":1,"
                + "\"error\":null,\"message\":null,\"saved\":\"h/a\"}", r.toJson());
        FetchResult f = new FetchResult("http://h/", 4, "POST", -1, 0, 5_000, 3, FetchResult.Kind.TIMEOUT_READ, "silent\n", null);
        assertEquals("{\"url\":\"http://h/\",\"line\":4,\"method\":\"POST\",\"status\":null,\"bytes\":0,\"time_ms\":0.005,\"attempts\":3,"
                + "\"error\":\"timeout_read\",\"message\":\"silent\\n\",\"saved\":null}", f.toJson());
        assertEquals(FetchResult.Kind.BODY_TOO_LARGE, FetchResult.Kind.ofWireName("body_too_large"));
        assertTrue(new String(r.toJson().getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8).endsWith("}"));
    }
}
