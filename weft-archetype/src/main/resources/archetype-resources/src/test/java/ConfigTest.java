package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
    private static final String[] NO_ARGS = {};

    @Test
    void theShippedFileLoadsAndTheEnvironmentWins() throws Exception {
        Config c = Config.load(Map.of("APP_PORT", "9000", "APP_JOBS_QUEUE_SIZE", "5"), NO_ARGS, Config.DEFAULT_FILE);
        assertEquals(9000, c.port());
        assertEquals(5, c.queueSize());
        assertEquals(Duration.ofSeconds(2), c.fanoutDeadline());
        assertEquals(Level.INFO, c.logLevel());
        assertEquals(List.of(), c.upstreams());
    }

    @Test
    void aMissingDefaultFileMeansTheDefaults() throws Exception {
        Config c = Config.load(Map.of(), NO_ARGS, Path.of("no-such-dir", "app.properties"));
        assertEquals(8080, c.port());
        assertEquals(Duration.ofMillis(10_000), c.requestTimeout());
    }

    @Test
    void everyProblemIsReportedAtOnceWithWhatToDo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "prot=8080\nfanout.deadline=5x\nfanout.upstreams=http://ok:1/a, ftp://x/y\n");
        Config.Invalid e = assertThrows(Config.Invalid.class, () -> Config.load(
                Map.of("APP_PORT", "eighty", "APP_LOG_LEVEL", "loud"), new String[] {"--config", file.toString()}, Config.DEFAULT_FILE));
        List<String> p = e.problems();
        assertEquals(5, p.size(), p.toString());
        assertTrue(e.getMessage().startsWith("configuration: 5 problems, the service did not start:"), e.getMessage());
        assertTrue(p.contains("unknown key 'prot' in " + file + ": remove it or correct its name (keys: drain.timeout, fanout.deadline, "
                + "fanout.upstreams, host, http.per-host-limit, jobs.queue-size, jobs.timeout, jobs.workers, log.level, port, request.timeout)"), p.toString());
        assertTrue(p.contains("port = 'eighty' (from environment APP_PORT): not a whole number; use a port number 0..65535 (0 picks a free one)"), p.toString());
        assertTrue(p.contains("fanout.deadline = '5x' (from " + file + "): not a duration; write it as 500ms, 2s, 1m or ISO-8601 (PT2S)"), p.toString());
        assertTrue(p.stream().anyMatch(s -> s.contains("'ftp://x/y' is not an absolute http or https URL")), p.toString());
        assertTrue(p.contains("log.level = 'loud' (from environment APP_LOG_LEVEL): not a level; use ERROR, WARNING, INFO, DEBUG or TRACE"), p.toString());
    }

    @Test
    void aNamedFileMustExist() {
        Config.Invalid e = assertThrows(Config.Invalid.class,
                () -> Config.load(Map.of("APP_CONFIG", "missing.properties"), NO_ARGS, Config.DEFAULT_FILE));
        assertTrue(e.problems().getFirst().startsWith("config file "), e.getMessage());
        assertTrue(e.problems().getFirst().endsWith("missing.properties does not exist: fix the path given by --config or APP_CONFIG"), e.getMessage());
    }

    @Test
    void outOfRangeAndUnknownArguments() {
        Config.Invalid e = assertThrows(Config.Invalid.class,
                () -> Config.load(Map.of("APP_JOBS_WORKERS", "0", "APP_DRAIN_TIMEOUT", "-1s"), new String[] {"--verbose"}, Config.DEFAULT_FILE));
        assertEquals(List.of(
                "unknown argument '--verbose': the only one is --config FILE (settings go in the file or in APP_* environment variables)",
                "drain.timeout = '-1s' (from environment APP_DRAIN_TIMEOUT): must be positive",
                "jobs.workers = '0' (from environment APP_JOBS_WORKERS): out of range; use a whole number 1..1000"), e.problems());
    }

    @Test
    void durationsAndEnvironmentNames() {
        assertEquals(Duration.ofMillis(250), Config.parseDuration("250ms"));
        assertEquals(Duration.ofMinutes(3), Config.parseDuration("3m"));
        assertEquals(Duration.ofSeconds(2), Config.parseDuration("PT2S"));
        assertEquals(null, Config.parseDuration("soon"));
        assertEquals("APP_JOBS_QUEUE_SIZE", Config.envName("jobs.queue-size"));
    }
}
