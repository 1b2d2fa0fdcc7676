package dev.weft.redis;

import dev.weft.Deadline;
import dev.weft.Weft;
import dev.weft.Work;
import dev.weft.resilience.RateLimitedException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * An exact rate shared by every process that uses the same name: the API of
 * {@link dev.weft.resilience.RateLimiter} ({@code acquire}, {@code tryAcquire}, {@code call}), with
 * the state in Redis. GCRA in one Lua script, like redis-cell: one round trip per permit, no
 * background refill, and the server's clock ({@code TIME}) so that processes on machines whose
 * clocks differ agree.
 *
 * {@snippet :
 * RedisRateLimiter perHost = RedisRateLimiter.builder(redis, "example.org").rate(50, Duration.ofSeconds(1)).build();
 * perHost.acquire();                       // waits for a permit shared by every worker
 * }
 *
 * <h2>Waiting</h2> {@link #acquire()} reserves the next permit in Redis and sleeps
 * ({@link Weft#sleep}) until it is due. It refuses at once with {@link RateLimitedException}, and
 * reserves nothing, when the wait would exceed the maximum wait or end past
 * {@link Deadline#current()}. Cancelling a waiter gives its reservation back.
 *
 * <h2>Algorithm</h2> The key {@code {weft:rate:NAME}} holds GCRA's theoretical arrival time
 * {@code tat} in microseconds of the server's clock (it expires when idle). Each reservation also
 * writes a one-minute token key, which makes the script and its give-back idempotent. A call at {@code now}
 * may start at {@code max(tat, now) + T - burst * T}, {@code T = period / permits}.
 *
 * <h2>Differences from the local RateLimiter</h2> Time is Redis's (virtual time does not apply);
 * all processes must configure the same rate and burst for one name (the last caller's settings
 * apply to its own call); a Redis outage surfaces as {@link RedisUnavailableException}.
 */
public final class RedisRateLimiter {
    private static final String TAKE = """
            local done = redis.call('GET', KEYS[2])
            if done then return {1, done} end
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local interval = tonumber(ARGV[1])
            local burst = tonumber(ARGV[2])
            local maxwait = tonumber(ARGV[3])
            local tat = tonumber(redis.call('GET', KEYS[1]) or now)
            if tat < now then tat = now end
            local nxt = tat + interval
            local wait = nxt - burst * interval - now
            if wait > 0 and wait > maxwait then return {0, string.format('%d', wait)} end
            redis.call('SET', KEYS[1], string.format('%d', nxt), 'PX', math.floor((nxt - now) / 1000) + 1000)
            if wait < 0 then wait = 0 end
            redis.call('SET', KEYS[2], string.format('%d', wait), 'PX', 60000)
            return {1, string.format('%d', wait)}
            """;
    private static final String GIVE_BACK = """
            if redis.call('DEL', KEYS[2]) == 1 and redis.call('EXISTS', KEYS[1]) == 1 then
              redis.call('INCRBY', KEYS[1], -tonumber(ARGV[1]))
            end
            return 1
            """;
    private static final String PEEK = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local tat = tonumber(redis.call('GET', KEYS[1]) or now)
            local wait = tat + tonumber(ARGV[1]) - tonumber(ARGV[2]) * tonumber(ARGV[1]) - now
            if wait < 0 then wait = 0 end
            return string.format('%d', wait)
            """;

    private final Redis redis;
    private final String name;
    private final String key;
    private final long intervalMicros;
    private final long burst;
    private final Duration maxWait;

    private RedisRateLimiter(Builder b) {
        this.redis = b.redis;
        this.name = b.name;
        this.key = "{weft:rate:" + b.name + "}";
        this.intervalMicros = Math.max(1, b.period.toNanos() / 1000 / b.permits);
        this.burst = b.burst == 0 ? b.permits : b.burst;
        this.maxWait = b.maxWait;
    }

    /**
     * A builder; {@link Builder#rate} is required.
     *
     * @param redis the connection pool
     * @param name the limit's name: processes using the same name share the rate
     * @return a builder
     */
    public static Builder builder(Redis redis, String name) {
        return new Builder(redis, name);
    }

    /**
     * {@code permits} per {@code period}, bursts of {@code permits}.
     *
     * @param redis the connection pool
     * @param name the shared name
     * @param permits permits per period
     * @param period the period
     * @return the limiter
     */
    public static RedisRateLimiter of(Redis redis, String name, int permits, Duration period) {
        return builder(redis, name).rate(permits, period).build();
    }

    /**
     * The limiter's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Takes a permit, waiting until it is due.
     *
     * @throws RateLimitedException if the wait would exceed the maximum wait or the deadline (nothing reserved)
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled while waiting (the permit is given back)
     */
    public void acquire() throws InterruptedException {
        long limit = maxWait == null ? Long.MAX_VALUE / 4 : maxWait.toNanos() / 1000;
        String why = maxWait == null ? null : "more than the maximum wait " + maxWait;
        Optional<Deadline> d = Deadline.current();
        if (d.isPresent()) {
            long left = Math.max(0, d.get().remaining().toNanos() / 1000 - 1);
            if (left < limit) {
                limit = left;
                why = "past the deadline " + d.get().instant();
            }
        }
        String token = key + ":t:" + java.util.UUID.randomUUID();
        long wait = take(limit, token);
        if (wait >= 0 && (Thread.currentThread().isInterrupted() || Weft.isCancelled())) {
            giveBack(token); // cancelled while the reservation was in flight
            Thread.interrupted();
            throw new InterruptedException("cancelled while acquiring a permit of '" + name + "'");
        }
        if (wait < 0) {
            throw new RateLimitedException(name, Duration.ofNanos(-wait * 1000), why);
        }
        if (wait > 0) {
            try {
                Weft.sleep(Duration.ofNanos(wait * 1000));
            } catch (InterruptedException | RuntimeException e) {
                giveBack(token);
                throw e;
            }
        }
    }

    /**
     * Takes a permit only if one is available now; never waits.
     *
     * @return whether a permit was taken
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public boolean tryAcquire() throws InterruptedException {
        return take(0, key + ":t:" + java.util.UUID.randomUUID()) == 0;
    }

    /**
     * Runs {@code call} after {@link #acquire()}.
     *
     * @param <T> the type of the result
     * @param <E> the checked exception the call may throw
     * @param call the call
     * @return what {@code call} returned
     * @throws RateLimitedException if no permit could be had in time (the call did not run)
     * @throws RedisUnavailableException if Redis is unreachable (the call did not run)
     * @throws E what {@code call} threw
     * @throws InterruptedException if the caller was cancelled while waiting
     */
    public <T, E extends Exception> T call(Work<? extends T, E> call) throws E, InterruptedException {
        Objects.requireNonNull(call, "call");
        acquire();
        return call.call();
    }

    /**
     * How long until the next permit is free (zero if one is free now), by the shared state.
     *
     * @return the wait
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public Duration untilNextPermit() throws InterruptedException {
        Object r = redis.call("peek", j -> redis.eval(j, PEEK, List.of(key),
                List.of(Long.toString(intervalMicros), Long.toString(burst))));
        return Duration.ofNanos(Long.parseLong(RedisWorkQueue.str(r)) * 1000);
    }

    private void giveBack(String token) {
        redis.callUninterruptibly("give a permit back", j -> redis.eval(j, GIVE_BACK, List.of(key, token),
                List.of(Long.toString(intervalMicros))));
    }

    /**
     * Reserves: the wait in µs (&gt;= 0), or minus the wait when refused. Not interrupted midway
     * (a reservation whose reply was lost could not be given back); the caller checks for
     * cancellation after it. Idempotent per {@code token} (kept a minute): a call retried after an
     * interrupt closed its connection does not reserve twice, and a give-back counts once.
     */
    private long take(long maxWaitMicros, String token) throws InterruptedException {
        Weft.checkpoint();
        List<?> r = (List<?>) redis.callUninterruptibly("rate limit", j -> redis.eval(j, TAKE, List.of(key, token),
                List.of(Long.toString(intervalMicros), Long.toString(burst), Long.toString(maxWaitMicros))));
        long wait = Long.parseLong(RedisWorkQueue.str(r.get(1)));
        return ((Long) r.get(0)) == 1 ? wait : -Math.max(1, wait);
    }

    @Override
    public String toString() {
        return "RedisRateLimiter[" + name + ", one per " + Duration.ofNanos(intervalMicros * 1000) + ", burst " + burst + "]";
    }

    /** Configures a {@link RedisRateLimiter}. */
    public static final class Builder {
        private final Redis redis;
        private final String name;
        private int permits;
        private Duration period;
        private int burst;
        private Duration maxWait;

        private Builder(Redis redis, String name) {
            this.redis = Objects.requireNonNull(redis, "redis");
            this.name = Objects.requireNonNull(name, "name");
        }

        /**
         * Sets the rate: {@code permits} per {@code period}.
         *
         * @param permits permits per period (&gt; 0)
         * @param period the period (&gt; 0)
         * @return this builder
         * @throws IllegalArgumentException if either is not positive
         */
        public Builder rate(int permits, Duration period) {
            if (permits <= 0 || period == null || period.isNegative() || period.isZero()) {
                throw new IllegalArgumentException("rate must be positive permits per positive period, got " + permits + " per " + period);
            }
            this.permits = permits;
            this.period = period;
            return this;
        }

        /**
         * Sets the burst: how many permits may be taken at once.
         *
         * @param burst permits that may be taken at once (default: the rate's permits)
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder burst(int burst) {
            if (burst < 0) {
                throw new IllegalArgumentException("burst must be >= 0 (0 means the rate's permits), got " + burst);
            }
            this.burst = burst;
            return this;
        }

        /**
         * Sets the longest an {@code acquire} waits.
         *
         * @param maxWait the longest {@code acquire} waits (default: no limit but the deadline)
         * @return this builder
         */
        public Builder maxWait(Duration maxWait) {
            this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
            return this;
        }

        /**
         * Builds the rate limiter.
         *
         * @return the limiter
         * @throws IllegalStateException if no rate was set
         */
        public RedisRateLimiter build() {
            if (period == null) {
                throw new IllegalStateException("a rate is required: call rate(permits, period)");
            }
            return new RedisRateLimiter(this);
        }
    }
}
