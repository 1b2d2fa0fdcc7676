package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.http.RunningApp;
import dev.weft.http.WebApp;
import dev.weft.http.WebResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code weft fetch -o FILE --save DIR} killed with SIGKILL mid-run, then run again with the same
 * options: every URL ends with exactly one result line, every saved file is complete, and no
 * partial file carries a final name.
 */
class FetchResumeTest {
    private static final int URLS = 120;
    private static final Pattern LINE = Pattern.compile("\"line\":(\\d+)");
    private static final Pattern SAVED = Pattern.compile("\"saved\":\"([^\"]+)\"");

    @TempDir
    Path dir;

    static String body(String id) {
        return ("body of " + id + "\n").repeat(500);
    }

    @Test
    void aRunKilledWithSigkillIsResumedToExactlyOneCompleteResultPerUrl() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WebApp app = WebApp.builder().host("127.0.0.1").port(0).requestTimeout(null).drainTimeout(Duration.ZERO)
                .get("/ok/{id}", req -> WebResponse.text(body(req.pathParam("id"))))
                .get("/slow/{id}", req -> {
                    byte[] all = body(req.pathParam("id")).getBytes(StandardCharsets.UTF_8);
                    return WebResponse.stream("text/plain", all.length, out -> {
                        out.write(all, 0, all.length / 2); // half a body: the fetcher has a partial temporary file
                        out.flush();
                        slowStarted.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                        out.write(all, all.length / 2, all.length - all.length / 2);
                    });
                })
                .build();
        try (RunningApp server = app.start()) {
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < URLS; i++) {
                urls.add(server.uri() + (i % 10 == 5 ? "/slow/" : "/ok/") + i);
            }
            Path list = Files.write(dir.resolve("urls.txt"), urls);
            Path out = dir.resolve("out.jsonl");
            Path save = dir.resolve("pages");
            List<String> args = List.of("fetch", list.toString(), "-o", out.toString(), "--save", save.toString(),
                    "--limit", "8", "--progress", "none", "--timeout", "2m", "--read-timeout", "2m");

            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
            cmd.addAll(args);
            Process child = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
            FetchCommandTest.killAfterMinutes(child, 3);
            try {
                // observable progress, not a sleep: a slow body is half written and some results are journaled
                assertTrue(slowStarted.await(2, TimeUnit.MINUTES), "no slow body started");
                waitFor(() -> completeLines(out) >= 20, "20 journal lines");
            } finally {
                child.destroyForcibly(); // SIGKILL
            }
            child.waitFor();
            long killedPid = child.pid();
            long journaled = completeLines(out);
            assertTrue(journaled < URLS, "the child finished before it was killed");
            Path killedTemp;
            try (Stream<Path> temps = Files.list(save.resolve(".weft-tmp"))) {
                killedTemp = temps.filter(p -> p.getFileName().toString().startsWith(killedPid + "-")).findFirst().orElseThrow();
            }
            try (Stream<Path> parts = Files.list(killedTemp)) {
                assertTrue(parts.findAny().isPresent(), "the killed run left its partial bodies in its temporary directory");
            }
            assertEveryFinalFileIsComplete(save);

            release.countDown();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            FetchCommand c = new FetchCommand();
            c.out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
            c.err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
            assertEquals(0, Cli.execute(c, args.subList(1, args.size()).toArray(String[]::new)),
                    stderr.toString(StandardCharsets.UTF_8));
            String summary = stdout.toString(StandardCharsets.UTF_8);
            assertTrue(summary.contains("skipped    " + journaled + " URL(s) already done"), summary);

            List<String> lines = Files.readAllLines(out);
            assertEquals(URLS, lines.size(), "one line per URL");
            Map<Integer, String> byLine = new HashMap<>();
            for (String l : lines) {
                Matcher m = LINE.matcher(l);
                assertTrue(m.find(), l);
                assertNull(byLine.put(Integer.parseInt(m.group(1)), l), "two results for line " + m.group(1));
                assertTrue(l.contains("\"error\":null"), l);
                Matcher s = SAVED.matcher(l);
                assertTrue(s.find(), l);
                String id = l.replaceAll(".*/(?:ok|slow)/(\\d+)\".*", "$1");
                assertEquals(body(id), Files.readString(save.resolve(s.group(1))), l);
            }
            assertFalse(Files.exists(killedTemp), "the next run deleted the killed run's temporary files");
            try (Stream<Path> temps = Files.list(save.resolve(".weft-tmp"))) {
                assertEquals(0, temps.count());
            }
            assertEveryFinalFileIsComplete(save);
            try (Stream<Path> all = Files.walk(save)) {
                List<Path> files = all.filter(Files::isRegularFile).filter(p -> !save.relativize(p).startsWith(".weft-tmp")).toList();
                assertEquals(URLS, files.size(), "one file per URL: a body published before the kill without its line "
                        + "was replaced by the resumed run, not copied (ADR 0331): " + files);
            }
        } finally {
            release.countDown();
        }
    }

    /**
     * Every file under a final name holds a whole body (a {@code ~HASH} name, should one appear, too).
     */
    private static void assertEveryFinalFileIsComplete(Path save) throws IOException {
        try (Stream<Path> all = Files.walk(save)) {
            for (Path p : all.filter(Files::isRegularFile).filter(p -> !save.relativize(p).startsWith(".weft-tmp")).toList()) {
                String id = p.getFileName().toString().replaceFirst("~[0-9a-f]{16}$", "");
                assertEquals(body(id), Files.readString(p), "partial or foreign content under the final name " + p);
            }
        }
    }

    private static long completeLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        byte[] b = Files.readAllBytes(file);
        long n = 0;
        for (byte x : b) {
            if (x == '\n') {
                n++;
            }
        }
        return n;
    }

    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls observable state (the journal written by another process) until it holds; fails after two minutes. */
    static void waitFor(Check check, String what) throws Exception {
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!check.ok()) {
            assertTrue(System.nanoTime() < until, "timed out waiting for " + what);
            Thread.sleep(10); // polling another process's file: there is no event to wait on
        }
    }
}
