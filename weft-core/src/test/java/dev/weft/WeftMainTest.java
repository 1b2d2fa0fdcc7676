package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Weft.main: the exit status of a program, with real signals to a child JVM. */
class WeftMainTest {

    private static Process start(String... args) throws Exception {
        return ChildJvm.start(WeftMainProgram.class, args);
    }

    private static void signal(Process p, String sig) throws Exception {
        ChildJvm.signal(p, sig);
    }

    private static String rest(BufferedReader r) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (String l; (l = r.readLine()) != null; ) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    @Test
    void sigintExits130WithNothingPrinted() throws Exception {
        Process p = start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", r.readLine());
            signal(p, "INT");
            assertEquals(130, p.waitFor());
            assertEquals("", rest(r), "a Ctrl-C is not an error: no stack trace");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void sigtermExits143() throws Exception {
        Process p = start();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("ready", r.readLine());
            signal(p, "TERM");
            assertEquals(143, p.waitFor());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aFailureExits1WithItsStackTrace() throws Exception {
        Process p = start("fail");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String out = rest(r);
            assertEquals(1, p.waitFor());
            assertTrue(out.startsWith("Exception in Weft.main: java.lang.IllegalStateException: the program failed on purpose"), out);
            assertTrue(out.contains("at dev.weft.WeftMainProgram.run"), out);
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void returningExits0() throws Exception {
        Process p = start("ok");
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("done", r.readLine());
            assertEquals(0, p.waitFor());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void exitStatusInProcess() {
        assertEquals(0, Weft.exitStatus(new String[0], args -> { }));
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            assertEquals(1, Weft.exitStatus(new String[] {"x"}, args -> {
                throw new java.io.IOException("no file " + args[0]);
            }));
        } finally {
            System.setErr(err);
        }
        assertTrue(buf.toString(StandardCharsets.UTF_8).startsWith("Exception in Weft.main: java.io.IOException: no file x"));
        assertFalse(Thread.currentThread().isInterrupted());
    }
}
