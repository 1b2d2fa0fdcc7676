package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.debug.WeftTasksMXBean;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.rmi.UnmarshalException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code weft tasks} against a child JVM that runs a Weft program in debug mode. */
class TasksCommandTest {

    private record Run(int code, String out, String err) {
    }

    /**
     * Runs {@code weft tasks ARGS} as its own process, as users do. (Not in this JVM: once a test here
     * has started Helidon, its process-wide deserialization filter rejects the JMX connection stub.)
     */
    private static Run tasks(String... args) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "tasks"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        ServeCommandTest.killAfterMinutes(p, 2);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        return new Run(code, out, new String(err.get(), StandardCharsets.UTF_8));
    }

    private static Run tasksInProcess(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TasksCommand c = new TasksCommand();
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        int code = Cli.execute(c, args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Process child(String... jvmArgs) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(javaBin));
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
            // either the target's reply, or ours when its JVM exits before replying (both name the node)
            assertTrue(cancel.out().startsWith("cancelled task 'sleeper' #" + m.group(1)), cancel.out());
            for (String l; (l = in.readLine()) != null; ) {
                seen.append(l).append('\n');
            }
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.waitFor(), seen.toString());
        assertTrue(seen.toString().contains("sleeper ended cancelled"), seen.toString());
    }

    /** The target's tree, as {@code getTreeText} gives it, for the tests of {@code --cancel}'s edge. */
    private static final String TREE = """
            Weft task tree: pid 1
              #1 root 'Weft.run' RUNNING, age 5 ms, thread 'main' WAITING
                #3 task 'it's mine' RUNNING, age 4 ms, thread '' WAITING, waiting on sleep PT1H
            """;

    private static WeftTasksMXBean failingWith(RuntimeException e) {
        return new WeftTasksMXBean() {
            @Override
            public String getTreeText() {
                return TREE;
            }

            @Override
            public String getTreeJson() {
                throw new AssertionError("not asked");
            }

            @Override
            public String cancel(long id) {
                throw e;
            }
        };
    }

    private static RuntimeException replyLost() {
        return new UndeclaredThrowableException(new UnmarshalException("Error unmarshaling return header",
                new SocketException("Connection reset")));
    }

    @Test
    void aCancelWhoseReplyIsLostBecauseTheTargetExitedSucceedsAndNamesTheNode() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        TasksCommand c = new TasksCommand();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.pid = gone.pid();
        c.cancel = 3L;
        assertEquals(0, c.cancel(failingWith(replyLost())));
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("cancelled task 'it's mine' #3; process "
                + gone.pid() + " exited before it replied"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aCancelWhoseReplyIsLostWhileTheTargetLivesFails() throws Exception {
        Process alive = new ProcessBuilder("sleep", "600").start();
        try {
            TasksCommand c = new TasksCommand();
            c.pid = alive.pid();
            c.cancel = 3L;
            c.exitWait = Duration.ofMillis(50); // it will not exit: no need to wait the full time
            RuntimeException lost = replyLost();
            assertSame(lost, assertThrows(RuntimeException.class, () -> c.cancel(failingWith(lost))));
            alive.destroyForcibly();
            alive.waitFor(); // gone now, but this failure is not a lost reply
            IllegalStateException other = new IllegalStateException("not a connection failure");
            assertSame(other, assertThrows(RuntimeException.class, () -> c.cancel(failingWith(other))));
        } finally {
            alive.destroyForcibly();
            alive.waitFor();
        }
    }

    @Test
    void closingAfterTheAnswerIgnoresATargetThatHasGone() {
        int[] closes = {0};
        TasksCommand.closeAfterAnswer(() -> {
            closes[0]++;
            throw new UnmarshalException("Error unmarshaling return header", new java.io.EOFException());
        });
        assertEquals(1, closes[0]);
    }

    @Test
    void describeFindsANodeByIdOrFallsBackToTheId() {
        assertEquals("task 'it's mine' #3", TasksCommand.describe(TREE, 3));
        assertEquals("root 'Weft.run' #1", TasksCommand.describe(TREE, 1));
        assertEquals("#31", TasksCommand.describe(TREE, 31));
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
        Run r = tasksInProcess("0");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("PID must be a positive process id, got 0"), r.err());
        Run self = tasksInProcess(Long.toString(ProcessHandle.current().pid()));
        assertEquals(2, self.code());
        assertTrue(self.err().contains("is this process"), self.err());
    }
}
