package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Test helper: a child JVM on this test class path, and real signals to it. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Starts {@code main} in a child JVM (stderr merged into stdout); it is killed if it runs 90 s. */
    static Process start(Class<?> main, String... args) throws Exception {
        return startWith(List.of(), main, args);
    }

    /** As {@link #start}, with JVM options (e.g. {@code -Dweft.debug=true}) before the class name. */
    static Process startWith(List<String> jvmOptions, Class<?> main, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(defaultSignals());
        cmd.addAll(List.of(java, "-cp", System.getProperty("java.class.path")));
        cmd.addAll(jvmOptions);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        // kill-switch: a child that never exits must fail the test, not hang it in readLine
        Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(90, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
            }
        });
        return p;
    }

    /**
     * What to put before a child's command so that it handles SIGINT and SIGTERM: nothing, unless this JVM
     * was started with them ignored (a background job of a shell without job control, as in
     * {@code ./run-tests &} from a script). Ignored signals are inherited, and a JVM that starts with a
     * signal ignored leaves it ignored: the signal tests would wait for nothing. Then the child runs
     * under {@code env --default-signal=INT,TERM} (GNU coreutils 8.31+).
     */
    static List<String> defaultSignals() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
                    long intOrTerm = (1L << (2 - 1)) | (1L << (15 - 1));
                    return (ignored & intOrTerm) != 0 ? List.of("env", "--default-signal=INT,TERM") : List.of();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to undo
        }
        return List.of();
    }

    /** Sends signal {@code sig} ("INT", "TERM") to {@code p}. */
    static void signal(Process p, String sig) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor());
    }
}
