package dev.weft.http;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * {@link BodySink#saveTo}: bodies as files under a root directory, named by {@link SavePaths}.
 *
 * <p>Design note (ADR 0305). A body is written to {@code ROOT/.weft-tmp/PID-RANDOM/N.part} (a
 * name no URL maps to: host names cannot start with a dot) with a plain {@link FileOutputStream},
 * which an interrupt does not close half-way. On commit it is published under its final name by
 * {@code link(2)}, which fails rather than replaces when the name exists, so a final name is only
 * ever given to a complete file and never taken from another URL's file, even by two threads at
 * once. When the name is taken (another URL, an earlier run, a case-insensitive file system),
 * the body goes to the same name with {@code ~HASH} before the extension, HASH being 16 hex digits
 * of the SHA-256 of the request's method and URL; that name belongs to this request alone, so it
 * is replaced atomically ({@code rename(2)}) if present. One exception, in a run that resumes a
 * journal: a file under the final name that no journal line names was published by a run that
 * died before writing its line, and the request that maps to it replaces it (ADR 0331). When the
 * directory cannot be made (a path component is a file: {@code /a} saved, then {@code /a/b}) or the
 * path is too long, the body goes to {@code HOST/REST~HASH}, the rest of the path flattened into
 * one name with {@code %2F}. A file system without hard links falls back to a rename that checks the name first.
 *
 * <p>Temporary directories of runs that died (SIGKILL) are deleted by the next run's
 * {@link #start()} on the same root: one whose PID is no longer alive. A run deletes its own at
 * {@link #finish()}. Files are not fsynced: a killed process loses nothing, a power cut may.
 */
final class SaveDirectory implements BodySink {
    static final String TEMP_DIR = ".weft-tmp";

    static final BodySink DISCARD = new BodySink() {
        @Override
        public Body open(FetchRequest request, int status, Map<String, List<String>> headers) {
            throw new UnsupportedOperationException("BodySink.discard() keeps no body");
        }

        @Override
        public boolean keepsBodies() {
            return false;
        }

        @Override
        public String toString() {
            return "BodySink.discard()";
        }
    };

    private final Path root;
    /**
     * Directories this sink has made (or found) under the root: a fetch of 500,000 files asks for the
     * same few thousand directories over and over, and each {@code createDirectories} of an existing
     * one costs a failing mkdir and an exception. Bounded by the number of directories written to.
     */
    private final java.util.Set<Path> madeDirs = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final AtomicLong counter = new AtomicLong();
    private volatile Path tempDir;
    /** Set while a resumed run saves here (ADR 0331): how to tell a crashed run's orphan from a file someone owns. */
    private volatile Orphans orphans;

    /**
     * A resumed run's view of the files already under the root. A file under a final name that no
     * journal line names was published by a run that died before writing its line (the body is
     * published first, then the line): it belongs to a request not done yet, which fetches it again.
     * {@code claims} gives each final name to one request of this run, so that two requests that
     * map to one orphan's name cannot both replace it.
     */
    private record Orphans(FetchJournal.LongHashSet journaled, java.util.Set<Long> claims) {
    }

    SaveDirectory(Path root) {
        this.root = Objects.requireNonNull(root, "dir").toAbsolutePath().normalize();
    }

    /** An I/O failure in words: what happened to which file, without exception class names. */
    static String describe(IOException e) {
        return switch (e) {
            case java.nio.file.FileAlreadyExistsException f -> f.getFile() + " exists and is not a directory";
            case java.nio.file.AccessDeniedException f -> "permission denied: " + f.getFile();
            case java.nio.file.NoSuchFileException f -> "no such file or directory: " + f.getFile();
            case java.nio.file.NotDirectoryException f -> f.getFile() + " is not a directory";
            case FileSystemException f -> f.getFile() + ": " + (f.getReason() != null ? f.getReason() : "file system error");
            default -> e.getMessage() != null ? e.getMessage() : "I/O error";
        };
    }

    @Override
    public void start() throws IOException {
        try {
            prepare();
        } catch (IOException e) {
            throw new IOException("cannot use the save directory " + root + ": " + describe(e), e);
        }
    }

    private void prepare() throws IOException {
        Files.createDirectories(root);
        Path temps = root.resolve(TEMP_DIR);
        Files.createDirectories(temps);
        try (Stream<Path> dirs = Files.list(temps)) {
            for (Path d : (Iterable<Path>) dirs::iterator) {
                if (!alive(d.getFileName().toString())) {
                    deleteTree(d);
                }
            }
        }
        String own = ProcessHandle.current().pid() + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        tempDir = Files.createDirectory(temps.resolve(own));
    }

    private static boolean alive(String tempName) {
        int dash = tempName.indexOf('-');
        try {
            long pid = Long.parseLong(dash < 0 ? tempName : tempName.substring(0, dash));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true; // not ours: leave it
        }
    }

    /**
     * This run continues an earlier run's journal, whose lines name the files in {@code journaled}
     * ({@link #pathKey} of each): until {@link #finish()}, a final name held by a file that no line
     * names is taken over (replaced) by the request of this run that maps to it, instead of giving
     * that request a second file. Called after {@link #start()}.
     */
    void adoptOrphans(FetchJournal.LongHashSet journaled) {
        orphans = new Orphans(journaled, java.util.concurrent.ConcurrentHashMap.newKeySet());
    }

    /** The key of a saved file's path relative to the root, as the journal's {@code saved} field has it; never 0. */
    static long pathKey(String relative) {
        return FetchJournal.mix(FetchJournal.fnv(relative));
    }

    @Override
    public void finish() {
        orphans = null;
        Path d = tempDir;
        if (d != null) {
            try {
                deleteTree(d);
            } catch (IOException e) {
                System.getLogger(SaveDirectory.class.getName()).log(System.Logger.Level.WARNING,
                        "could not delete the temporary directory {0}: {1}", d, e);
            }
        }
    }

    private static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> all = Files.walk(d)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public Body open(FetchRequest request, int status, Map<String, List<String>> headers) throws IOException {
        Path d = tempDir;
        if (d == null) {
            throw new IllegalStateException("the save directory was not started (BodySink.start)");
        }
        Path tmp = d.resolve(counter.incrementAndGet() + ".part");
        return new FileBody(request, tmp, new FileOutputStream(tmp.toFile()));
    }

    /** Publishes the complete file {@code tmp} for {@code request}; returns its path relative to the root. */
    String publish(Path tmp, FetchRequest request) throws IOException {
        List<String> segs = SavePaths.segments(request.request().uri());
        Path primary = root;
        for (String s : segs) {
            primary = primary.resolve(s);
        }
        boolean dirMade;
        Path parent = primary.getParent();
        if (madeDirs.contains(parent)) {
            dirMade = true; // made by this sink already: no mkdir, no exception for "it exists"
        } else {
            try {
                Files.createDirectories(parent);
                madeDirs.add(parent);
                dirMade = true;
            } catch (FileSystemException e) {
                dirMade = false; // a component is a file, or the path is too long: flatten below
            }
        }
        if (dirMade) {
            String rel = String.join("/", segs); // the path relative to the root, without Path.relativize
            try {
                if (publishPrimary(tmp, primary, rel)) {
                    return rel;
                }
                Path alt = primary.resolveSibling(SavePaths.withHash(primary.getFileName().toString(), hashOf(request)));
                Files.move(tmp, alt, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                return String.join("/", segs.subList(0, segs.size() - 1)) + "/" + alt.getFileName();
            } catch (FileSystemException e) {
                // a name too long for this file system, or the alternative name is a directory: flatten below
            }
        }
        String flat = SavePaths.shorten(String.join("%2F", segs.subList(1, segs.size())));
        Path hostDir = root.resolve(segs.getFirst());
        Files.createDirectories(hostDir);
        Path target = hostDir.resolve(SavePaths.withHash(flat, hashOf(request)));
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return segs.getFirst() + "/" + target.getFileName();
    }

    /**
     * Gives {@code tmp} its final name {@code primary} if that name may be taken: false when it
     * belongs to someone else (a file there, or, while resuming, another request of this run or a
     * file a journal line names). While resuming, a file there that no line names is a crashed
     * run's orphan and is replaced (ADR 0331).
     *
     * @throws FileSystemException if the name cannot be used at all (too long)
     */
    private boolean publishPrimary(Path tmp, Path primary, String rel) throws IOException {
        Orphans o = orphans;
        long key = o == null ? 0 : pathKey(rel);
        if (o != null && !o.claims().add(key)) {
            return false; // another request of this run has the name
        }
        try {
            publishNoClobber(tmp, primary);
            return true;
        } catch (FileAlreadyExistsException e) {
            if (o == null || o.journaled().contains(key) || !Files.isRegularFile(primary)) {
                return false;
            }
            // a crashed run's file for a request not done yet (this one, or one that maps to the same name)
            Files.move(tmp, primary, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    /** The hash that tells two requests' files apart when their names collide (only then computed: SHA-256). */
    private static String hashOf(FetchRequest request) {
        return SavePaths.hash16(request.method() + " " + request.url());
    }

    /** Gives {@code tmp} the name {@code target} only if no file has it; FileAlreadyExistsException otherwise. */
    private static void publishNoClobber(Path tmp, Path target) throws IOException {
        try {
            Files.createLink(target, tmp);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof FileSystemException f && String.valueOf(f.getReason()).contains("too long")) {
                throw f;
            }
            Files.move(tmp, target); // no hard links here: a rename that refuses an existing target
            return;
        }
        // the temporary name goes by one unlink: Files.delete/deleteIfExists first stat the file to
        // choose between unlink and rmdir, a system call per saved body for nothing (strace: 7 calls
        // per body became 6). Should it fail, finish() removes the temporary directory anyway.
        tmp.toFile().delete();
    }

    @Override
    public String toString() {
        return "BodySink.saveTo(" + root + ")";
    }

    /** One body being written to its temporary file. */
    private final class FileBody implements Body {
        private final FetchRequest request;
        private final Path tmp;
        private final OutputStream out;
        private boolean committed;
        private boolean closed;

        FileBody(FetchRequest request, Path tmp, OutputStream out) {
            this.request = request;
            this.tmp = tmp;
            this.out = out;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public String commit() throws IOException {
            closed = true;
            out.close();
            String where = publish(tmp, request);
            committed = true;
            return where;
        }

        @Override
        public void close() {
            if (committed) {
                return;
            }
            try {
                if (!closed) {
                    closed = true;
                    out.close();
                }
            } catch (IOException e) {
                // discarding anyway
            }
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                // left in the run's temporary directory, deleted at finish or by the next run
            }
        }
    }
}
