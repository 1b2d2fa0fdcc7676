package dev.weft.redis;

import dev.weft.Weft;
import dev.weft.Work;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrency limit shared by every process that uses the same name: the API of
 * {@link dev.weft.Limiter} ({@code acquire}, {@code tryAcquire}, {@code run}, permits closed by
 * try-with-resources), where a permit is a <em>lease</em>: a live holder renews it in the
 * background, a holder that dies frees it when its lease runs out.
 *
 * {@snippet :
 * RedisLimiter perHost = RedisLimiter.builder(redis, "example.org", 8).build();
 * try (RedisLimiter.Permit p = perHost.acquire()) {
 *     fetch(url);
 * }
 * }
 *
 * <h2>Design</h2> A sorted set {@code {weft:limit:NAME}}: one member per permit, scored by the
 * expiry of its lease in the server's clock. Acquiring is one Lua script (drop expired leases;
 * add one if fewer than the capacity are held; idempotent per permit id, so a call whose reply was
 * lost to an interrupt is retried without taking two); releasing removes the member; a background virtual
 * thread per instance renews every held lease each third of the lease time.
 *
 * <h2>Differences from the local Limiter</h2> Waiting is polling (2 ms doubling to
 * {@code pollInterval}), so it is not FIFO across processes and a released permit may go to a
 * later caller; capacity is given by each process (all must agree) and cannot be changed at run
 * time; a holder that cannot reach Redis for a whole lease loses its permit ({@link Permit#isLost()})
 * and another process may take it.
 *
 * <h2>Cancellation</h2> {@code acquire} is a Weft wait (fails at once in a cancelled scope, bounded
 * by the deadline through cancellation); a cancelled acquire holds nothing (a lease granted in the
 * same instant is released); {@link Permit#close()} is never lost to a cancellation.
 */
public final class RedisLimiter implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisLimiter.class.getName());

    private static final String ACQUIRE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
            if redis.call('ZSCORE', KEYS[1], ARGV[3]) then return 1 end
            if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
              redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
              redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]) * 2)
              return 1
            end
            return 0
            """;
    private static final String RENEW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            local lost = {}
            for i = 2, #ARGV do
              local s = redis.call('ZSCORE', KEYS[1], ARGV[i])
              if s and tonumber(s) > now then
                redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[1]), ARGV[i])
              else
                redis.call('ZREM', KEYS[1], ARGV[i])
                table.insert(lost, ARGV[i])
              end
            end
            redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[1]) * 2)
            return lost
            """;
    private static final String IN_USE = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')
            """;

    private final Redis redis;
    private final String name;
    private final String key;
    private final int capacity;
    private final Duration lease;
    private final Duration pollInterval;
    private final ConcurrentHashMap<String, Permit> held = new ConcurrentHashMap<>();
    private final Renewer renewer;

    private RedisLimiter(Builder b) {
        this.redis = b.redis;
        this.name = b.name;
        this.key = "{weft:limit:" + b.name + "}";
        this.capacity = b.capacity;
        this.lease = b.lease;
        this.pollInterval = b.pollInterval;
        this.renewer = new Renewer("weft-redis-lease-" + name, lease.dividedBy(3), LOG,
                "limiter '" + name + "': could not renew the leases: ", this::renewAll);
        renewer.start();
    }

    /**
     * A builder.
     *
     * @param redis the connection pool
     * @param name the limit's name: processes using the same name share the permits
     * @param capacity the permits (every process must give the same)
     * @return a builder
     * @throws IllegalArgumentException if {@code capacity} &lt; 1
     */
    public static Builder builder(Redis redis, String name, int capacity) {
        return new Builder(redis, name, capacity);
    }

    /**
     * Takes a permit, waiting for one.
     *
     * @return the permit; close it to release
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first (nothing is held)
     */
    public Permit acquire() throws InterruptedException {
        RedisWorkQueue.Backoff wait = new RedisWorkQueue.Backoff(pollInterval);
        while (true) {
            Optional<Permit> p = tryAcquire();
            if (p.isPresent()) {
                return p.get();
            }
            wait.pause();
        }
    }

    /**
     * A permit if one is free now; never waits.
     *
     * @return the permit, or empty
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public Optional<Permit> tryAcquire() throws InterruptedException {
        if (renewer.isClosed()) {
            throw new IllegalStateException("the limiter '" + name + "' is closed");
        }
        Weft.checkpoint();
        String id = UUID.randomUUID().toString();
        Permit p = new Permit(this, id);
        held.put(id, p); // renewed from now on, so a lease granted to an interrupted call is found and released
        boolean granted;
        try {
            granted = (Long) redis.callUninterruptibly("acquire a permit", j -> redis.eval(j, ACQUIRE, List.of(key),
                    List.of(Integer.toString(capacity), Long.toString(lease.toMillis()), id))) == 1;
        } catch (RuntimeException e) {
            held.remove(id);
            try {
                redis.callUninterruptibly("release", j -> j.zrem(key, id)); // if the grant landed
            } catch (RuntimeException again) {
                e.addSuppressed(again); // the lease frees it
            }
            throw e;
        }
        if (!granted) {
            held.remove(id);
            return Optional.empty();
        }
        if (Thread.currentThread().isInterrupted() || Weft.isCancelled()) {
            p.close(); // cancelled while the grant was in flight: hold nothing
            Thread.interrupted();
            throw new InterruptedException("cancelled while acquiring a permit of '" + name + "'");
        }
        return Optional.of(p);
    }

    /**
     * A permit, waiting at most {@code maxWait}.
     *
     * @param maxWait the longest wait
     * @return the permit, or empty if none came in time
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public Optional<Permit> tryAcquire(Duration maxWait) throws InterruptedException {
        long until = System.nanoTime() + maxWait.toNanos();
        RedisWorkQueue.Backoff wait = new RedisWorkQueue.Backoff(pollInterval);
        while (true) {
            Optional<Permit> p = tryAcquire();
            if (p.isPresent() || System.nanoTime() - until >= 0) {
                return p;
            }
            wait.pause();
        }
    }

    /**
     * Runs {@code work} holding a permit.
     *
     * @param <T> the type of the result
     * @param <E> the checked exception the work may throw
     * @param work the work
     * @return what {@code work} returned
     * @throws E what {@code work} threw
     * @throws RedisUnavailableException if Redis is unreachable (the work did not run)
     * @throws InterruptedException if the caller was cancelled while waiting
     */
    public <T, E extends Exception> T run(Work<T, E> work) throws E, InterruptedException {
        Objects.requireNonNull(work, "work");
        try (Permit p = acquire()) {
            return work.call();
        }
    }

    /**
     * The capacity this process gave.
     *
     * @return the capacity
     */
    public int capacity() {
        return capacity;
    }

    /**
     * Leases held now by all processes (unexpired).
     *
     * @return the count
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public long inUse() throws InterruptedException {
        return (Long) redis.call("count the permits in use", j -> redis.eval(j, IN_USE, List.of(key), List.of()));
    }

    private void renewAll() throws InterruptedException {
        List<String> ids = new ArrayList<>(held.keySet());
        if (ids.isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>();
        args.add(Long.toString(lease.toMillis()));
        args.addAll(ids);
        List<?> lost = (List<?>) redis.call("renew the leases", j -> redis.eval(j, RENEW, List.of(key), args));
        for (Object o : lost) {
            Permit p = held.remove(RedisWorkQueue.str(o));
            if (p != null) {
                p.lost = true;
                LOG.log(System.Logger.Level.WARNING, "limiter '" + name + "': a permit's lease ran out before it was renewed");
            }
        }
    }

    /** The lease expiry of {@code p} in the server's clock (ms), or null if it is not held (for tests). */
    Double leaseExpiry(Permit p) throws InterruptedException {
        return redis.call("read a lease", j -> j.zscore(key, p.id));
    }

    /** Permit ids held by this instance now (for tests). */
    Set<String> heldIds() {
        return Set.copyOf(held.keySet());
    }

    /**
     * Stops renewing: permits still held are freed when their leases run out (as if this process had
     * died). Release permits before closing to free them at once.
     */
    @Override
    public void close() {
        renewer.close();
    }

    @Override
    public String toString() {
        return "RedisLimiter[" + name + ", capacity " + capacity + ", lease " + lease + "]";
    }

    /** A held lease; {@link #close()} releases it (once; later calls do nothing). */
    public static final class Permit implements AutoCloseable {
        private final RedisLimiter limiter;
        private final String id;
        private volatile boolean released;
        private volatile boolean lost;

        private Permit(RedisLimiter limiter, String id) {
            this.limiter = limiter;
            this.id = id;
        }

        /**
         * Releases the permit at once. Never throws for an unreachable Redis: the lease then frees it
         * (logged).
         */
        @Override
        public void close() {
            if (released) {
                return;
            }
            released = true;
            limiter.held.remove(id);
            try {
                limiter.redis.callUninterruptibly("release a permit", j -> j.zrem(limiter.key, id));
            } catch (RedisUnavailableException e) {
                LOG.log(System.Logger.Level.WARNING, "limiter '" + limiter.name + "': could not release a permit now ("
                        + e.getMessage() + "); its lease frees it");
            }
        }

        /**
         * Whether it has been released.
         *
         * @return whether {@link #close()} was called
         */
        public boolean isReleased() {
            return released;
        }

        /**
         * Whether its lease ran out before it was renewed (Redis unreachable for a whole lease): another
         * process may hold it now.
         *
         * @return whether the lease was lost
         */
        public boolean isLost() {
            return lost;
        }
    }

    /** Configures a {@link RedisLimiter}. */
    public static final class Builder {
        private final Redis redis;
        private final String name;
        private final int capacity;
        private Duration lease = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofMillis(50);

        private Builder(Redis redis, String name, int capacity) {
            this.redis = Objects.requireNonNull(redis, "redis");
            this.name = Objects.requireNonNull(name, "name");
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
            }
            this.capacity = capacity;
        }

        /**
         * Sets the lease of a permit.
         *
         * @param lease how long a permit outlives its holder's last renewal (default 30 s); renewed
         *        every third of it
         * @return this builder
         * @throws IllegalArgumentException if below 10 ms
         */
        public Builder lease(Duration lease) {
            if (lease.toMillis() < 10) {
                throw new IllegalArgumentException("lease must be >= 10ms, got " + lease);
            }
            this.lease = lease;
            return this;
        }

        /**
         * Sets how often a waiting acquire tries again.
         *
         * @param pollInterval the longest pause between two tries of a waiting acquire (default 50 ms)
         * @return this builder
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
            return this;
        }

        /**
         * Builds the limiter.
         *
         * @return the limiter (its renewal thread started)
         */
        public RedisLimiter build() {
            return new RedisLimiter(this);
        }
    }
}
