package dev.weft.http;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * A library is quiet unless asked: Helidon logs every start and stop at INFO through
 * {@code java.util.logging} ("Helidon SE 4.5.0 features: ...", "Started all channels in ...",
 * "socket closed"). Unless the application configured the {@code io.helidon} logger itself (a
 * level set in code or in its logging configuration, or a root level below INFO),
 * {@link WebApp#start()} raises that logger to WARNING: failures still show, the start-up chatter
 * does not.
 */
final class QuietLogging {
    // JUL holds loggers weakly: keep the configured one alive, or its level is forgotten
    private static volatile Logger helidon;

    private QuietLogging() {
    }

    static void helidon() {
        if (helidon != null) {
            return;
        }
        synchronized (QuietLogging.class) {
            if (helidon != null) {
                return;
            }
            Logger l = Logger.getLogger("io.helidon");
            Level root = Logger.getLogger("").getLevel();
            boolean askedForMore = root != null && root.intValue() < Level.INFO.intValue();
            if (l.getLevel() == null && LogManager.getLogManager().getProperty("io.helidon.level") == null && !askedForMore) {
                l.setLevel(Level.WARNING);
            }
            helidon = l;
        }
    }
}
