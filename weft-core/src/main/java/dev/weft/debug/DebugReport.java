package dev.weft.debug;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One finding of debug mode: what happened (a one-line {@link #summary()}), the details (task tree
 * excerpt, stacks), and the task it concerns. Reports are logged through {@link System.Logger}
 * {@code dev.weft.debug} at {@code WARNING} (summary line, then the detail) and handed to every
 * {@linkplain Debug#addListener listener}.
 *
 * @param kind what was found
 * @param summary one line naming the task or group and the problem
 * @param detail further lines: stacks, spawn site, the tasks concerned (may be empty)
 * @param taskId the registry id of the task or group concerned ({@link DebugNode#id()}), or 0 if none
 * @param taskName the name of the task or group concerned, or null if none
 * @param stack the stack that matters most for this report (spawn site, current stack, pinned stack),
 *     possibly empty
 * @param at when the report was made (wall clock)
 */
public record DebugReport(Kind kind, String summary, String detail, long taskId, String taskName,
        List<StackTraceElement> stack, Instant at) {

    /** The kinds of finding. */
    public enum Kind {
        /** A task failed, nobody read its failure, and its handle became unreachable (asyncio's "exception was never retrieved"). */
        UNOBSERVED_FAILURE,
        /** {@code Weft.run}'s main returned while tasks or scopes it started were still running. */
        RUNNING_AT_EXIT,
        /** A cancelled group waited longer than the grace period for children that ignore their interrupt. */
        SLOW_CLOSE,
        /** A virtual thread stayed pinned to its carrier longer than the pinning threshold (JFR {@code jdk.VirtualThreadPinned}). */
        PINNED,
        /** A task kept its carrier busy without blocking for longer than the hogging threshold (CPU-bound work). */
        CARRIER_HOG,
        /** A blocking Weft call was made from a thread that must not block (the common pool, the offload pool). */
        BLOCKING_IN_WRONG_PLACE
    }

    /** Validates and copies. */
    public DebugReport {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(summary, "summary");
        detail = detail == null ? "" : detail;
        stack = stack == null ? List.of() : List.copyOf(stack);
        Objects.requireNonNull(at, "at");
    }

    @Override
    public String toString() {
        return detail.isEmpty() ? summary : summary + System.lineSeparator() + detail;
    }
}
