package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.cli.fetch.DurationConverter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command-line layer: what each kind of option does with what users type, and what it refuses. */
class CliTest {

    /** A command with one option of every kind, recording what it was given. */
    static final class Probe extends Cli.Command {
        final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int limit;
        Duration timeout;
        String output;
        Integer release;
        Boolean resume;
        boolean insecure;
        String version;
        final List<String> headers = new ArrayList<>();
        final List<String> select = new ArrayList<>();
        final List<String> files = new ArrayList<>();
        int runs;

        Probe() {
            out = new PrintStream(stdout, true, StandardCharsets.UTF_8);
            err = new PrintStream(stderr, true, StandardCharsets.UTF_8);
        }

        @Override
        String name() {
            return "probe";
        }

        @Override
        List<String> description() {
            return List.of("Probes the parser. Second sentence.", "Another paragraph.");
        }

        @Override
        void declare(Cli.Spec spec) {
            spec.positional("FILE", "Input files.", 0, 2, files::addAll);
            spec.option("--limit", "N", "At most N (default: ${DEFAULT-VALUE}).", "64", Cli.INT, v -> limit = v);
            spec.option("--timeout", "DURATION", "Each try (default: ${DEFAULT-VALUE}).", "30s", DurationConverter::convert,
                    v -> timeout = v);
            spec.option("-o, --output", "FILE", "Where to write.", null, Cli.STRING, v -> output = v);
            spec.option("--release", "N", "No default.", null, Cli.INT, v -> release = v);
            spec.negatable("--resume", "Continue.", v -> resume = v);
            spec.flag("-k, --insecure", "Trust anything.", () -> insecure = true);
            spec.option("--version", "VERSION", "The command's own --version.", null, Cli.STRING, v -> version = v);
            spec.repeatable("-H, --header", "'NAME: VALUE'", "A header (repeatable).", Cli.STRING, headers::add);
            spec.repeatable("--select", "ID", "Ids, comma-separated (repeatable).", Cli.STRING,
                    v -> select.addAll(List.of(v.split(","))));
        }

        @Override
        List<String> exitCodes() {
            return List.of("0:fine", "2:usage error");
        }

        @Override
        int call() {
            runs++;
            return 0;
        }

        String out() {
            return stdout.toString(StandardCharsets.UTF_8);
        }

        String err() {
            return stderr.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void defaultsAreConvertedLikeGivenValuesAndAbsentOptionsStayUnset() {
        Probe p = new Probe();
        assertEquals(0, Cli.execute(p));
        assertEquals(1, p.runs);
        assertEquals(64, p.limit);
        assertEquals(Duration.ofSeconds(30), p.timeout);
        assertNull(p.output);
        assertNull(p.release);
        assertNull(p.resume);
        assertFalse(p.insecure);
        assertTrue(p.files.isEmpty() && p.headers.isEmpty());
    }

    @Test
    void everyFormUsersTypeIsTaken() {
        Probe p = new Probe();
        assertEquals(0, Cli.execute(p, "a.txt", "--limit=8", "--timeout", "250ms", "-o", "-", "--release", "-1", "-k",
                "-H", "A: 1", "-HB: 2", "--header", "C: 3", "--select", "X1,X2", "--select", "X3", "--no-resume", "b.txt"));
        assertEquals(8, p.limit);
        assertEquals(Duration.ofMillis(250), p.timeout);
        assertEquals("-", p.output, "a lone '-' is a value (stdin/stdout), not an option");
        assertEquals(-1, p.release, "a negative number is a value");
        assertTrue(p.insecure);
        assertEquals(List.of("A: 1", "B: 2", "C: 3"), p.headers);
        assertEquals(List.of("X1", "X2", "X3"), p.select);
        assertEquals(Boolean.FALSE, p.resume);
        assertEquals(List.of("a.txt", "b.txt"), p.files, "options and positional parameters mix in any order");
        Probe q = new Probe();
        assertEquals(0, Cli.execute(q, "--resume", "--version", "2.0"));
        assertEquals(Boolean.TRUE, q.resume);
        assertEquals("2.0", q.version, "a command's own --version wins over the standard one");
        Probe r = new Probe();
        assertEquals(0, Cli.execute(r, "--no-resume", "--resume", "--no-resume"));
        assertEquals(Boolean.FALSE, r.resume, "of a flag and its negation, the last one given wins");
    }

    @Test
    void usageErrorsSayWhatWasWrongAndExit2WithoutRunning() {
        String[][] cases = {
            {"--limit", "many"}, {"--timeout", "soon"}, {"--bogus"}, {"--lim", "3"}, {"--limit", "1", "--limit", "2"},
            {"a", "b", "c"}, {"--limit"}, {"-o", "a", "-o", "b"}, {"-o"},
        };
        String[] said = {
            "weft probe: invalid value for --limit: 'many' is not a whole number",
            "weft probe: invalid value for --timeout: 'soon' is not a duration",
            "weft probe: unknown option --bogus",
            "weft probe: unknown option --lim", // no abbreviations: a later option must not change their meaning
            "weft probe: --limit was given 2 times; give it once",
            "weft probe: expected at most 2 FILE, got 3: a b c",
            "weft probe: --limit needs a value",
            "weft probe: -o was given 2 times; give it once", // the name as typed, not another alias
            "weft probe: -o needs a value",
        };
        for (int i = 0; i < cases.length; i++) {
            Probe p = new Probe();
            assertEquals(2, Cli.execute(p, cases[i]), String.join(" ", cases[i]));
            assertEquals(0, p.runs);
            assertTrue(p.err().startsWith(said[i]), p.err());
            assertTrue(p.err().contains("(see 'weft probe --help')"), p.err());
        }
    }

    @Test
    void helpListsEveryShownOptionWithItsDefaultAndTheExitCodes() {
        Probe p = new Probe();
        assertEquals(0, Cli.execute(p, "--help"));
        assertEquals(0, p.runs);
        String help = p.out();
        assertTrue(help.startsWith("Usage: weft probe [OPTIONS] [FILE...]"), help);
        for (String s : List.of("Probes the parser.", "Another paragraph.", "--limit N", "At most N (default: 64).",
                "(default: 30s)", "-o, --output FILE", "--[no-]resume", "-k, --insecure", "-H, --header 'NAME: VALUE'",
                "--version VERSION", "-h, --help", "usage error")) {
            assertTrue(help.contains(s), s + " missing from:\n" + help);
        }
        assertFalse(help.contains("--no-resume "), "the negation is shown once, as --[no-]resume:\n" + help);
        assertFalse(help.contains(" \n") || help.contains("\n\n\n"), "no trailing spaces, no runs of blank lines:\n" + help);
        assertFalse(help.contains("-V, --version"), "the command's own --version hides the standard one:\n" + help);
        assertEquals("Probes the parser.", p.summary());
    }

    @Test
    void theTopLevelListsVisibleCommandsAndRefusesUnknownOnes() {
        PrintStream stdout = System.out;
        PrintStream stderr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, Main.execute("--version"));
            assertEquals(0, Main.execute());
            assertEquals(2, Main.execute("fecth"));
        } finally {
            System.setOut(stdout);
            System.setErr(stderr);
        }
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.startsWith(Cli.VERSION), o);
        for (String c : List.of("demo", "scan", "fetch", "serve", "new", "tasks")) {
            assertTrue(o.contains("  " + c + " "), c + " missing from:\n" + o);
        }
        assertFalse(o.contains("aot-train"), o);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("weft: unknown command 'fecth'"), err.toString());
    }
}
