package dev.weft.scan.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.tools.SimpleJavaFileObject;

/** Finds the Java sources under the given paths: directories, single files, source jars and zips. */
final class Sources {

    /** One source file; its text is read on first use and kept until the chunk is done. */
    static final class Source extends SimpleJavaFileObject {
        final String display;
        final Path file;
        final Path archive;
        final String entry;
        private String text;

        Source(int index, String display, Path file, Path archive, String entry) {
            super(uri(index, display), Kind.SOURCE);
            this.display = display;
            this.file = file;
            this.archive = archive;
            this.entry = entry;
        }

        private static URI uri(int index, String display) {
            String name = display.substring(Math.max(display.lastIndexOf('/'), display.lastIndexOf('\\')) + 1);
            try {
                return new URI("weft", null, "/" + index + "/" + name, null);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(e);
            }
        }

        @Override
        public String getName() {
            return display;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) throws IOException {
            if (text == null) {
                if (file != null) {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } else {
                    try (ZipFile z = new ZipFile(archive.toFile()); InputStream in = z.getInputStream(z.getEntry(entry))) {
                        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    }
                }
            }
            return text;
        }

        void preload(String content) {
            this.text = content;
        }

        void release() {
            text = null;
        }

        /**
         * Under a test source root, judged on the path: Maven and Gradle's {@code src/test/java}, and
         * Gradle source sets named like tests ({@code src/integrationTest/java},
         * {@code src/testFixtures/java}, {@code src/jmhTest/java}). (A unit that imports JUnit or
         * TestNG is a test too; that is decided after parsing.)
         */
        boolean isTest() {
            String d = "/" + (file != null ? file.toAbsolutePath().toString() : display).replace('\\', '/');
            return TEST_PATH.matcher(d).find();
        }
    }

    private static final java.util.regex.Pattern TEST_PATH = java.util.regex.Pattern.compile(
            "/src/(?:test|[A-Za-z0-9_]*Test[A-Za-z0-9_]*)/java/");

    private Sources() {
    }

    static List<Source> collect(List<Path> paths, Path workingDir, List<String> excludes) {
        List<Source> all = collect(paths, workingDir);
        if (excludes.isEmpty()) {
            return all;
        }
        List<java.nio.file.PathMatcher> ms = new ArrayList<>();
        for (String g : excludes) {
            ms.add(java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + g));
        }
        List<Source> out = new ArrayList<>();
        for (Source s : all) {
            Path shown = Path.of(s.display.replace("!/", "/"));
            boolean excluded = false;
            for (java.nio.file.PathMatcher m : ms) {
                excluded |= m.matches(shown);
            }
            if (!excluded) {
                out.add(s);
            }
        }
        return out;
    }

    static List<Source> collect(List<Path> paths, Path workingDir) {
        List<Source> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.exists(p)) {
                throw new IllegalArgumentException("no such file or directory: " + p);
            }
            String name = p.getFileName() == null ? "" : p.getFileName().toString();
            if (Files.isDirectory(p)) {
                walk(p, workingDir, out);
            } else if (name.endsWith(".java")) {
                out.add(new Source(out.size(), display(p, workingDir), p, null, null));
            } else if (name.endsWith(".jar") || name.endsWith(".zip")) {
                try (ZipFile z = new ZipFile(p.toFile())) {
                    Enumeration<? extends ZipEntry> en = z.entries();
                    String shown = display(p, workingDir);
                    while (en.hasMoreElements()) {
                        ZipEntry e = en.nextElement();
                        if (!e.isDirectory() && e.getName().endsWith(".java")) {
                            out.add(new Source(out.size(), shown + "!/" + e.getName(), null, p, e.getName()));
                        }
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read archive " + p + ": " + e.getMessage(), e);
                }
            } else {
                throw new IllegalArgumentException("not a .java file, directory, .jar or .zip: " + p);
            }
        }
        return out;
    }

    private static void walk(Path root, Path workingDir, List<Source> out) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String n = dir.getFileName() == null ? "" : dir.getFileName().toString();
                    if (!dir.equals(root) && (n.startsWith(".")
                            || (n.equals("target") && Files.exists(dir.resolveSibling("pom.xml"))))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (file.getFileName().toString().endsWith(".java")) {
                        out.add(new Source(out.size(), display(file, workingDir), file, null, null));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file or directory: " + root, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String display(Path p, Path workingDir) {
        Path abs = p.toAbsolutePath().normalize();
        String s = abs.startsWith(workingDir) ? workingDir.relativize(abs).toString() : p.toString();
        return s.replace('\\', '/');
    }
}
