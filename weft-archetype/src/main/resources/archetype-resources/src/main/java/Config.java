package ${package};

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;

/**
 * The service's configuration: built-in defaults, then a properties file, then environment variables
 * (each later source wins). Every value is checked at start-up and every problem is reported at once,
 * each naming the key, the value, where it came from and what to write instead.
 *
 * <p>The file is {@code config/app.properties} unless {@code --config FILE} or {@code APP_CONFIG}
 * names another (a file named so must exist; the default one may be absent). A key's environment
 * variable is {@code APP_} and the key in capitals with {@code .} and {@code -} as {@code _}:
 * {@code port} is {@code APP_PORT}, {@code jobs.queue-size} is {@code APP_JOBS_QUEUE_SIZE}. A key the
 * service does not know, in the file, is an error (a typo would otherwise be silently ignored).
 *
 * @param host the interface to listen on
 * @param port the port, 0 for a free one
 * @param requestTimeout each request's deadline
 * @param drainTimeout how long shutdown waits for requests in flight, then for queued jobs
 * @param upstreams what {@code GET /aggregate} calls; empty for the built-in demo upstreams
 * @param fanoutDeadline how long {@code GET /aggregate} waits for its upstreams
 * @param perHostLimit requests in flight to one host
 * @param workers background job workers
 * @param queueSize job queue capacity
 * @param jobTimeout each job's time limit
 * @param logLevel the minimum level logged
 */
public record Config(String host, int port, Duration requestTimeout, Duration drainTimeout, List<URI> upstreams,
                     Duration fanoutDeadline, int perHostLimit, int workers, int queueSize, Duration jobTimeout,
                     Level logLevel) {

    /** The default configuration file, relative to the working directory. */
    public static final Path DEFAULT_FILE = Path.of("config", "app.properties");

    private static final Map<String, String> DEFAULTS = defaults();

    private static Map<String, String> defaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("host", "127.0.0.1");
        d.put("port", "8080");
        d.put("request.timeout", "10s");
        d.put("drain.timeout", "20s");
        d.put("fanout.upstreams", "");
        d.put("fanout.deadline", "2s");
        d.put("http.per-host-limit", "8");
        d.put("jobs.workers", "4");
        d.put("jobs.queue-size", "1000");
        d.put("jobs.timeout", "30s");
        d.put("log.level", "INFO");
        return Map.copyOf(d);
    }

    /** The configuration was not valid; the message lists every problem, one a line. */
    public static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        private final List<String> problems;

        Invalid(List<String> problems) {
            super(message(problems));
            this.problems = List.copyOf(problems);
        }

        private static String message(List<String> problems) {
            StringBuilder sb = new StringBuilder("configuration: ").append(problems.size())
                    .append(problems.size() == 1 ? " problem" : " problems").append(", the service did not start:");
            for (String p : problems) {
                sb.append(System.lineSeparator()).append("  - ").append(p);
            }
            return sb.toString();
        }

        /**
         * The problems, one per bad key or file.
         *
         * @return the problems, in key order
         */
        public List<String> problems() {
            return problems;
        }
    }

    /** A value and where it came from, for the messages. */
    private record Setting(String value, String source) {
    }

    /**
     * Loads the configuration.
     *
     * @param env the environment ({@link System#getenv()})
     * @param args the command-line arguments ({@code --config FILE} is the only one)
     * @param defaultFile the file used when neither {@code --config} nor {@code APP_CONFIG} names one
     * @return the checked configuration
     * @throws Invalid if an argument, the file or a value is wrong: the message says which and what to do
     */
    public static Config load(Map<String, String> env, String[] args, Path defaultFile) throws Invalid {
        List<String> problems = new ArrayList<>();
        Path file = defaultFile;
        boolean named = false;
        if (env.get("APP_CONFIG") != null && !env.get("APP_CONFIG").isBlank()) {
            file = Path.of(env.get("APP_CONFIG"));
            named = true;
        }
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                file = Path.of(args[++i]);
                named = true;
            } else if (args[i].startsWith("--config=")) {
                file = Path.of(args[i].substring("--config=".length()));
                named = true;
            } else {
                problems.add("unknown argument '" + args[i] + "': the only one is --config FILE (settings go in the file or in APP_* environment variables)");
            }
        }
        Map<String, Setting> settings = new LinkedHashMap<>();
        DEFAULTS.forEach((k, v) -> settings.put(k, new Setting(v, "default")));
        readFile(file, named, settings, problems);
        for (String key : DEFAULTS.keySet()) {
            String value = env.get(envName(key));
            if (value != null) {
                settings.put(key, new Setting(value.strip(), "environment " + envName(key)));
            }
        }
        Parser p = new Parser(settings, problems);
        Config c = new Config(
                p.text("host"),
                p.integer("port", 0, 65535, "a port number 0..65535 (0 picks a free one)"),
                p.duration("request.timeout"),
                p.duration("drain.timeout"),
                p.uris("fanout.upstreams"),
                p.duration("fanout.deadline"),
                p.integer("http.per-host-limit", 1, 10_000, "a whole number 1..10000"),
                p.integer("jobs.workers", 1, 1_000, "a whole number 1..1000"),
                p.integer("jobs.queue-size", 1, 10_000_000, "a whole number 1..10000000"),
                p.duration("jobs.timeout"),
                p.level("log.level"));
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return c;
    }

    /**
     * A key's environment variable: {@code APP_} and the key in capitals, {@code .} and {@code -} as {@code _}.
     *
     * @param key the key, such as {@code jobs.queue-size}
     * @return the variable's name, such as {@code APP_JOBS_QUEUE_SIZE}
     */
    public static String envName(String key) {
        return "APP_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static void readFile(Path file, boolean named, Map<String, Setting> settings, List<String> problems) {
        Properties props = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(r);
        } catch (NoSuchFileException e) {
            if (named) {
                problems.add("config file " + file.toAbsolutePath() + " does not exist: fix the path given by --config or APP_CONFIG");
            }
            return;
        } catch (IOException | IllegalArgumentException e) {
            problems.add("config file " + file + " could not be read (" + e.getMessage() + "): check that it is a readable properties file in UTF-8");
            return;
        }
        Set<String> unknown = new TreeSet<>();
        for (String key : props.stringPropertyNames()) {
            if (DEFAULTS.containsKey(key)) {
                settings.put(key, new Setting(props.getProperty(key).strip(), file.toString()));
            } else {
                unknown.add(key);
            }
        }
        for (String key : unknown) {
            problems.add("unknown key '" + key + "' in " + file + ": remove it or correct its name (keys: "
                    + String.join(", ", new TreeSet<>(DEFAULTS.keySet())) + ")");
        }
    }

    /** Parses values, collecting problems instead of stopping at the first. */
    private record Parser(Map<String, Setting> settings, List<String> problems) {
        private String problem(String key, String what) {
            Setting s = settings.get(key);
            problems.add(key + " = '" + s.value() + "' (from " + s.source() + "): " + what);
            return null;
        }

        String text(String key) {
            String v = settings.get(key).value();
            if (v.isEmpty()) {
                problem(key, "must not be empty");
            }
            return v;
        }

        int integer(String key, int min, int max, String expected) {
            String v = settings.get(key).value();
            try {
                int n = Integer.parseInt(v);
                if (n >= min && n <= max) {
                    return n;
                }
                problem(key, "out of range; use " + expected);
            } catch (NumberFormatException e) {
                problem(key, "not a whole number; use " + expected);
            }
            return min;
        }

        Duration duration(String key) {
            String v = settings.get(key).value();
            Duration d = parseDuration(v);
            if (d == null) {
                problem(key, "not a duration; write it as 500ms, 2s, 1m or ISO-8601 (PT2S)");
                return Duration.ofSeconds(1);
            }
            if (d.isZero() || d.isNegative()) {
                problem(key, "must be positive");
                return Duration.ofSeconds(1);
            }
            return d;
        }

        List<URI> uris(String key) {
            String v = settings.get(key).value();
            List<URI> out = new ArrayList<>();
            if (v.isBlank()) {
                return out;
            }
            for (String part : v.split(",")) {
                String s = part.strip();
                try {
                    URI u = new URI(s);
                    if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                        problem(key, "'" + s + "' is not an absolute http or https URL; write URLs such as http://host:8080/path, separated by commas");
                    } else {
                        out.add(u);
                    }
                } catch (java.net.URISyntaxException e) {
                    problem(key, "'" + s + "' is not a URL (" + e.getReason() + "); write URLs such as http://host:8080/path, separated by commas");
                }
            }
            return out;
        }

        Level level(String key) {
            String v = settings.get(key).value().toUpperCase(Locale.ROOT);
            return switch (v) {
                case "ERROR" -> Level.SEVERE;
                case "WARNING", "WARN" -> Level.WARNING;
                case "INFO" -> Level.INFO;
                case "DEBUG" -> Level.FINE;
                case "TRACE" -> Level.FINEST;
                default -> {
                    problem(key, "not a level; use ERROR, WARNING, INFO, DEBUG or TRACE");
                    yield Level.INFO;
                }
            };
        }
    }

    /**
     * Parses {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h} or ISO-8601 ({@code PT2S}).
     *
     * @param text the text
     * @return the duration, or null if the text is none of those
     */
    static Duration parseDuration(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("pt") || t.startsWith("p")) {
                return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, Math.max(0, t.length() - 1)));
            return switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                default -> null;
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }
}
