package dev.weft.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The programs docs/http.md shows for {@link BulkFetch}, compiled and run here; the doc quotes them verbatim. */
class BulkFetchSampleTest {
    static FetchServer server;

    @TempDir
    Path dir;

    @org.junit.jupiter.api.BeforeAll
    static void start() throws Exception {
        server = new FetchServer();
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        server.close();
    }

    static BulkFetch.Summary fetchFile(Path urlFile, Path pages, Path journal) throws IOException, InterruptedException {
        // tag::file[]
        BulkFetch fetch = BulkFetch.builder()
                .limit(64).limitPerHost(8)
                .saveTo(pages)                        // 2xx bodies as files: pages/host/path (wget -x)
                .journal(journal).resume(true)        // one JSON line per URL; a rerun skips what is done
                .build();
        try (BufferedReader lines = Files.newBufferedReader(urlFile)) {
            return fetch.run(FetchInput.lines(lines), new FetchListener() {
                @Override
                public void onResult(FetchResult r) {
                    if (!r.ok()) {
                        System.err.println("line " + r.line() + ": " + r.kind().wireName() + ": " + r.message());
                    }
                }
            });
        }
        // end::file[]
    }

    static List<String> bigPages(List<String> urls) {
        // tag::iterator[]
        BulkFetch fetch = BulkFetch.builder().limit(32).maxBody(10 << 20).build();
        List<String> big = new ArrayList<>();
        try (BulkFetch.Results results = fetch.results(FetchInput.lines(urls.iterator()), 256)) {
            while (results.hasNext()) {                // blocks for the next result; at most 256 wait here
                FetchResult r = results.next();
                if (r.ok() && r.bytes() > 1000) {
                    big.add(r.url());
                }
            }
        }
        // end::iterator[]
        return big;
    }

    @Test
    void theFileSampleFetchesSavesAndResumes() throws Exception {
        Path urls = Files.write(dir.resolve("urls.txt"), List.of(server.url("/f/a"), "# a comment", server.url("/status/404"),
                server.url("/f/b/")));
        Path journal = dir.resolve("results.jsonl");
        BulkFetch.Summary first = fetchFile(urls, dir.resolve("pages"), journal);
        assertEquals(3, first.results());
        assertEquals(2, first.ok());
        assertEquals("GET /f/b/", Files.readString(dir.resolve("pages/127.0.0.1+" + server.running.port() + "/f/b/index.html")));
        BulkFetch.Summary again = fetchFile(urls, dir.resolve("pages"), journal);
        assertEquals(3, again.skipped());
        assertEquals(3, Files.readAllLines(journal).size());
    }

    @Test
    void theIteratorSampleStreamsResults() {
        assertEquals(List.of(server.url("/big?mb=1")), bigPages(List.of(server.url("/f/a"), server.url("/big?mb=1"), "not a url")));
    }

    @Test
    void docsHttpMdQuotesTheSamplesVerbatim() throws IOException {
        String source = Files.readString(Path.of("src/test/java/dev/weft/http/BulkFetchSampleTest.java"));
        String doc = Files.readString(Path.of("../docs/http.md"));
        for (String tag : List.of("file", "iterator")) {
            String region = source.substring(source.indexOf("// tag::" + tag + "[]\n") + ("// tag::" + tag + "[]\n").length(),
                    source.indexOf("        // end::" + tag + "[]"));
            String unindented = region.lines().map(l -> l.length() >= 8 ? l.substring(8) : l.strip()).reduce("", (a, b) -> a + b + "\n");
            assertTrue(doc.contains(unindented), "docs/http.md does not quote the '" + tag + "' sample verbatim:\n" + unindented);
        }
    }
}
