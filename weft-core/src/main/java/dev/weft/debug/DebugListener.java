package dev.weft.debug;

/**
 * Receives {@link DebugReport}s (tests, tools). Called on the thread that found the problem (a
 * watchdog thread, the JFR streaming thread, the Cleaner thread, or the task itself): keep it short
 * and never block. An exception it throws is logged and does not stop other listeners.
 */
@FunctionalInterface
public interface DebugListener {
    /**
     * Handles one report.
     *
     * @param report the finding
     */
    void onReport(DebugReport report);
}
