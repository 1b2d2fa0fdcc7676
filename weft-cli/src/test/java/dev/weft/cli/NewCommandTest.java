package dev.weft.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft new}: the project it writes and the mistakes it refuses (the generated project itself is built and run by scripts/template-it). */
class NewCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        NewCommand c = new NewCommand();
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        return Cli.execute(c, args);
    }

    private static List<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }

    @Test
    void writesTheServiceWithThePackageAndName(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("orders");
        assertEquals(0, run(dir.toString(), "--package", "com.acme.orders"), err.toString());
        assertEquals(List.of(".gitignore", "README.md", "config/app.properties", "pom.xml", "run",
                "src/main/java/com/acme/orders/App.java", "src/main/java/com/acme/orders/Config.java",
                "src/main/java/com/acme/orders/Jobs.java", "src/main/java/com/acme/orders/JsonLogFormatter.java",
                "src/main/java/com/acme/orders/Metrics.java", "src/main/java/com/acme/orders/Service.java",
                "src/test/java/com/acme/orders/AppTest.java", "src/test/java/com/acme/orders/ConfigTest.java",
                "src/test/java/com/acme/orders/JsonLogFormatterTest.java"), files(dir));
        assertTrue(Files.isExecutable(dir.resolve("run")));
        assertTrue(Files.readString(dir.resolve("src/main/java/com/acme/orders/App.java")).startsWith("package com.acme.orders;\n"));
        String pom = Files.readString(dir.resolve("pom.xml"));
        assertTrue(pom.contains("<artifactId>orders</artifactId>") && pom.contains("<groupId>com.example</groupId>")
                && pom.contains("<main.class>com.acme.orders.App</main.class>"), pom);
        assertTrue(pom.matches("(?s).*<weft\\.version>\\d[^<$@]*</weft\\.version>.*"), pom);
        assertTrue(pom.contains("${project.build.directory}"), "Maven's own properties are left for Maven");
        assertTrue(Files.readString(dir.resolve("README.md")).startsWith("# orders\n"));
        for (String f : files(dir)) {
            String text = Files.readString(dir.resolve(f));
            for (String prop : List.of("${package}", "${artifactId}", "${groupId}", "${weftVersion}", "@project.version@")) {
                assertFalse(text.contains(prop), f + " still contains " + prop);
            }
        }
        String said = out.toString(StandardCharsets.UTF_8);
        assertTrue(said.startsWith("weft new: created orders in " + dir + " (14 files; package com.acme.orders; Weft "), said);
        assertTrue(said.contains("./run test"), said);
    }

    @Test
    void refusesABadPackageAKeywordAndANonEmptyDirectoryWritingNothing(@TempDir Path tmp) throws IOException {
        assertEquals(2, run(tmp.resolve("a").toString(), "--package", "com.int.svc"));
        assertEquals(2, run(tmp.resolve("b").toString(), "--package", "com..svc"));
        assertEquals(2, run(tmp.resolve("c").toString(), "--package", "com.9lives"));
        assertEquals(2, run(tmp.resolve("d").toString(), "--name", "my service"));
        Files.writeString(tmp.resolve("e.txt"), "x");
        assertEquals(2, run(tmp.toString()));
        assertEquals(List.of("e.txt"), files(tmp));
        assertEquals(String.join(System.lineSeparator(),
                "weft new: --package 'com.int.svc' contains the Java keyword 'int': choose another name for that part",
                "weft new: --package 'com..svc' is not a Java package name: use dot-separated identifiers such as com.example.svc",
                "weft new: --package 'com.9lives' is not a Java package name: use dot-separated identifiers such as com.example.svc",
                "weft new: --name 'my service' is not a Maven artifactId: use letters, digits, '-', '_' and '.'",
                "weft new: " + tmp + " is not empty: choose a new directory (weft new never overwrites files)", ""),
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void isListedInTheHelp() {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            Main.execute("--help");
        } finally {
            System.setOut(saved);
        }
        assertTrue(captured.toString(StandardCharsets.UTF_8).contains("  new "), captured.toString(StandardCharsets.UTF_8));
    }
}
