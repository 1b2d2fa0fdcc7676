package dev.weft.redis;

import dev.weft.Weft;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A pool of connections to one Redis server, shared by the queues and limiters built on it.
 * Close it last.
 *
 * {@snippet :
 * try (Redis redis = Redis.connect("redis://127.0.0.1:6379")) {
 *     RedisWorkQueue<Job> jobs = RedisWorkQueue.builder(redis, "jobs", Job.class).build();
 *     // ...
 * }
 * }
 *
 * <h2>Failures</h2> A broken or refused connection surfaces as {@link RedisUnavailableException}
 * (with the address); an interrupted or cancelled caller gets {@link InterruptedException} and the
 * connection it was using is discarded (a virtual thread interrupted in socket I/O closes the
 * socket). Nothing is retried implicitly.
 *
 * <h2>Thread safety</h2> Thread safe. Each operation borrows a connection for its duration; the
 * pool holds at most {@code maxConnections} (default 64), and a caller waits for one (cancellably).
 */
public final class Redis implements AutoCloseable {
    private final JedisPool pool;
    private final String host;
    private final int port;
    private final ConcurrentHashMap<String, String> scriptShas = new ConcurrentHashMap<>();

    private Redis(String host, int port, int maxConnections, Duration timeout) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be >= 1, got " + maxConnections);
        }
        JedisPoolConfig cfg = new JedisPoolConfig();
        cfg.setMaxTotal(maxConnections);
        cfg.setMaxIdle(maxConnections);
        cfg.setMinIdle(0);
        cfg.setJmxEnabled(false);
        cfg.setBlockWhenExhausted(true);
        cfg.setMaxWait(Duration.ofMinutes(5));
        this.pool = new JedisPool(cfg, host, port, (int) timeout.toMillis());
        this.host = host;
        this.port = port;
    }

    /**
     * Connects to {@code redis://HOST:PORT} (a path, if any, is ignored here; the CLI uses it as a
     * queue name). Connections are opened lazily: a server that is down is reported by the first
     * operation, not here.
     *
     * @param uri {@code redis://HOST[:PORT][/...]}, port 6379 by default
     * @return a pool of up to 64 connections, 10 s socket timeout
     * @throws IllegalArgumentException if {@code uri} is not a {@code redis://} address
     */
    public static Redis connect(String uri) {
        URI u = parse(uri);
        return connect(u.getHost(), u.getPort() < 0 ? 6379 : u.getPort(), 64, Duration.ofSeconds(10));
    }

    /**
     * Connects to {@code host:port}.
     *
     * @param host the server's host name or address
     * @param port the server's port
     * @param maxConnections the most connections open at once (each blocked {@code get} holds one)
     * @param timeout the socket timeout of a single command (must exceed the queues' poll slice)
     * @return the pool
     * @throws IllegalArgumentException if {@code maxConnections} &lt; 1 or the timeout is not positive
     */
    public static Redis connect(String host, int port, int maxConnections, Duration timeout) {
        Objects.requireNonNull(host, "host");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
        return new Redis(host, port, maxConnections, timeout);
    }

    /**
     * Parses {@code redis://HOST[:PORT][/PATH]}.
     *
     * @param uri the address
     * @return the parsed URI
     * @throws IllegalArgumentException with what was wrong and an example
     */
    static URI parse(String uri) {
        Objects.requireNonNull(uri, "uri");
        URI u;
        try {
            u = URI.create(uri);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a Redis address: '" + uri + "' (expected redis://HOST:PORT/NAME)", e);
        }
        if (!"redis".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("not a Redis address: '" + uri + "' (expected redis://HOST:PORT/NAME)");
        }
        return u;
    }

    /** {@code host:port}. */
    String address() {
        return host + ":" + port;
    }

    /** An operation on one borrowed connection. */
    @FunctionalInterface
    interface Op<R> {
        R apply(Jedis j);
    }

    /**
     * Runs {@code op} on a pooled connection, translating failures (see the class comment).
     */
    <R> R call(String what, Op<R> op) throws InterruptedException {
        Weft.checkpoint();
        try (Jedis j = pool.getResource()) {
            return op.apply(j);
        } catch (JedisConnectionException e) {
            throw translate(what, e);
        } catch (JedisDataException e) {
            throw e;
        } catch (JedisException e) {
            if (Weft.isCancellation(e) || Thread.currentThread().isInterrupted()) {
                throw cancelled(e);
            }
            throw new RedisUnavailableException("Redis at " + address() + ": " + what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code op} even if the caller is being cancelled (finishing work, like releasing a
     * permit, must not be lost to a cancellation): the interrupt flag is cleared for the call and
     * set again after it.
     */
    <R> R callUninterruptibly(String what, Op<R> op) {
        boolean interrupted = false;
        try {
            for (int attempt = 1; ; attempt++) {
                interrupted |= Thread.interrupted();
                try (Jedis j = pool.getResource()) {
                    return op.apply(j);
                } catch (JedisDataException e) {
                    throw e;
                } catch (JedisException e) {
                    // an interrupt that arrived during the call closed the socket (virtual threads),
                    // or ended the wait for a pooled connection (the flag then cleared, the
                    // InterruptedException a cause): try again; the scripts used here are idempotent
                    if (Thread.interrupted() | Weft.isCancellation(e)) {
                        interrupted = true;
                        if (attempt < 5) {
                            continue;
                        }
                    }
                    throw new RedisUnavailableException("Redis at " + address() + " is unreachable: " + what
                            + " did not complete (" + e.getMessage() + "); retry when the server is back", e);
                }
            }
        } finally {
            if (interrupted) {
                Weft.restoreInterrupt();
            }
        }
    }

    private Exception translateRaw(String what, JedisConnectionException e) {
        if (Thread.currentThread().isInterrupted() || Weft.isCancellation(e) || Weft.isCancelled()) {
            return cancelled(e);
        }
        String why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : e.getMessage();
        return new RedisUnavailableException("Redis at " + address() + " is unreachable (" + why + "): " + what
                + " did not complete; retry when the server is back", e);
    }

    private RuntimeException translate(String what, JedisConnectionException e) throws InterruptedException {
        Exception x = translateRaw(what, e);
        if (x instanceof InterruptedException ie) {
            throw ie;
        }
        return (RuntimeException) x;
    }

    private static InterruptedException cancelled(Throwable e) {
        Thread.interrupted(); // reported by the exception instead
        InterruptedException ie = new InterruptedException("cancelled during a Redis call");
        ie.initCause(e);
        return ie;
    }

    /**
     * Runs a Lua script by its SHA1, loading it first when the server does not know it (a new or
     * restarted server).
     */
    Object eval(Jedis j, String script, List<String> keys, List<String> args) {
        String sha = scriptShas.computeIfAbsent(script, s -> j.scriptLoad(s));
        try {
            return j.evalsha(sha, keys, args);
        } catch (JedisNoScriptException e) {
            scriptShas.put(script, j.scriptLoad(script));
            return j.evalsha(scriptShas.get(script), keys, args);
        }
    }

    /** Closes every connection. */
    @Override
    public void close() {
        pool.close();
    }

    @Override
    public String toString() {
        return "Redis[" + address() + "]";
    }
}
