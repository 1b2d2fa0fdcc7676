package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
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

    /** Sends signal {@code sig} ("INT", "TERM") to {@code p}. */
    static void signal(Process p, String sig) throws Exception {
        assertEquals(0, new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).start().waitFor());
    }
}
