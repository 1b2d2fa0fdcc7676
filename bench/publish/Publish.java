import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * What it costs the kernel to publish a file atomically (ADR 0335): N files of SIZE bytes written
 * into 100 directories, one thread, each way in turn, several rounds. CPU is the thread's own
 * (user + system), so the figure is the file system's work plus the JDK's calls, not the disk.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED bench/publish/Publish.java [N] [ROUNDS] [DIR]</pre>
 *
 * Ways: direct (create the final name, write, close: what curl does, a partial file carries the
 * final name while it is written); weft (write under the run's temporary directory, link(2) to
 * the final name, unlink the temporary name: what `weft fetch --save` does); renameat2 (the same
 * file, published by one renameat2(RENAME_NOREPLACE)); tmpfile (an unnamed O_TMPFILE inode in the
 * final directory, published by linkat through /proc/self/fd).
 */
public final class Publish {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout ERRNO = Linker.Option.captureStateLayout();
    private static final MethodHandle OPEN = call("open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), true);
    private static final MethodHandle WRITE = call("write", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG), false);
    private static final MethodHandle CLOSE = call("close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), false);
    private static final MethodHandle LINKAT = call("linkat", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), true);
    private static final MethodHandle RENAMEAT2 = call("renameat2", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.ADDRESS, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT), true);
    private static final int O_WRONLY = 01, O_CLOEXEC = 02000000, O_TMPFILE = 020200000;
    private static final int AT_FDCWD = -100, AT_SYMLINK_FOLLOW = 0x400, RENAME_NOREPLACE = 1;

    private static MethodHandle call(String name, FunctionDescriptor d, boolean errno) {
        MemorySegment f = LINKER.defaultLookup().find(name).orElseThrow();
        return errno ? LINKER.downcallHandle(f, d, Linker.Option.captureCallState("errno")) : LINKER.downcallHandle(f, d);
    }

    public static void main(String[] args) throws Throwable {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path base = Path.of(args.length > 2 ? args[2] : "/dev/shm/weft-bench-publish");
        byte[] body = new byte[8192];
        List<String> ways = List.of("direct", "weft", "renameat2", "tmpfile");
        System.out.printf("%d files of %d bytes under %s, %d rounds, one thread%n", n, body.length, base, rounds);
        for (int round = 1; round <= rounds; round++) {
            for (String way : ways) {
                deleteTree(base);
                Path root = Files.createDirectories(base.resolve("root"));
                Path temp = Files.createDirectories(base.resolve("temp"));
                for (int d = 0; d < 100; d++) {
                    Files.createDirectory(root.resolve("d" + d));
                }
                var bean = ManagementFactory.getThreadMXBean();
                long cpu0 = bean.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    Path target = root.resolve("d" + (i % 100)).resolve("f" + i + ".bin");
                    switch (way) {
                        case "direct" -> direct(target, body);
                        case "weft" -> weft(temp.resolve(i + ".part"), target, body);
                        case "renameat2" -> renameat2(temp.resolve(i + ".part"), target, body);
                        default -> tmpfile(target, body);
                    }
                }
                double wallUs = (System.nanoTime() - t0) / 1e3 / n;
                double cpuUs = (bean.getCurrentThreadCpuTime() - cpu0) / 1e3 / n;
                try (Stream<Path> files = Files.walk(root)) {
                    long count = files.filter(Files::isRegularFile).count();
                    if (count != n) {
                        throw new IllegalStateException(way + ": " + count + " files, expected " + n);
                    }
                }
                System.out.printf("round %d  %-10s %5.1f us/file wall  %5.1f us/file CPU%n", round, way, wallUs, cpuUs);
            }
        }
        deleteTree(base);
    }

    private static void direct(Path target, byte[] body) throws IOException {
        try (FileOutputStream out = new FileOutputStream(target.toFile())) {
            out.write(body);
        }
    }

    private static void weft(Path tmp, Path target, byte[] body) throws IOException {
        direct(tmp, body);
        Files.createLink(target, tmp);
        tmp.toFile().delete();
    }

    private static void renameat2(Path tmp, Path target, byte[] body) throws Throwable {
        direct(tmp, body);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(ERRNO);
            int r = (int) RENAMEAT2.invokeExact(errno, AT_FDCWD, arena.allocateFrom(tmp.toString()), AT_FDCWD,
                    arena.allocateFrom(target.toString()), RENAME_NOREPLACE);
            check(r, errno, "renameat2 " + target);
        }
    }

    private static void tmpfile(Path target, byte[] body) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment errno = arena.allocate(ERRNO);
            int fd = (int) OPEN.invokeExact(errno, arena.allocateFrom(target.getParent().toString()), O_WRONLY | O_TMPFILE | O_CLOEXEC, 0644);
            check(fd, errno, "open(O_TMPFILE) " + target.getParent());
            MemorySegment buf = arena.allocate(body.length);
            MemorySegment.copy(body, 0, buf, ValueLayout.JAVA_BYTE, 0, body.length);
            long w = (long) WRITE.invokeExact(fd, buf, (long) body.length);
            if (w != body.length) {
                throw new IOException("short write " + w);
            }
            int r = (int) LINKAT.invokeExact(errno, AT_FDCWD, arena.allocateFrom("/proc/self/fd/" + fd), AT_FDCWD,
                    arena.allocateFrom(target.toString()), AT_SYMLINK_FOLLOW);
            check(r, errno, "linkat " + target);
            int c = (int) CLOSE.invokeExact(fd);
        }
    }

    private static void check(long r, MemorySegment errno, String what) throws IOException {
        if (r < 0) {
            throw new IOException(what + ": errno " + errno.get(ValueLayout.JAVA_INT, ERRNO.byteOffset(
                    java.lang.foreign.MemoryLayout.PathElement.groupElement("errno"))));
        }
    }

    private static void deleteTree(Path d) throws IOException {
        if (!Files.exists(d)) {
            return;
        }
        try (Stream<Path> all = Files.walk(d)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
