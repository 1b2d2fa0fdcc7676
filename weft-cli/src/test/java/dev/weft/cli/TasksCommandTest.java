package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code weft tasks} against a child JVM that runs a Weft program in debug mode. */
class TasksCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run tasks(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TasksCommand c = new TasksCommand();
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = new picocli.CommandLine(c).execute(args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Process child(String... jvmArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java));
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TasksTarget.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ServeCommandTest.killAfterMinutes(p, 2); // a safety net against a hung child, not a timing assertion
        return p;
    }

    @Test
    void printsTheTreeOfAChildJvmAsTextAndJsonAndCancelsATaskById() throws Exception {
        Process p = child("-Dweft.debug=true", "-Dweft.debug.jfr=false");
        StringBuilder seen = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null && !l.equals("READY"); ) {
                seen.append(l).append('\n');
            }
            Run text = tasks(Long.toString(p.pid()));
            assertEquals(0, text.code(), text.err() + seen);
            String t = text.out();
            assertTrue(t.startsWith("Weft task tree: pid " + p.pid()), t);
            assertTrue(t.contains("root 'Weft.run' RUNNING"), t);
            assertTrue(t.contains("task 'sleeper' RUNNING"), t);
            assertTrue(t.contains("waiting on sleep PT1H"), t);
            assertTrue(t.contains("scope 'CancelScope(after PT2H)' ACTIVE") && t.contains("deadline in"), t);
            assertTrue(t.contains("group 'workers' CLOSING"), t);
            assertTrue(t.contains("task 'waiter' RUNNING") && t.contains("waiting on Limiter"), t);
            assertTrue(t.contains("from dev.weft.cli.TasksTarget"), "spawn sites: " + t);
            int root = t.indexOf("root 'Weft.run'");
            int workers = t.indexOf("group 'workers'");
            int waiter = t.indexOf("task 'waiter'");
            assertTrue(root < workers && workers < waiter, t);

            Run json = tasks(Long.toString(p.pid()), "--json");
            assertEquals(0, json.code(), json.err());
            Matcher m = Pattern.compile("\\{\"id\":(\\d+),\"parent\":\\d+,\"kind\":\"task\",\"name\":\"sleeper\"")
                    .matcher(json.out());
            assertTrue(m.find(), json.out());
            assertTrue(json.out().contains("\"waitingOn\":\"Limiter"), json.out());

            Run cancel = tasks(Long.toString(p.pid()), "--cancel", m.group(1));
            assertEquals(0, cancel.code(), cancel.out() + cancel.err());
            assertTrue(cancel.out().startsWith("cancelled task 'sleeper'"), cancel.out());
            for (String l; (l = in.readLine()) != null; ) {
                seen.append(l).append('\n');
            }
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.waitFor(), seen.toString());
        assertTrue(seen.toString().contains("sleeper ended cancelled"), seen.toString());
    }

    @Test
    void aJvmWithoutDebugModeGetsAClearMessage() throws Exception {
        Process p = child();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null && !l.equals("READY"); ) {
                // wait until it runs
            }
            Run r = tasks(Long.toString(p.pid()));
            assertEquals(1, r.code());
            assertTrue(r.err().contains("has no Weft task tree") && r.err().contains("-Dweft.debug=true"), r.err());
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    @Test
    void badPidsAreRefused() {
        Run r = tasks("0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("PID must be a positive process id, got 0"), r.err());
        Run self = tasks(Long.toString(ProcessHandle.current().pid()));
        assertEquals(2, self.code());
        assertTrue(self.err().contains("is this process"), self.err());
    }
}
