package dev.weft.internal.debug;

import dev.weft.debug.DebugReport;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;

/**
 * Pinning reports: an in-process JFR {@link RecordingStream} with {@code jdk.VirtualThreadPinned}
 * enabled above the pinning threshold, each event turned into a {@link DebugReport.Kind#PINNED}
 * report naming the Weft task that ran on the pinned virtual thread (looked up by thread id) and
 * the stack JFR recorded. JFR delivers events in batches, about once a second: a report arrives up
 * to a second or so after the pin.
 */
final class PinMonitor {
    private static volatile RecordingStream stream;
    private static final Object FLUSH = new Object();
    private static long flushes; // guarded by FLUSH

    private PinMonitor() {
    }

    static void start() {
        try {
            RecordingStream rs = new RecordingStream();
            rs.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ofNanos(Registry.pinThresholdNanos))
                    .withStackTrace();
            rs.setMaxAge(Duration.ofSeconds(10));
            rs.onEvent("jdk.VirtualThreadPinned", PinMonitor::pinned);
            rs.onFlush(() -> {
                synchronized (FLUSH) {
                    flushes++;
                    FLUSH.notifyAll();
                }
            });
            // rs.startAsync() would run the stream on a non-daemon thread, and a program whose main
            // returned would never exit (DebugModeExitTest): run it on a daemon thread of our own.
            Thread.ofPlatform().daemon().name("weft-debug-pins").start(() -> {
                try {
                    rs.start();
                } catch (RuntimeException e) {
                    Registry.LOG.log(Level.WARNING, "Weft debug mode: the JFR pinning stream stopped", e);
                }
            });
            stream = rs;
        } catch (Throwable t) { // JFR unavailable or disabled in this JVM: debug mode goes on without it
            Registry.LOG.log(Level.WARNING, "Weft debug mode: JFR could not be started, pinning is not reported", t);
        }
    }

    static void threshold(Duration d) {
        RecordingStream rs = stream;
        if (rs != null) {
            rs.enable("jdk.VirtualThreadPinned").withThreshold(d).withStackTrace();
        }
    }

    /** Waits for two flushes of the stream to begin and end after this call (so earlier events were delivered). */
    static boolean awaitFlush(Duration max) throws InterruptedException {
        if (stream == null) {
            return false;
        }
        long end = System.nanoTime() + max.toNanos();
        synchronized (FLUSH) {
            long target = flushes + 2;
            while (flushes < target) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                FLUSH.wait(Math.max(1, left / 1_000_000));
            }
        }
        return true;
    }

    /** JFR frames carry no file name: the usual one, from the top-level class's name. */
    private static String sourceFile(String cls) {
        if (cls.contains("$$Lambda") || cls.contains("/0x")) {
            return null; // a hidden class has no source file
        }
        String top = cls.substring(cls.lastIndexOf('.') + 1);
        int dollar = top.indexOf('$');
        return (dollar > 0 ? top.substring(0, dollar) : top) + ".java";
    }

    private static void pinned(RecordedEvent e) {
        if (e.getDuration().toNanos() < Registry.pinThresholdNanos) {
            return;
        }
        RecordedThread rt = e.getThread();
        long tid = rt == null ? -1 : rt.getJavaThreadId();
        Registry.Who n = Registry.byThread(tid);
        List<StackTraceElement> frames = new ArrayList<>();
        if (e.getStackTrace() != null) {
            for (RecordedFrame f : e.getStackTrace().getFrames()) {
                String cls = f.getMethod().getType().getName();
                if (f.isJavaFrame() && !(frames.isEmpty() && cls.equals("java.lang.VirtualThread"))) {
                    frames.add(new StackTraceElement(cls, f.getMethod().getName(), sourceFile(cls), f.getLineNumber()));
                }
            }
        }
        String who = n != null ? n.label()
                : "virtual thread '" + (rt == null ? "?" : rt.getJavaName()) + "' #" + tid + " (not a Weft task)";
        String why = e.hasField("pinnedReason") ? e.getString("pinnedReason") : null;
        String blocking = e.hasField("blockingOperation") ? e.getString("blockingOperation") : null;
        Registry.report(DebugReport.Kind.PINNED, who + " pinned its carrier thread for "
                + Format.ms(e.getDuration()) + " (threshold " + Format.ms(Registry.pinThreshold()) + ")"
                + (blocking != null ? " in " + blocking : "") + (why != null ? ": " + why : ""),
                Format.frames("pinned at", frames) + (n == null ? "" : Registry.siteText(n.site())),
                n == null ? 0 : n.id(), n == null ? null : n.name(), frames);
    }
}
