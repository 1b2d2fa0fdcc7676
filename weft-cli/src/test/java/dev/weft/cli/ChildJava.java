package dev.weft.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test helper: the command line of a child JVM that a test will send SIGINT or SIGTERM to. */
final class ChildJava {
    private ChildJava() {
    }

    /**
     * {@code java ARGS} with this JVM's {@code java}, run under {@code env --default-signal=INT,TERM}
     * when this JVM was started with those signals ignored (a background job of a shell without job
     * control, as {@code ./run-tests &} in a script): ignored signals are inherited, and a JVM that starts
     * with a signal ignored never handles it, so the test would wait for an exit that never comes.
     */
    static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        if (intOrTermIgnored()) {
            cmd.addAll(List.of("env", "--default-signal=INT,TERM"));
        }
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(args);
        return cmd;
    }

    private static boolean intOrTermIgnored() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    long ignored = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
                    return (ignored & ((1L << (2 - 1)) | (1L << (15 - 1)))) != 0; // SIGINT is 2, SIGTERM 15
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: nothing to undo
        }
        return false;
    }
}
