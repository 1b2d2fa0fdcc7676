package dev.weft.redis;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} (Debian's package) for tests: an ephemeral loopback port, a temporary
 * directory, AOF on with {@code appendfsync always} (an acknowledged write survives a SIGKILL), no
 * RDB snapshots. {@link #kill()} and {@link #start()} again restart it on the same port and
 * directory, so the AOF is replayed. Readiness is the server's own "Ready to accept connections"
 * line, not a sleep.
 */
public final class RedisServer implements AutoCloseable {
    private final Path dir;
    private int port;
    private Process process;
    private final List<String> log = new ArrayList<>();

    private RedisServer(Path dir) {
        this.dir = dir;
    }

    /** Starts a server in a new temporary directory; fails with a clear message if redis-server is missing. */
    public static RedisServer startNew() throws IOException, InterruptedException {
        RedisServer s = new RedisServer(Files.createTempDirectory("weft-redis-"));
        s.start();
        return s;
    }

    /** The path of {@code redis-server}, or a clear error saying how to install it. */
    static String executable() {
        for (String p : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "redis-server is not installed: run `apt-get install -y redis-server` (.ci/run does it when missing)");
    }

    /** Starts (or restarts, same port and directory) the server and waits until it accepts connections. */
    public synchronized void start() throws IOException, InterruptedException {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("already running");
        }
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            if (port == 0 || attempt > 0 && process == null) {
                try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = probe.getLocalPort();
                }
            }
            try {
                launch();
                return;
            } catch (IOException e) { // port taken between probe and bind: try another
                last = e;
                process = null;
            }
        }
        throw last;
    }

    private void launch() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(executable(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--appendonly", "yes", "--appendfsync", "always", "--save", "",
                "--daemonize", "no", "--protected-mode", "yes", "--loglevel", "notice")
                .redirectErrorStream(true).start();
        CompletableFuture<Boolean> ready = new CompletableFuture<>();
        Thread.ofVirtual().name("redis-server-log-" + port).start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (log) {
                        log.add(line);
                    }
                    if (line.contains("Ready to accept connections")) {
                        ready.complete(true);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.complete(false);
        });
        boolean ok;
        try {
            ok = ready.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            ok = false;
        }
        if (!ok) {
            p.destroyForcibly().waitFor();
            throw new IOException("redis-server did not start on port " + port + ": " + tail());
        }
        process = p;
    }

    private String tail() {
        synchronized (log) {
            return String.join("\n", log.subList(Math.max(0, log.size() - 10), log.size()));
        }
    }

    /** The loopback port. */
    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** A new connection pool to this server (8 connections, 5 s socket timeout). */
    public Redis connect() {
        return Redis.connect("127.0.0.1", port, 16, java.time.Duration.ofSeconds(5));
    }

    /** Kills the server with SIGKILL (no shutdown save) and waits until it is gone. */
    public synchronized void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor();
            process = null;
        }
    }

    /** Kills the server and removes its directory. */
    @Override
    public synchronized void close() throws InterruptedException {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
