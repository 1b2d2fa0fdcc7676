package dev.weft.test.internal;

import dev.weft.debug.Debug;
import java.lang.System.Logger.Level;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Turns Weft debug mode on when the JUnit launcher session opens, before any test class (and so
 * before any Weft call) runs: debug mode is decided once per JVM. {@code -Dweft.debug=false}
 * keeps it off.
 */
public final class DebugModeSessionListener implements LauncherSessionListener {
    /** Called by the JUnit platform through {@link java.util.ServiceLoader}. */
    public DebugModeSessionListener() {
    }

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        if ("false".equalsIgnoreCase(System.getProperty("weft.debug"))) {
            return;
        }
        try {
            Debug.enable();
        } catch (IllegalStateException e) {
            System.getLogger("dev.weft.test").log(Level.WARNING, "weft-test could not turn Weft debug mode on: "
                    + e.getMessage());
        }
    }
}
