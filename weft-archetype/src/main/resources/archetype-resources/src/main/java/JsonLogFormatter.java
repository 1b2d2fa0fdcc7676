package ${package};

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * Structured logging: every log record as one JSON object on one line, for a log collector
 * ({@code {"ts":...,"level":"INFO","logger":...,"thread":...,"msg":...}}, plus {@code "error"} with
 * the stack trace when there is one).
 *
 * <p>The service logs through {@link System.Logger} (as Weft does); Helidon logs through
 * {@code java.util.logging}; the HTTP client (Jetty) through SLF4J, routed to {@code java.util.logging}
 * by {@code slf4j-jdk14}. So one {@code java.util.logging} handler with this formatter formats
 * everything, with no logging library. Fields: a log call whose only parameter is a {@link Map}
 * adds the map's entries as fields:
 * {@snippet :
 * LOG.log(System.Logger.Level.INFO, "job done", Map.of("job", id, "ms", ms));
 * }
 */
public final class JsonLogFormatter extends Formatter {

    /**
     * Sends every log record of the JVM to standard output as JSON lines, at {@code level} and above.
     *
     * @param level the minimum level
     */
    public static void install(Level level) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Handler out = new StreamHandler(System.out, new JsonLogFormatter()) {
            @Override
            public synchronized void publish(LogRecord r) {
                super.publish(r);
                flush(); // one line at a time: nothing is lost when the process stops
            }
        };
        out.setLevel(level);
        root.addHandler(out);
        root.setLevel(level);
        // chatty at INFO; their warnings and errors still come through
        Logger.getLogger("io.helidon").setLevel(level.intValue() < Level.INFO.intValue() ? level : Level.WARNING);
        Logger.getLogger("org.eclipse.jetty").setLevel(level.intValue() < Level.INFO.intValue() ? level : Level.WARNING);
    }

    @Override
    public String format(LogRecord r) {
        StringBuilder sb = new StringBuilder(160).append('{');
        field(sb, "ts", Instant.ofEpochMilli(r.getMillis()).toString());
        field(sb, "level", level(r.getLevel()));
        field(sb, "logger", r.getLoggerName());
        field(sb, "thread", Thread.currentThread().getName().isEmpty() ? "virtual-" + r.getLongThreadID() : Thread.currentThread().getName());
        Object[] params = r.getParameters();
        if (params != null && params.length == 1 && params[0] instanceof Map<?, ?> fields) {
            field(sb, "msg", r.getMessage());
            for (Map.Entry<?, ?> e : fields.entrySet()) {
                field(sb, String.valueOf(e.getKey()), e.getValue());
            }
        } else {
            field(sb, "msg", formatMessage(r));
        }
        if (r.getThrown() != null) {
            StringWriter w = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(w));
            field(sb, "error", w.toString().stripTrailing());
        }
        sb.setLength(sb.length() - 1); // the last comma
        return sb.append('}').append('\n').toString();
    }

    private static String level(Level l) {
        int v = l.intValue();
        return v >= Level.SEVERE.intValue() ? "ERROR" : v >= Level.WARNING.intValue() ? "WARN"
                : v >= Level.INFO.intValue() ? "INFO" : v >= Level.FINE.intValue() ? "DEBUG" : "TRACE";
    }

    private static void field(StringBuilder sb, String name, Object value) {
        quote(sb, name);
        sb.append(':');
        if (value == null) {
            sb.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            sb.append(value);
        } else {
            quote(sb, value.toString());
        }
        sb.append(',');
    }

    /**
     * Appends {@code s} as a JSON string.
     *
     * @param sb where to append
     * @param s the text
     */
    static void quote(StringBuilder sb, String s) {
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
}
