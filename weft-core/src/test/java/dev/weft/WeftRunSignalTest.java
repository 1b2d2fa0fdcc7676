package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Weft.run's root scope: SIGINT/SIGTERM cancel it; a second signal exits at once. Real signals, real child JVMs. */
class WeftRunSignalTest {

    private static Process start(String... args) throws Exception {
        return ChildJvm.start(SignalMain.class, args);
    }

    private static void signal(Process p, String sig) throws Exception {
        ChildJvm.signal(p, sig);
    }

    private static String readLine(BufferedReader r) throws Exception {
        String line = r.readLine();
        return line == null ? "<eof>" : line;
    }

    @Test
    void sigintCancelsTheRootScopeAndEveryTaskIsJoined() throws Exception {
        Process p = start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", readLine(r));
            signal(p, "INT");
            String last = readLine(r);
            assertTrue(last.startsWith("cancelled cleanly: 10 tasks cancelled"), last);
            assertTrue(last.contains("signal"), last);
            assertEquals(130, p.waitFor());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigtermCancelsTheRootScopeToo() throws Exception {
        Process p = start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", readLine(r));
            signal(p, "TERM");
            assertTrue(readLine(r).startsWith("cancelled cleanly: 10 tasks cancelled"));
            assertEquals(130, p.waitFor());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aSecondSignalExitsAtOnce() throws Exception {
        Process p = start("stubborn");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", readLine(r));
            signal(p, "INT");
            // the shielded body ignores the first signal; the tasks outside the shield are cancelled meanwhile.
            // Wait until the child has handled it: two kills in quick succession can merge into one pending signal.
            assertEquals("first signal handled", readLine(r));
            signal(p, "INT");
            assertEquals(130, p.waitFor());
            String rest = readLine(r);
            assertTrue(rest.contains("second INT signal, exiting now"), rest);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigintInterruptsAMainBlockedOutsideAnyGroup() throws Exception {
        Process p = start("plain");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", readLine(r));
            signal(p, "INT");
            String last = readLine(r);
            assertTrue(last.startsWith("cancelled cleanly: main interrupted"), last);
            assertEquals(130, p.waitFor());
        } finally {
            p.destroyForcibly();
        }
    }
}
