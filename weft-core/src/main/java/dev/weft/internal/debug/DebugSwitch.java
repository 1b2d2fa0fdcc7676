package dev.weft.internal.debug;

import java.util.Locale;

/**
 * Decides once, when {@link DebugHooks} is initialized, whether debug mode is on: the system
 * property {@code weft.debug}, the environment variable {@code WEFT_DEBUG} ({@code true}, {@code 1},
 * {@code yes}, {@code on}), or {@code Debug.enable()} called before that moment.
 */
public final class DebugSwitch {
    private static boolean requested; // guarded by DebugSwitch.class
    private static boolean decided;   // guarded by DebugSwitch.class
    private static boolean value;     // guarded by DebugSwitch.class

    private DebugSwitch() {
    }

    /** Called by DebugHooks' initializer: fixes the mode for the life of the JVM. */
    static synchronized boolean decide() {
        if (!decided) {
            value = requested || truthy(System.getProperty("weft.debug")) || truthy(System.getenv("WEFT_DEBUG"));
            decided = true;
        }
        return value;
    }

    /**
     * Requests debug mode. Returns normally if debug mode is (or will be) on; throws if it was
     * already decided off.
     */
    public static synchronized void request() {
        if (decided && !value) {
            throw new IllegalStateException("Weft debug mode was already decided off when Weft was first used;"
                    + " call Debug.enable() before any other Weft call (first thing in main), or start the JVM"
                    + " with -Dweft.debug=true or the environment variable WEFT_DEBUG=1");
        }
        requested = true;
    }

    static boolean truthy(String s) {
        if (s == null) {
            return false;
        }
        return switch (s.trim().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            default -> false;
        };
    }
}
