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
 * does not. The same for Jetty's {@code org.eclipse.jetty} when an {@link HttpSession} first makes its
 * Jetty client (never for a session that only speaks plain http through the direct transport: setting
 * a level starts the logging system, which looks for its backend in every jar of the class path).
 */
final class QuietLogging {
    // JUL holds loggers weakly: keep the configured ones alive, or their levels are forgotten
    private static final java.util.Map<String, Logger> KEPT = new java.util.concurrent.ConcurrentHashMap<>();

    private QuietLogging() {
    }

    /** Helidon's loggers at WARNING unless configured; called by {@link WebApp#start()}. */
    static void helidon() {
        quiet("io.helidon");
    }

    /**
     * Jetty's loggers (SLF4J, bound to {@code java.util.logging} by slf4j-jdk14 where Weft's CLI runs)
     * at WARNING unless configured; called when a session makes its Jetty client.
     */
    static void jetty() {
        quiet("org.eclipse.jetty");
    }

    private static void quiet(String name) {
        if (KEPT.containsKey(name)) {
            return;
        }
        synchronized (QuietLogging.class) {
            if (KEPT.containsKey(name)) {
                return;
            }
            Logger l = Logger.getLogger(name);
            Level root = Logger.getLogger("").getLevel();
            boolean askedForMore = root != null && root.intValue() < Level.INFO.intValue();
            if (l.getLevel() == null && LogManager.getLogManager().getProperty(name + ".level") == null && !askedForMore) {
                l.setLevel(Level.WARNING);
            }
            KEPT.put(name, l);
        }
    }
}
