package dev.weft.scan.internal;

import dev.weft.scan.Finding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A baseline: the fingerprints of findings a project has accepted for now. Text, one finding per
 * line ({@code fingerprint rule path}), sorted, so it diffs well in review. A fingerprint listed
 * twice absorbs two identical findings.
 */
public final class Baseline {
    static final String HEADER = "# weft scan baseline v1: fingerprint rule path";

    private Baseline() {
    }

    public static Map<String, Integer> read(Path file) {
        Map<String, Integer> counts = new HashMap<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read baseline " + file + ": " + e.getMessage(), e);
        }
        int n = 0;
        for (String line : lines) {
            n++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            String fp = s.split("\\s+")[0];
            if (!fp.matches("[0-9a-f]{32}")) {
                throw new IllegalArgumentException(file + ":" + n + ": not a baseline line (expected a 32-digit hex fingerprint first)");
            }
            counts.merge(fp, 1, Integer::sum);
        }
        return counts;
    }

    public static List<Finding> filter(List<Finding> findings, Map<String, Integer> baseline) {
        Map<String, Integer> left = new HashMap<>(baseline);
        List<Finding> out = new ArrayList<>();
        for (Finding f : findings) {
            Integer c = left.get(f.fingerprint());
            if (c != null && c > 0) {
                left.put(f.fingerprint(), c - 1);
            } else {
                out.add(f);
            }
        }
        return out;
    }

    public static void write(Path file, List<Finding> findings) {
        List<String> lines = new ArrayList<>();
        for (Finding f : findings) {
            lines.add(f.fingerprint() + " " + f.rule().id() + " " + f.path());
        }
        lines.sort(null);
        lines.add(0, HEADER);
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot write baseline " + file + ": " + e.getMessage(), e);
        }
    }
}
