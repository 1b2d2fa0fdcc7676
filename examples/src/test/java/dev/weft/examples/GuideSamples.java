package dev.weft.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Keeps the guides' code blocks equal to tagged regions of compiled sources (ADR 0610).
 *
 * <p>A guide includes a region with an HTML comment followed at once by a fenced block:
 * <pre>
 * &lt;!-- include: examples/src/main/java/dev/weft/examples/ConcurrencyPatterns.java#gather --&gt;
 * ```java
 * ...the region...
 * ```
 * </pre>
 * The region is the lines between {@code // tag::gather[]} and {@code // end::gather[]} in that
 * file (path relative to the repository root), without the marker lines of other regions nested
 * in it, with the common indentation removed. {@link GuideSamplesTest} fails on any difference;
 * {@code scripts/sync-guides} runs {@link #main} with {@code --write} to rewrite the blocks.
 *
 * <p>JDK only, so the script can run this file with the source launcher ({@code java GuideSamples.java}).
 */
public final class GuideSamples {
    static final Pattern INCLUDE = Pattern.compile("^<!-- include: (\\S+)#([A-Za-z0-9_.-]+) -->\\s*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*// (tag|end)::([A-Za-z0-9_.-]+)\\[\\]\\s*$");
    /** A Javadoc {@code {@snippet}} region marker ({@code // @start region="x"}, {@code // @end ...}): kept out of guide samples. */
    private static final Pattern SNIPPET_MARKUP = Pattern.compile("^\\s*// @(start|end)\\b.*$");

    private GuideSamples() {
    }

    /** One include of a guide, checked. */
    record Include(Path guide, int line, String source, String tag, String expected, String actual) {
        boolean inSync() {
            return expected != null && expected.equals(actual);
        }

        String problem() {
            if (expected == null) {
                return guide + ":" + line + ": region '" + tag + "' not found in " + source;
            }
            if (actual == null) {
                return guide + ":" + line + ": the include of " + source + "#" + tag
                        + " must be followed at once by a fenced code block";
            }
            return guide + ":" + line + ": the code block differs from " + source + "#" + tag
                    + " (run scripts/sync-guides)";
        }
    }

    /**
     * The region {@code tag} of a source file.
     *
     * @param file the source
     * @param tag the region's name
     * @return its text (lines joined with newlines, common indentation removed), or null if absent
     */
    static String region(Path file, String tag) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> lines = readLines(file);
        List<String> body = null;
        for (String l : lines) {
            Matcher m = MARKER.matcher(l);
            if (m.matches() && m.group(2).equals(tag)) {
                if (m.group(1).equals("tag")) {
                    body = new ArrayList<>();
                    continue;
                }
                if (body == null) {
                    return null;
                }
                return dedent(body);
            }
            if (body != null && !m.matches() && !SNIPPET_MARKUP.matcher(l).matches()) {
                body.add(l);
            }
        }
        return null; // no end marker
    }

    private static String dedent(List<String> body) {
        int indent = Integer.MAX_VALUE;
        for (String l : body) {
            if (!l.isBlank()) {
                indent = Math.min(indent, l.length() - l.stripLeading().length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String l : body) {
            sb.append(l.isBlank() ? "" : l.substring(indent).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Checks (and with {@code write}, rewrites) every include of every Markdown file under {@code docs/}.
     *
     * @param repo the repository root
     * @param write whether to rewrite blocks that differ
     * @return every include found, with its state before any rewrite
     */
    static List<Include> process(Path repo, boolean write) {
        List<Include> all = new ArrayList<>();
        for (Path guide : guides(repo)) {
            List<String> lines = readLines(guide);
            List<String> out = new ArrayList<>();
            boolean changed = false;
            for (int i = 0; i < lines.size(); i++) {
                String l = lines.get(i);
                out.add(l);
                Matcher m = INCLUDE.matcher(l);
                if (!m.matches()) {
                    continue;
                }
                String expected = region(repo.resolve(m.group(1)), m.group(2));
                String actual = null;
                int close = -1;
                if (i + 1 < lines.size() && lines.get(i + 1).startsWith("```")) {
                    for (int j = i + 2; j < lines.size(); j++) {
                        if (lines.get(j).equals("```")) {
                            close = j;
                            break;
                        }
                    }
                    if (close > 0) {
                        StringBuilder sb = new StringBuilder();
                        lines.subList(i + 2, close).forEach(x -> sb.append(x).append('\n'));
                        actual = sb.toString();
                    }
                }
                Include inc = new Include(repo.relativize(guide), i + 1, m.group(1), m.group(2), expected, actual);
                all.add(inc);
                if (write && expected != null && actual != null && !inc.inSync()) {
                    out.add(lines.get(i + 1));
                    out.addAll(expected.lines().toList());
                    out.add("```");
                    i = close;
                    changed = true;
                }
            }
            if (changed) {
                try {
                    Files.writeString(guide, String.join("\n", out) + "\n", StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return all;
    }

    private static List<Path> guides(Path repo) {
        try (Stream<Path> s = Files.walk(repo.resolve("docs"))) {
            return s.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> readLines(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code [--write] [REPO]}: lists the includes that are out of sync (exit 1 if any), or
     * rewrites them with {@code --write} (exit 1 only for a missing region or a missing block).
     *
     * @param args the options
     */
    public static void main(String[] args) {
        boolean write = List.of(args).contains("--write");
        Path repo = Path.of(List.of(args).stream().filter(a -> !a.startsWith("--")).findFirst().orElse("."));
        List<Include> all = process(repo, write);
        int bad = 0;
        int fixed = 0;
        for (Include inc : all) {
            if (inc.inSync()) {
                continue;
            }
            if (write && inc.expected() != null && inc.actual() != null) {
                fixed++;
                System.out.println("rewrote " + inc.guide() + ":" + inc.line() + " from " + inc.source() + "#" + inc.tag());
            } else {
                bad++;
                System.err.println(inc.problem());
            }
        }
        System.out.println(all.size() + " includes, " + fixed + " rewritten, " + bad + " problems");
        System.exit(bad == 0 ? 0 : 1);
    }
}
