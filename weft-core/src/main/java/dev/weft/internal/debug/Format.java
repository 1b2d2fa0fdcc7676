package dev.weft.internal.debug;

import dev.weft.debug.DebugNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Text and JSON renderings of the task tree and of stacks. */
final class Format {
    private static final String NL = System.lineSeparator();
    /** Weft's own frames (and the JDK's) are not where the user's code is. */
    private static final String[] WEFT_CLASSES = {"dev.weft.TaskGroup", "dev.weft.Task", "dev.weft.Weft",
        "dev.weft.CancelScope", "dev.weft.Timeouts", "dev.weft.Root", "dev.weft.VirtualTime", "dev.weft.Limiter",
        "dev.weft.Offload", "dev.weft.ResourceStack", "dev.weft.AsCompleted"};

    private Format() {
    }

    static boolean isWeftOrJdk(StackTraceElement e) {
        String c = e.getClassName();
        if (c.startsWith("dev.weft.internal.") || c.startsWith("java.") || c.startsWith("jdk.")
                || c.startsWith("sun.")) {
            return true;
        }
        for (String w : WEFT_CLASSES) {
            if (c.equals(w) || c.startsWith(w + "$")) {
                return true;
            }
        }
        return false;
    }

    /** The first frame that is neither Weft's nor the JDK's, or null. */
    static StackTraceElement firstUserFrame(List<StackTraceElement> frames) {
        for (StackTraceElement e : frames) {
            if (!isWeftOrJdk(e)) {
                return e;
            }
        }
        return null;
    }

    /** Drops the leading Weft and JDK frames (the spawn machinery) so the first frame is the caller. */
    static List<StackTraceElement> dropWeftFrames(List<StackTraceElement> frames) {
        int i = 0;
        while (i < frames.size() && isWeftOrJdk(frames.get(i))) {
            i++;
        }
        return i == frames.size() ? frames : frames.subList(i, frames.size());
    }

    static String frames(String title, List<StackTraceElement> frames) {
        return frames(title, frames, 16);
    }

    static String frames(String title, List<StackTraceElement> frames, int max) {
        if (frames.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (StackTraceElement e : frames) {
            if (shown == max) {
                sb.append("      ... ").append(frames.size() - max).append(" more").append(NL);
                break;
            }
            sb.append(shown == 0 ? "  " + title + " " : "      ").append(e).append(NL);
            shown++;
        }
        return sb.toString();
    }

    static String ms(Duration d) {
        long ms = d.toMillis();
        if (Math.abs(ms) < 10_000) {
            return ms + " ms";
        }
        return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    static String label(DebugNode n) {
        return switch (n.kind()) {
            case ROOT -> "root";
            case GROUP -> "group";
            case TASK -> "task";
            case CANCEL_SCOPE -> "scope";
        };
    }

    /** The tree as indented text, one node a line. */
    static String text(List<DebugNode> nodes) {
        StringBuilder sb = new StringBuilder();
        sb.append("Weft task tree: pid ").append(ProcessHandle.current().pid()).append(", ").append(nodes.size())
                .append(nodes.size() == 1 ? " live node, " : " live nodes, ").append(Instant.now()).append(NL);
        if (nodes.isEmpty()) {
            sb.append("  (nothing running in Weft)").append(NL);
            return sb.toString();
        }
        Map<Long, List<DebugNode>> children = new HashMap<>();
        Map<Long, DebugNode> byId = new HashMap<>();
        for (DebugNode n : nodes) {
            byId.put(n.id(), n);
        }
        List<DebugNode> tops = new ArrayList<>();
        for (DebugNode n : nodes) {
            if (n.parentId() != 0 && byId.containsKey(n.parentId())) {
                children.computeIfAbsent(n.parentId(), k -> new ArrayList<>()).add(n);
            } else {
                tops.add(n);
            }
        }
        for (DebugNode n : tops) {
            line(sb, n, children, 1);
        }
        return sb.toString();
    }

    private static void line(StringBuilder sb, DebugNode n, Map<Long, List<DebugNode>> children, int depth) {
        sb.append("  ".repeat(depth)).append('#').append(n.id()).append(' ').append(label(n)).append(" '")
                .append(n.name()).append("' ").append(n.state());
        if (n.cancelled() != null) {
            sb.append(" CANCELLED(").append(n.cancelled()).append(')');
        }
        sb.append(", age ").append(ms(n.age()));
        if (n.deadlineRemaining() != null) {
            Duration r = n.deadlineRemaining();
            sb.append(r.isNegative() ? ", deadline passed " + ms(r.negated()) + " ago" : ", deadline in " + ms(r));
        }
        if (n.kind() == DebugNode.Kind.TASK || n.kind() == DebugNode.Kind.ROOT) {
            sb.append(", thread '").append(n.thread()).append("' ").append(n.threadState());
        }
        if (n.waitingOn() != null) {
            sb.append(", waiting on ").append(n.waitingOn()).append(" for ").append(ms(n.waitingFor()));
        }
        if (!n.spawnSite().isEmpty()) {
            sb.append(", from ").append(n.spawnSite().get(0));
        }
        sb.append(NL);
        for (DebugNode c : children.getOrDefault(n.id(), List.of())) {
            line(sb, c, children, depth + 1);
        }
    }

    /** The tree as JSON: {"pid":..,"time":..,"nodes":[{...}]} with parents listed before children. */
    static String json(List<DebugNode> nodes) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"pid\":").append(ProcessHandle.current().pid()).append(",\"time\":");
        str(sb, Instant.now().toString());
        sb.append(",\"nodes\":[");
        boolean first = true;
        for (DebugNode n : nodes) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append("{\"id\":").append(n.id()).append(",\"parent\":").append(n.parentId()).append(",\"kind\":");
            str(sb, label(n));
            sb.append(",\"name\":");
            str(sb, n.name());
            sb.append(",\"state\":");
            str(sb, n.state());
            sb.append(",\"cancelled\":");
            str(sb, n.cancelled());
            sb.append(",\"ageMs\":").append(n.age().toMillis());
            sb.append(",\"thread\":");
            str(sb, n.thread());
            sb.append(",\"threadState\":");
            str(sb, n.threadState());
            sb.append(",\"waitingOn\":");
            str(sb, n.waitingOn());
            sb.append(",\"waitingMs\":").append(n.waitingFor().toMillis());
            sb.append(",\"deadlineRemainingMs\":")
                    .append(n.deadlineRemaining() == null ? "null" : Long.toString(n.deadlineRemaining().toMillis()));
            sb.append(",\"spawnSite\":[");
            for (int i = 0; i < n.spawnSite().size() && i < 16; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                str(sb, n.spawnSite().get(i).toString());
            }
            sb.append("]}");
        }
        sb.append("]}");
        return sb.toString();
    }

    static void str(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    static String text() {
        return text(Registry.snapshot());
    }

    static String json() {
        return json(Registry.snapshot());
    }
}
