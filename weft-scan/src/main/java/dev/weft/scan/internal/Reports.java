package dev.weft.scan.internal;

import dev.weft.scan.FileError;
import dev.weft.scan.Finding;
import dev.weft.scan.Rule;
import dev.weft.scan.ScanResult;
import java.io.IOException;
import java.util.List;

/** The three report formats. JSON is written by hand: the module has no dependencies. */
public final class Reports {
    private static final String VERSION = "0.1.0";

    private Reports() {
    }

    public static void text(ScanResult r, Appendable out) throws IOException {
        for (FileError e : r.fileErrors()) {
            out.append(e.path()).append(':').append(Long.toString(e.line())).append(':')
                    .append(Long.toString(e.column())).append(": error: ").append(oneLine(e.message())).append('\n');
        }
        for (Finding f : r.findings()) {
            out.append(f.path()).append(':').append(Integer.toString(f.line())).append(':')
                    .append(Integer.toString(f.column())).append(": ").append(f.rule().id()).append(' ')
                    .append(f.message());
            if (f.confidence() == dev.weft.scan.Confidence.LOW) {
                out.append(" [parse-only]");
            }
            if (f.severity() != f.rule().severity()) {
                out.append(" [test]");
            }
            out.append('\n');
        }
    }

    public static void json(ScanResult r, Appendable out) throws IOException {
        out.append("{\n  \"tool\": \"weft scan\",\n  \"version\": ").append(str(VERSION))
                .append(",\n  \"attributedFiles\": ").append(Integer.toString(r.attributedFiles()))
                .append(",\n  \"files\": ").append(Integer.toString(r.files()))
                .append(",\n  \"lines\": ").append(Long.toString(r.lines()))
                .append(",\n  \"suppressed\": ").append(Integer.toString(r.suppressed()))
                .append(",\n  \"findings\": [");
        List<Finding> fs = r.findings();
        for (int i = 0; i < fs.size(); i++) {
            Finding f = fs.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    {\"path\": ").append(str(f.path()))
                    .append(", \"line\": ").append(Integer.toString(f.line()))
                    .append(", \"column\": ").append(Integer.toString(f.column()))
                    .append(", \"rule\": ").append(str(f.rule().id()))
                    .append(", \"name\": ").append(str(f.rule().slug()))
                    .append(", \"severity\": ").append(str(f.severity().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(", \"confidence\": ").append(str(f.confidence().name().toLowerCase(java.util.Locale.ROOT)))
                    .append(", \"message\": ").append(str(f.message()))
                    .append(", \"fingerprint\": ").append(str(f.fingerprint())).append('}');
        }
        out.append(fs.isEmpty() ? "],\n" : "\n  ],\n").append("  \"errors\": [");
        List<FileError> es = r.fileErrors();
        for (int i = 0; i < es.size(); i++) {
            FileError e = es.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("    {\"path\": ").append(str(e.path()))
                    .append(", \"line\": ").append(Long.toString(e.line()))
                    .append(", \"column\": ").append(Long.toString(e.column()))
                    .append(", \"message\": ").append(str(e.message())).append('}');
        }
        out.append(es.isEmpty() ? "]\n}\n" : "\n  ]\n}\n");
    }

    public static void sarif(ScanResult r, Appendable out) throws IOException {
        out.append("{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n")
                .append("  \"version\": \"2.1.0\",\n  \"runs\": [{\n")
                .append("    \"tool\": {\"driver\": {\"name\": \"weft scan\", \"version\": ").append(str(VERSION))
                .append(",\n")
                .append("      \"rules\": [");
        Rule[] rules = Rule.values();
        for (int i = 0; i < rules.length; i++) {
            Rule rule = rules[i];
            out.append(i == 0 ? "\n" : ",\n").append("        {\"id\": ").append(str(rule.id()))
                    .append(", \"name\": ").append(str(camel(rule.slug())))
                    .append(", \"shortDescription\": {\"text\": ").append(str(rule.title())).append('}')
                    .append(", \"help\": {\"text\": ").append(str("See " + rule.docPath())).append('}')
                    .append(", \"defaultConfiguration\": {\"level\": ").append(str(rule.severity().sarifLevel()))
                    .append(", \"enabled\": ").append(Boolean.toString(rule.enabledByDefault())).append("}}");
        }
        out.append("\n      ]}},\n    \"columnKind\": \"utf16CodeUnits\",\n    \"results\": [");
        List<Finding> fs = r.findings();
        for (int i = 0; i < fs.size(); i++) {
            Finding f = fs.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("      {\"ruleId\": ").append(str(f.rule().id()))
                    .append(", \"ruleIndex\": ").append(Integer.toString(f.rule().ordinal()))
                    .append(", \"level\": ").append(str(f.severity().sarifLevel()))
                    .append(", \"message\": {\"text\": ").append(str(f.message())).append('}')
                    .append(", \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ")
                    .append(str(uri(f.path()))).append("}, \"region\": {\"startLine\": ")
                    .append(Integer.toString(f.line())).append(", \"startColumn\": ")
                    .append(Integer.toString(f.column())).append("}}}]")
                    .append(", \"partialFingerprints\": {\"weftFingerprint/v1\": ").append(str(f.fingerprint())).append('}')
                    .append(", \"properties\": {\"confidence\": ")
                    .append(str(f.confidence().name().toLowerCase(java.util.Locale.ROOT))).append("}}");
        }
        out.append(fs.isEmpty() ? "],\n" : "\n    ],\n");
        out.append("    \"invocations\": [{\"executionSuccessful\": ").append(Boolean.toString(r.fileErrors().isEmpty()))
                .append(", \"toolExecutionNotifications\": [");
        List<FileError> es = r.fileErrors();
        for (int i = 0; i < es.size(); i++) {
            FileError e = es.get(i);
            out.append(i == 0 ? "\n" : ",\n").append("        {\"level\": \"error\", \"message\": {\"text\": ")
                    .append(str(e.message())).append("}, \"locations\": [{\"physicalLocation\": {\"artifactLocation\": {\"uri\": ")
                    .append(str(uri(e.path()))).append("}, \"region\": {\"startLine\": ")
                    .append(Long.toString(Math.max(1, e.line()))).append("}}}]}");
        }
        out.append(es.isEmpty() ? "]}]\n" : "\n      ]}]\n").append("  }]\n}\n");
    }

    private static String uri(String path) {
        StringBuilder sb = new StringBuilder();
        for (char c : path.toCharArray()) {
            if (c == ' ') {
                sb.append("%20");
            } else if (c == '!') {
                sb.append("%21");
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String camel(String slug) {
        StringBuilder sb = new StringBuilder();
        boolean up = true;
        for (char c : slug.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }

    private static String oneLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    static String str(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
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
        return sb.append('"').toString();
    }
}
