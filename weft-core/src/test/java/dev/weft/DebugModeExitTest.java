package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A program in debug mode exits when its main returns: none of debug mode's threads (the
 * watchdog, the cleaner, the JFR pinning stream) keeps the JVM alive. The JFR stream once ran on a
 * non-daemon thread and such a program never exited (the child would be killed by ChildJvm's
 * 90 s kill-switch, status 137).
 */
class DebugModeExitTest {

    /** The child: a few tasks on virtual time and real time, then main returns without System.exit. */
    public static final class Main {
        private Main() {
        }

        public static void main(String[] args) throws Exception {
            String w = Weft.run(() -> Weft.race(() -> {
                Weft.sleep(java.time.Duration.ofMillis(50));
                return "slow";
            }, () -> "fast"));
            System.out.println("main returns: " + w + ", debug " + dev.weft.debug.Debug.isEnabled());
        }
    }

    @Test
    void aDebugModeProgramExitsWhenMainReturns() throws Exception {
        Process p = ChildJvm.startWith(List.of("-Dweft.debug=true", "-Djava.util.logging.config.file=/dev/null"), Main.class);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("main returns: fast, debug true"), out);
    }
}
