package dev.weft.redis;

import dev.weft.Deadline;
import dev.weft.Weft;
import dev.weft.channel.QueueShutdownException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import redis.clients.jedis.Protocol;

/**
 * A work queue shared by several JVMs, on a Redis Stream with one consumer group: the contract of
 * {@link dev.weft.channel.WorkQueue} ({@code put}, {@code get}, {@code taskDone}, {@code join},
 * {@code shutdown}) as far as a network allows, plus what users of Sidekiq, BullMQ and Celery
 * expect: visibility timeouts, retries with back-off, dead letters, and a view of what is pending.
 *
 * {@snippet :
 * try (Redis redis = Redis.connect("redis://127.0.0.1:6379");
 *      RedisWorkQueue<Job> jobs = RedisWorkQueue.builder(redis, "jobs", Job.class).build()) {
 *     // in any number of processes:
 *     while (true) {
 *         Job j = jobs.get();                    // QueueShutdownException ends the worker
 *         try { handle(j); } finally { jobs.taskDone(); }
 *     }
 * }
 * }
 *
 * <h2>Delivery is at-least-once</h2> An item is delivered to one consumer and stays pending until it
 * is acknowledged ({@link #taskDone()} / {@link #ack}). If its consumer dies (or stops renewing it)
 * for longer than the visibility timeout, another consumer claims it (XAUTOCLAIM) and it is
 * delivered again, with the same {@link Delivery#id()}: handlers must be idempotent (see
 * {@code docs/redis.md}). An item delivered more than {@code maxDeliveries} times goes to the
 * dead-letter stream with its last error.
 *
 * <h2>Differences from the local WorkQueue</h2>
 * <ul>
 * <li>{@link #taskDone()} finishes the oldest item that the <em>calling thread</em> took with
 *     {@link #get()}: Redis must know which item is done. Finish on another thread with
 *     {@link #receive()} and {@link #ack(Delivery)}.</li>
 * <li>Waiting is done in slices of {@code pollInterval} (default 100 ms): a blocked {@code get}
 *     notices a shutdown, and a platform thread its cancellation, within one slice; a virtual thread
 *     is woken at once by cancellation (its socket is closed).</li>
 * <li>{@code maxSize} bounds the items waiting (not yet delivered); {@code put} waits for room by
 *     polling, {@link #tryPut} fails at once.</li>
 * <li>{@code join} polls the shared count of unfinished items.</li>
 * <li>FIFO order of delivery; no LIFO or priority.</li>
 * </ul>
 *
 * <h2>Cancellation</h2> {@code put}, {@code get} and {@code join} are Weft waits: they fail at once
 * in a cancelled scope, and a cancelled {@code get} loses no item: an item the server delivered to a
 * read whose caller was cancelled stays pending for this consumer and is handed to this queue's next
 * {@code get} (it reads its own pending entries first), or, if the process ends, re-delivered after
 * the visibility timeout. A cancelled {@code put} either added the item (returns) or did not (throws).
 *
 * <h2>Design</h2> Keys share the hash tag {@code {NAME}}: {@code {NAME}:stream} (the items, field
 * {@code d}), {@code {NAME}:meta} (hash: {@code unfinished}, {@code shutdown}), {@code {NAME}:errors}
 * (hash: last error per entry id) and {@code {NAME}:dead} (the dead-letter stream). {@code put} is
 * one Lua script (shutdown check, bound check, XADD, count, and a one-minute idempotency token so
 * that a retried put adds its item once), {@code get} one XREADGROUP (COUNT
 * {@code prefetch}, BLOCK a slice), {@code taskDone} one Lua script (XACK, XDEL, count). Entries are
 * deleted when acknowledged, so the stream holds only unfinished items. A background virtual thread
 * renews the items this instance holds and still owns (XCLAIM JUSTID, resetting their idle time; an
 * item another consumer has claimed meanwhile is left to it) every third of the
 * visibility timeout, so a slow live handler keeps its item and a dead one loses it.
 *
 * <h2>Thread safety</h2> Thread safe; one instance per process is enough (it is one consumer in the
 * group, named by the builder or at random).
 *
 * @param <T> the type of the items
 */
public final class RedisWorkQueue<T> implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RedisWorkQueue.class.getName());

    private static final String PUT = """
            local done = redis.call('GET', KEYS[3])
            if done then return done end
            local sd = redis.call('HGET', KEYS[2], 'shutdown')
            if sd and sd ~= '0' then return -1 end
            local maxlen = tonumber(ARGV[2])
            if maxlen > 0 then
              local len = redis.call('XLEN', KEYS[1])
              local pend = 0
              if len > 0 then pend = redis.call('XPENDING', KEYS[1], ARGV[1])[1] end
              if len - pend >= maxlen then return 0 end
            end
            local id = redis.call('XADD', KEYS[1], '*', 'd', ARGV[3])
            redis.call('HINCRBY', KEYS[2], 'unfinished', 1)
            redis.call('SET', KEYS[3], id, 'PX', 60000)
            return id
            """;
    private static final String ACK = """
            local n = redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
            if n == 1 then
              redis.call('XDEL', KEYS[1], ARGV[2])
              redis.call('HINCRBY', KEYS[2], 'unfinished', -1)
              redis.call('HDEL', KEYS[3], ARGV[2])
            end
            return n
            """;
    /** {@code dead(id, payload, n, err)} moves entry {@code id} to the dead-letter stream and finishes it. */
    private static final String DEAD_FN = """
            local function dead(id, payload, n, err)
              redis.call('XADD', KEYS[3], '*', 'id', id, 'd', payload, 'deliveries', tostring(n), 'error', err)
              local a = redis.call('XACK', KEYS[1], ARGV[1], id)
              redis.call('XDEL', KEYS[1], id)
              if a == 1 then redis.call('HINCRBY', KEYS[2], 'unfinished', -1) end
              redis.call('HDEL', KEYS[4], id)
            end
            """;
    private static final String CLAIM = DEAD_FN + """
            local r = redis.call('XAUTOCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], ARGV[4], 'COUNT', ARGV[5])
            local out = {r[1]}
            local maxd = tonumber(ARGV[6])
            for _, e in ipairs(r[2]) do
              local id = e[1]
              if e[2] then
                local p = redis.call('XPENDING', KEYS[1], ARGV[1], id, id, 1)
                local n = 1
                if p[1] and p[1][2] == ARGV[2] then n = p[1][4] end
                if maxd > 0 and n > maxd then
                  local err = redis.call('HGET', KEYS[4], id) or ''
                  dead(id, e[2][2], n, err)
                else
                  table.insert(out, id)
                  table.insert(out, e[2][2])
                  table.insert(out, n)
                end
              end
            end
            return out
            """;
    private static final String FAIL = DEAD_FN + """
            local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[2], 1)
            if not p[1] then return 0 end
            local n = p[1][4]
            local maxd = tonumber(ARGV[5])
            if maxd > 0 and n >= maxd then
              local e = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
              local payload = ''
              if e[1] then payload = e[1][2][2] end
              dead(ARGV[2], payload, n, ARGV[6])
              return 2
            end
            redis.call('HSET', KEYS[4], ARGV[2], ARGV[6])
            redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[3], 0, ARGV[2], 'IDLE', ARGV[4], 'JUSTID')
            return 1
            """;
    /**
     * Renewal: resets the idle time of the items this consumer still owns, and only those. A plain
     * XCLAIM with min-idle 0 would also take back an item that another consumer claimed after this
     * one stalled past the visibility timeout (and both would then work on it, with this one
     * owning it again). Returns how many were renewed.
     */
    private static final String RENEW = """
            local n = 0
            for i = 3, #ARGV do
              local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
              if p[1] and p[1][2] == ARGV[2] then
                redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, ARGV[i], 'JUSTID')
                n = n + 1
              end
            end
            return n
            """;
    /**
     * The delivery counts of entries re-read from this consumer's own pending list (a restarted
     * consumer name, a read given up): Redis counts such a read as a delivery, but XREADGROUP does
     * not say how many there were. 0 for an entry no longer this consumer's (acknowledged, or
     * claimed by another meanwhile).
     */
    private static final String DELIVERIES = """
            local out = {}
            for i = 3, #ARGV do
              local p = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[i], ARGV[i], 1)
              if p[1] and p[1][2] == ARGV[2] then
                out[#out + 1] = p[1][4]
              else
                out[#out + 1] = 0
              end
            end
            return out
            """;
    private static final String DRAIN = """
            local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', ARGV[3], 'STREAMS', KEYS[1], '>')
            if not r then return 0 end
            local n = 0
            for _, e in ipairs(r[1][2]) do
              redis.call('XACK', KEYS[1], ARGV[1], e[1])
              redis.call('XDEL', KEYS[1], e[1])
              n = n + 1
            end
            redis.call('HINCRBY', KEYS[2], 'unfinished', -n)
            return n
            """;

    private final Redis redis;
    private final String name;
    private final Codec<T> codec;
    private final String group = "weft";
    /**
     * The consumer that holds failed items during their retry back-off (FAIL parks them there with
     * their idle time set, XAUTOCLAIM takes them when due): parked under the failing consumer, a
     * read of its own pending entries would deliver them again at once.
     */
    private static final String RETRYING = "weft-retrying";
    private final String consumer;
    private final int maxSize;
    private final int prefetch;
    private final long maxDeliveries;
    private final Duration visibility;
    private final Duration pollInterval;
    private final Duration retryBackoff;
    private final String stream;
    private final String meta;
    private final String errors;
    private final String dead;
    private final List<String> keys;

    private final ReentrantLock lock = new ReentrantLock();
    /** New reads (shared) exclude reads of our own pending entries (exclusive): an entry in a read's reply is buffered before the PEL is read. */
    private final java.util.concurrent.locks.ReentrantReadWriteLock reads = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final ArrayDeque<Delivery<T>> buffer = new ArrayDeque<>(); // delivered to us, not yet handed out
    private final Set<String> held = ConcurrentHashMap.newKeySet(); // in buffer or handed out, not finished
    private final ConcurrentHashMap<Thread, ArrayDeque<Delivery<T>>> byThread = new ConcurrentHashMap<>();
    private volatile boolean ownPendingMayExist = true; // read our own PEL first (a restarted consumer name, a cancelled read)
    private volatile long lastClaimNanos = System.nanoTime() - Long.MAX_VALUE / 4;
    private String claimCursor = "0-0"; // under lock
    private final Renewer renewer;

    private RedisWorkQueue(Builder<T> b) {
        this.redis = b.redis;
        this.name = b.name;
        this.codec = b.codec;
        this.consumer = b.consumer != null ? b.consumer : "c-" + UUID.randomUUID();
        this.maxSize = b.maxSize;
        this.prefetch = b.prefetch;
        this.maxDeliveries = b.maxDeliveries;
        this.visibility = b.visibility;
        this.pollInterval = b.pollInterval;
        this.retryBackoff = b.retryBackoff;
        String tag = "{" + name + "}";
        this.stream = tag + ":stream";
        this.meta = tag + ":meta";
        this.errors = tag + ":errors";
        this.dead = tag + ":dead";
        this.keys = List.of(stream, meta, dead, errors);
        this.renewer = new Renewer("weft-redis-renew-" + name, visibility.dividedBy(3), LOG,
                "queue '" + name + "': could not renew the items in hand: ", this::renewHeld);
    }

    /**
     * A builder with JSON items of {@code type}.
     *
     * @param <T> the type of the items
     * @param redis the connection pool
     * @param name the queue's name (keys {@code {NAME}:...}); every process of one queue uses the same
     * @param type the items' class (JSON through Jackson)
     * @return a builder
     */
    public static <T> Builder<T> builder(Redis redis, String name, Class<T> type) {
        return new Builder<>(redis, name, Codec.json(type));
    }

    /**
     * A builder with a codec of your own.
     *
     * @param <T> the type of the items
     * @param redis the connection pool
     * @param name the queue's name
     * @param codec how items are stored
     * @return a builder
     */
    public static <T> Builder<T> builder(Redis redis, String name, Codec<T> codec) {
        return new Builder<>(redis, name, codec);
    }

    private void start() throws InterruptedException {
        redis.call("create the consumer group", j -> {
            try {
                j.sendCommand(Protocol.Command.XGROUP, "CREATE", stream, group, "0", "MKSTREAM");
            } catch (redis.clients.jedis.exceptions.JedisDataException e) {
                if (e.getMessage() == null || !e.getMessage().startsWith("BUSYGROUP")) {
                    throw e;
                }
            }
            return null;
        });
        renewer.start();
    }

    /**
     * The queue's name.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * This instance's consumer name in the group.
     *
     * @return the consumer name
     */
    public String consumer() {
        return consumer;
    }

    // ---- put ----------------------------------------------------------------------------------

    /**
     * Puts {@code item}, waiting (by polling) while the queue holds {@code maxSize} waiting items.
     *
     * @param item the item (not null)
     * @return the entry id
     * @throws QueueShutdownException if the queue is (or gets) shut down before the item is added
     * @throws RedisUnavailableException if Redis is unreachable (the item may or may not have been added)
     * @throws InterruptedException if the caller is cancelled first (the item was not added)
     */
    public String put(T item) throws InterruptedException {
        String payload = codec.encode(Objects.requireNonNull(item, "work queues do not hold null"));
        Backoff wait = new Backoff(pollInterval);
        while (true) {
            Optional<String> id = putOnce(payload);
            if (id.isPresent()) {
                return id.get();
            }
            wait.pause();
        }
    }

    /**
     * Puts {@code item} if there is room now (asyncio's {@code put_nowait}).
     *
     * @param item the item (not null)
     * @return whether it was added
     * @throws QueueShutdownException if the queue is shut down
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public boolean tryPut(T item) throws InterruptedException {
        return putOnce(codec.encode(Objects.requireNonNull(item, "work queues do not hold null"))).isPresent();
    }

    /**
     * One try. Not interrupted midway: a put whose reply is lost to an interrupt is retried with the
     * same token, which the script remembers for a minute, so the item is added once; a caller
     * cancelled during the call then returns normally (its item is queued) with its interrupt flag
     * set again.
     */
    private Optional<String> putOnce(String payload) throws InterruptedException {
        Weft.checkpoint();
        String token = "{" + name + "}:put:" + UUID.randomUUID();
        Object r = redis.callUninterruptibly("put", j -> redis.eval(j, PUT, List.of(stream, meta, token),
                List.of(group, Integer.toString(maxSize), payload)));
        if (r instanceof Long n) {
            if (n < 0) {
                throw new QueueShutdownException("cannot put: the queue '" + name + "' is shut down");
            }
            return Optional.empty();
        }
        return Optional.of(str(r));
    }

    // ---- get ----------------------------------------------------------------------------------

    /**
     * Takes the next item, waiting for one; finish it with {@link #taskDone()} on the same thread.
     *
     * @return the item
     * @throws QueueShutdownException if the queue is shut down and nothing is left to deliver
     * @throws RedisUnavailableException if Redis is unreachable (nothing is lost: see the class comment)
     * @throws InterruptedException if the caller is cancelled first (nothing was taken)
     */
    public T get() throws InterruptedException {
        Delivery<T> d = receive();
        byThread.computeIfAbsent(Thread.currentThread(), t -> new ArrayDeque<>()).addLast(d);
        return d.item();
    }

    /**
     * Takes the next delivery, waiting for one; finish it with {@link #ack} or {@link #fail} (on
     * any thread).
     *
     * @return the delivery
     * @throws QueueShutdownException if the queue is shut down and nothing is left to deliver
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first (nothing was taken)
     */
    public Delivery<T> receive() throws InterruptedException {
        checkOpen();
        Weft.checkpoint();
        while (true) {
            Delivery<T> d = takeBuffered();
            if (d != null && d.deliveries() < 0) {
                deadLetterUndecodable(d);
                continue;
            }
            if (d != null) {
                return d;
            }
            if (ownPendingMayExist) {
                readOwnPending();
                continue;
            }
            if (System.nanoTime() - lastClaimNanos >= visibility.toNanos() / 2) {
                claimNow();
                if (!isBufferEmpty()) {
                    continue;
                }
            }
            long slice = pollInterval.toMillis();
            Optional<Deadline> dl = Deadline.current();
            if (dl.isPresent()) {
                slice = Math.max(1, Math.min(slice, dl.get().remaining().toMillis()));
            }
            long block = slice;
            List<Delivery<T>> got;
            reads.readLock().lockInterruptibly();
            try {
                got = redis.call("get", j -> parseRead(j.sendCommand(Protocol.Command.XREADGROUP, "GROUP", group, consumer,
                        "COUNT", Integer.toString(prefetch), "BLOCK", Long.toString(block), "STREAMS", stream, ">")));
                addBuffered(got);
            } catch (InterruptedException | RuntimeException e) {
                ownPendingMayExist = true; // the server may have delivered to the read we gave up
                throw e;
            } finally {
                reads.readLock().unlock();
            }
            if (!got.isEmpty()) {
                continue;
            }
            if (isShutdown()) {
                claimNow(); // items of dead consumers that are due are still delivered
                if (isBufferEmpty()) {
                    throw new QueueShutdownException("cannot get: the queue '" + name + "' is shut down and empty");
                }
            }
            Weft.checkpoint();
        }
    }

    /**
     * The next item if one can be had now, without blocking on the server (asyncio's {@code get_nowait}).
     *
     * @return the item, or empty
     * @throws QueueShutdownException if the queue is shut down and empty
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public Optional<T> tryGet() throws InterruptedException {
        checkOpen();
        if (ownPendingMayExist) {
            readOwnPending();
        }
        Delivery<T> d = takeBuffered();
        if (d == null) {
            reads.readLock().lockInterruptibly();
            try {
                addBuffered(redis.call("get", j -> parseRead(j.sendCommand(Protocol.Command.XREADGROUP, "GROUP", group,
                        consumer, "COUNT", Integer.toString(prefetch), "STREAMS", stream, ">"))));
            } catch (InterruptedException | RuntimeException e) {
                ownPendingMayExist = true;
                throw e;
            } finally {
                reads.readLock().unlock();
            }
            d = takeBuffered();
        }
        if (d != null && d.deliveries() < 0) {
            deadLetterUndecodable(d);
            return Optional.empty();
        }
        if (d == null) {
            if (isShutdown()) {
                throw new QueueShutdownException("cannot get: the queue '" + name + "' is shut down and empty");
            }
            return Optional.empty();
        }
        byThread.computeIfAbsent(Thread.currentThread(), t -> new ArrayDeque<>()).addLast(d);
        return Optional.of(d.item());
    }

    private Delivery<T> takeBuffered() {
        lock.lock();
        try {
            return buffer.pollFirst();
        } finally {
            lock.unlock();
        }
    }

    private boolean isBufferEmpty() {
        lock.lock();
        try {
            return buffer.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    private void addBuffered(List<Delivery<T>> ds) {
        lock.lock();
        try {
            for (Delivery<T> d : ds) {
                if (held.add(d.id())) {
                    buffer.addLast(d);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Reads this consumer's own pending entries that this instance does not hold (lost reads, a restart). */
    private void readOwnPending() throws InterruptedException {
        reads.writeLock().lockInterruptibly();
        try {
            if (ownPendingMayExist) {
                readOwnPendingLocked();
            }
        } finally {
            reads.writeLock().unlock();
        }
    }

    private void readOwnPendingLocked() throws InterruptedException {
        int count = prefetch + held.size();
        List<Delivery<T>> mine = redis.call("get", j -> parseRead(j.sendCommand(Protocol.Command.XREADGROUP, "GROUP",
                group, consumer, "COUNT", Integer.toString(count), "STREAMS", stream, "0")));
        List<Delivery<T>> fresh = new ArrayList<>();
        for (Delivery<T> d : mine) {
            if (!held.contains(d.id())) {
                fresh.add(d);
            }
        }
        if (fresh.isEmpty() && mine.size() < count) {
            ownPendingMayExist = false;
        }
        addBuffered(counted(fresh));
    }

    /** {@code read} (from this consumer's pending list) with each entry's delivery count (DELIVERIES). */
    private List<Delivery<T>> counted(List<Delivery<T>> read) throws InterruptedException {
        if (read.isEmpty()) {
            return read;
        }
        List<String> args = new ArrayList<>(read.size() + 2);
        args.add(group);
        args.add(consumer);
        for (Delivery<T> d : read) {
            args.add(d.id());
        }
        List<?> counts = (List<?>) redis.call("get", j -> redis.eval(j, DELIVERIES, List.of(stream), args));
        List<Delivery<T>> out = new ArrayList<>(read.size());
        for (int i = 0; i < read.size(); i++) {
            long n = ((Number) counts.get(i)).longValue();
            Delivery<T> d = read.get(i);
            if (n > 0) { // 0: no longer this consumer's, nothing to deliver
                out.add(d.deliveries() < 0 ? new Delivery<>(d.id(), null, -1 - n) : new Delivery<>(d.id(), d.item(), n));
            }
        }
        return out;
    }

    /** Claims due items of dead (or silent) consumers; dead-letters those delivered too often. */
    private void claimNow() throws InterruptedException {
        lastClaimNanos = System.nanoTime();
        String cursor;
        lock.lock();
        try {
            cursor = claimCursor;
        } finally {
            lock.unlock();
        }
        Object r = redis.call("claim", j -> redis.eval(j, CLAIM, keys, List.of(group, consumer,
                Long.toString(visibility.toMillis()), cursor, Integer.toString(prefetch), Long.toString(maxDeliveries))));
        List<?> out = (List<?>) r;
        List<Delivery<T>> got = new ArrayList<>();
        for (int i = 1; i + 2 < out.size(); i += 3) {
            got.add(decode(str(out.get(i)), str(out.get(i + 1)), (Long) out.get(i + 2)));
        }
        lock.lock();
        try {
            claimCursor = str(out.get(0));
        } finally {
            lock.unlock();
        }
        addBuffered(got);
    }

    private List<Delivery<T>> parseRead(Object raw) {
        List<Delivery<T>> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (Object s : (List<?>) raw) {
            List<?> entries = (List<?>) ((List<?>) s).get(1);
            for (Object e : entries) {
                List<?> entry = (List<?>) e;
                String id = str(entry.get(0));
                List<?> fields = (List<?>) entry.get(1);
                if (fields == null) {
                    continue; // deleted while pending: nothing to deliver
                }
                String payload = null;
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    if ("d".equals(str(fields.get(i)))) {
                        payload = str(fields.get(i + 1));
                    }
                }
                out.add(decode(id, payload == null ? "" : payload, 1));
            }
        }
        return out;
    }

    private Delivery<T> decode(String id, String payload, long deliveries) {
        T item;
        try {
            item = codec.decode(payload);
        } catch (RuntimeException e) {
            return new Delivery<>(id, null, -1 - deliveries); // marked undecodable: dead-lettered by the caller
        }
        return new Delivery<>(id, item, deliveries);
    }

    private void deadLetterUndecodable(Delivery<T> d) {
        redis.callUninterruptibly("dead-letter", j -> redis.eval(j, FAIL, keys, List.of(group, d.id(), consumer, "0", "1",
                "the codec cannot decode this item")));
        held.remove(d.id());
    }

    static String str(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        return o.toString();
    }

    // ---- finishing ----------------------------------------------------------------------------

    /**
     * Marks the oldest item that the calling thread took with {@link #get()} as processed (XACK).
     * An item that had meanwhile been claimed and finished by another consumer (at-least-once) is
     * not counted twice.
     *
     * @throws IllegalStateException if the calling thread holds no item taken by {@code get()}
     * @throws RedisUnavailableException if Redis is unreachable (the item stays pending and is
     *         re-delivered after the visibility timeout)
     */
    public void taskDone() {
        ack(popThread());
    }

    /**
     * Marks the oldest item that the calling thread took with {@link #get()} as failed: see {@link #fail}.
     *
     * @param error why it failed (its message is kept as the last error)
     * @throws IllegalStateException if the calling thread holds no item taken by {@code get()}
     * @throws RedisUnavailableException if Redis is unreachable
     */
    public void taskFailed(Throwable error) {
        fail(popThread(), error);
    }

    private Delivery<T> popThread() {
        ArrayDeque<Delivery<T>> q = byThread.get(Thread.currentThread());
        Delivery<T> d = q == null ? null : q.pollFirst();
        if (d == null) {
            throw new IllegalStateException("taskDone() without an item taken by get() on this thread"
                    + " (to finish an item on another thread, use receive() and ack(delivery))");
        }
        if (q.isEmpty()) {
            byThread.remove(Thread.currentThread());
        }
        return d;
    }

    /**
     * Acknowledges a delivery: the item is done (XACK, then deleted from the stream).
     *
     * @param d a delivery from {@link #receive()}
     * @return true if this call finished the item; false if it was already finished (another
     *         consumer claimed it after the visibility timeout and finished it, or it was dead-lettered)
     * @throws RedisUnavailableException if Redis is unreachable (the item stays pending and comes
     *         back to this instance's next get, or to another consumer after the visibility timeout)
     */
    public boolean ack(Delivery<T> d) {
        try {
            Object r = redis.callUninterruptibly("ack", j -> redis.eval(j, ACK, List.of(stream, meta, errors), List.of(group, d.id())));
            return ((Long) r) == 1;
        } catch (RuntimeException e) {
            ownPendingMayExist = true; // if the ack did not land, the item comes back to this instance
            throw e;
        } finally {
            held.remove(d.id());
        }
    }

    /**
     * Reports that handling a delivery failed. Below {@code maxDeliveries} deliveries, the item is
     * re-delivered (to any consumer) after the retry back-off, doubled per delivery and capped at the
     * visibility timeout; at {@code maxDeliveries} it goes to the dead-letter stream with
     * {@code error}'s message.
     *
     * @param d a delivery from {@link #receive()}
     * @param error why it failed
     * @throws RedisUnavailableException if Redis is unreachable (the item stays pending)
     */
    public void fail(Delivery<T> d, Throwable error) {
        String msg = error == null ? "failed" : error.getClass().getSimpleName() + ": " + error.getMessage();
        long shift = Math.min(20, Math.max(0, d.deliveries() - 1));
        long backoff = Math.min(visibility.toMillis(), retryBackoff.toMillis() << shift);
        long idle = Math.max(0, visibility.toMillis() - backoff);
        try {
            redis.callUninterruptibly("fail", j -> redis.eval(j, FAIL, keys, List.of(group, d.id(), RETRYING,
                    Long.toString(idle), Long.toString(maxDeliveries), msg)));
        } catch (RuntimeException e) {
            ownPendingMayExist = true;
            throw e;
        } finally {
            held.remove(d.id());
        }
    }

    // ---- join, shutdown, views ----------------------------------------------------------------

    /**
     * Waits until every item put (by any process) has been finished or dead-lettered; polls the
     * shared count.
     *
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled
     */
    public void join() throws InterruptedException {
        Backoff wait = new Backoff(pollInterval);
        while (unfinished() > 0) {
            wait.pause();
        }
    }

    /**
     * Items put and not yet finished (waiting, in flight, or being retried), across all processes.
     *
     * @return the count
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public long unfinished() throws InterruptedException {
        String v = redis.call("read the unfinished count", j -> j.hget(meta, "unfinished"));
        return v == null ? 0 : Long.parseLong(v);
    }

    /**
     * As {@code shutdown(false)}.
     *
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public void shutdown() throws InterruptedException {
        shutdown(false);
    }

    /**
     * Shuts the queue down for every process: puts fail from now on; gets deliver what is left and
     * then fail (within one poll slice). With {@code immediate}, the items not yet delivered are
     * removed now (the unfinished count lowered by them), and gets fail at once; items in flight
     * are still finished by their handlers.
     *
     * @param immediate whether to drop the waiting items
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public void shutdown(boolean immediate) throws InterruptedException {
        redis.call("shutdown", j -> j.hset(meta, "shutdown", immediate ? "2" : "1"));
        if (immediate) {
            String drainer = "drain-" + consumer;
            while ((Long) redis.call("shutdown", j -> redis.eval(j, DRAIN, List.of(stream, meta),
                    List.of(group, drainer, "1000"))) > 0) {
                Weft.checkpoint();
            }
            redis.call("shutdown", j -> j.sendCommand(Protocol.Command.XGROUP, "DELCONSUMER", stream, group, drainer));
        }
    }

    /**
     * Whether any process has shut the queue down.
     *
     * @return whether it is shut down
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public boolean isShutdown() throws InterruptedException {
        String v = redis.call("read the shutdown flag", j -> j.hget(meta, "shutdown"));
        return v != null && !"0".equals(v);
    }

    /**
     * What is in the queue now.
     *
     * @param waiting items not yet delivered
     * @param inFlight items delivered and not yet finished (pending)
     * @param unfinished items put and not finished or dead-lettered
     * @param deadLetters items in the dead-letter stream
     */
    public record Stats(long waiting, long inFlight, long unfinished, long deadLetters) {
    }

    /**
     * Counts of waiting, in-flight, unfinished and dead-lettered items.
     *
     * @return the counts
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public Stats stats() throws InterruptedException {
        return redis.call("stats", j -> {
            long len = j.xlen(stream);
            List<?> p = (List<?>) j.sendCommand(Protocol.Command.XPENDING, stream, group);
            long pending = p == null || p.isEmpty() ? 0 : (Long) p.get(0);
            String u = j.hget(meta, "unfinished");
            long dl = j.xlen(dead);
            return new Stats(len - pending, pending, u == null ? 0 : Long.parseLong(u), dl);
        });
    }

    /**
     * An item delivered and not yet finished.
     *
     * @param id the entry id
     * @param consumer the consumer holding it
     * @param idle since it was last delivered or renewed
     * @param deliveries how many times it has been delivered
     */
    public record Pending(String id, String consumer, Duration idle, long deliveries) {
    }

    /**
     * The first {@code count} items in flight, oldest first (XPENDING).
     *
     * @param count how many at most
     * @return the pending items
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public List<Pending> pending(int count) throws InterruptedException {
        return redis.call("pending", j -> {
            List<Pending> out = new ArrayList<>();
            Object raw = j.sendCommand(Protocol.Command.XPENDING, stream, group, "-", "+", Integer.toString(count));
            for (Object o : (List<?>) raw) {
                List<?> e = (List<?>) o;
                out.add(new Pending(str(e.get(0)), str(e.get(1)), Duration.ofMillis((Long) e.get(2)), (Long) e.get(3)));
            }
            return out;
        });
    }

    /**
     * An item moved to the dead-letter stream.
     *
     * @param id its entry id in the queue
     * @param payload its stored form (see the codec)
     * @param deliveries how many times it was delivered
     * @param error the last error reported for it (empty if none)
     */
    public record DeadLetter(String id, String payload, long deliveries, String error) {
    }

    /**
     * The first {@code count} dead letters, oldest first.
     *
     * @param count how many at most
     * @return the dead letters
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public List<DeadLetter> deadLetters(int count) throws InterruptedException {
        return redis.call("dead letters", j -> {
            List<DeadLetter> out = new ArrayList<>();
            Object raw = j.sendCommand(Protocol.Command.XRANGE, dead, "-", "+", "COUNT", Integer.toString(count));
            for (Object o : (List<?>) raw) {
                List<?> fields = (List<?>) ((List<?>) o).get(1);
                String id = "", d = "", n = "0", err = "";
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    String v = str(fields.get(i + 1));
                    switch (str(fields.get(i))) {
                        case "id" -> id = v;
                        case "d" -> d = v;
                        case "deliveries" -> n = v;
                        case "error" -> err = v;
                        default -> { }
                    }
                }
                out.add(new DeadLetter(id, d, Long.parseLong(n), err));
            }
            return out;
        });
    }

    /**
     * Deletes every key of the queue (items, counts, dead letters) for all processes.
     *
     * @throws RedisUnavailableException if Redis is unreachable
     * @throws InterruptedException if the caller is cancelled first
     */
    public void delete() throws InterruptedException {
        redis.call("delete", j -> j.del(stream, meta, errors, dead));
    }

    // ---- renewal and close --------------------------------------------------------------------

    /** Renews the items in hand that this consumer still owns (RENEW); package-private for tests. */
    void renewHeld() throws InterruptedException {
        List<String> ids = new ArrayList<>(held);
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> args = new ArrayList<>(List.of(group, consumer));
            args.addAll(ids.subList(from, Math.min(ids.size(), from + 500)));
            redis.call("renew", j -> redis.eval(j, RENEW, List.of(stream), args));
        }
    }

    private void checkOpen() {
        if (renewer.isClosed()) {
            throw new IllegalStateException("the queue '" + name + "' (consumer " + consumer + ") is closed");
        }
    }

    /**
     * Stops renewing the items in hand (they are re-delivered after the visibility timeout unless
     * finished) and leaves the queue in Redis as it is. Does not close the {@link Redis} pool.
     */
    @Override
    public void close() {
        renewer.close();
    }

    @Override
    public String toString() {
        return "RedisWorkQueue[" + name + ", consumer " + consumer + "]";
    }

    /** Poll pauses: 2 ms doubling up to the poll interval, cancellable. */
    static final class Backoff {
        private final long maxMillis;
        private long next = 2;

        Backoff(Duration max) {
            this.maxMillis = Math.max(1, max.toMillis());
        }

        void pause() throws InterruptedException {
            long ms = Math.min(next, maxMillis);
            Optional<Deadline> d = Deadline.current();
            if (d.isPresent()) {
                ms = Math.max(1, Math.min(ms, d.get().remaining().toMillis()));
            }
            Weft.sleep(Duration.ofMillis(ms));
            next = Math.min(maxMillis, next * 2);
        }
    }

    /**
     * Configures a {@link RedisWorkQueue}.
     *
     * @param <T> the type of the items
     */
    public static final class Builder<T> {
        private final Redis redis;
        private final String name;
        private final Codec<T> codec;
        private String consumer;
        private int maxSize;
        private int prefetch = 1;
        private long maxDeliveries = 5;
        private Duration visibility = Duration.ofSeconds(30);
        private Duration pollInterval = Duration.ofMillis(100);
        private Duration retryBackoff = Duration.ofSeconds(1);

        private Builder(Redis redis, String name, Codec<T> codec) {
            this.redis = Objects.requireNonNull(redis, "redis");
            this.name = Objects.requireNonNull(name, "name");
            this.codec = Objects.requireNonNull(codec, "codec");
            if (name.isEmpty() || name.contains("{") || name.contains("}")) {
                throw new IllegalArgumentException("queue name must be non-empty and without braces, got '" + name + "'");
            }
        }

        /**
         * Sets this process's consumer name in the group.
         *
         * @param consumer this process's consumer name; default random. A restarted process that
         *        reuses its name gets its own pending items back at once instead of after the
         *        visibility timeout.
         * @return this builder
         */
        public Builder<T> consumer(String consumer) {
            this.consumer = Objects.requireNonNull(consumer, "consumer");
            return this;
        }

        /**
         * Sets the bound on items waiting for delivery.
         *
         * @param maxSize the most items waiting (not yet delivered); 0 (default) means unbounded
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder<T> maxSize(int maxSize) {
            if (maxSize < 0) {
                throw new IllegalArgumentException("maxSize must be >= 0 (0 means unbounded), got " + maxSize);
            }
            this.maxSize = maxSize;
            return this;
        }

        /**
         * Sets how many items one read takes from the server.
         *
         * @param prefetch items read per round trip (default 1); the extra ones wait in this process
         *        (renewed, so not re-delivered) until a {@code get} takes them
         * @return this builder
         * @throws IllegalArgumentException if &lt; 1
         */
        public Builder<T> prefetch(int prefetch) {
            if (prefetch < 1) {
                throw new IllegalArgumentException("prefetch must be >= 1, got " + prefetch);
            }
            this.prefetch = prefetch;
            return this;
        }

        /**
         * Sets how many deliveries a failing item gets before it is dead-lettered.
         *
         * @param maxDeliveries deliveries after which a failing item is dead-lettered (default 5);
         *        0 means never
         * @return this builder
         * @throws IllegalArgumentException if negative
         */
        public Builder<T> maxDeliveries(long maxDeliveries) {
            if (maxDeliveries < 0) {
                throw new IllegalArgumentException("maxDeliveries must be >= 0 (0 means never), got " + maxDeliveries);
            }
            this.maxDeliveries = maxDeliveries;
            return this;
        }

        /**
         * Sets the visibility timeout.
         *
         * @param visibility how long an item may go unrenewed before another consumer claims it
         *        (default 30 s); a live instance renews its items every third of it
         * @return this builder
         * @throws IllegalArgumentException if below 10 ms
         */
        public Builder<T> visibilityTimeout(Duration visibility) {
            if (visibility.toMillis() < 10) {
                throw new IllegalArgumentException("visibility timeout must be >= 10ms, got " + visibility);
            }
            this.visibility = visibility;
            return this;
        }

        /**
         * Sets the longest single blocking read on the server.
         *
         * @param pollInterval the longest single block on the server (default 100 ms): bounds how
         *        late a blocked get sees a shutdown, and the poll pauses of put, join
         * @return this builder
         * @throws IllegalArgumentException if below 1 ms
         */
        public Builder<T> pollInterval(Duration pollInterval) {
            if (pollInterval.toMillis() < 1) {
                throw new IllegalArgumentException("pollInterval must be >= 1ms, got " + pollInterval);
            }
            this.pollInterval = pollInterval;
            return this;
        }

        /**
         * Sets the back-off before a failed item is delivered again.
         *
         * @param retryBackoff the first wait before a failed item is re-delivered (default 1 s),
         *        doubled per delivery, capped at the visibility timeout
         * @return this builder
         */
        public Builder<T> retryBackoff(Duration retryBackoff) {
            this.retryBackoff = Objects.requireNonNull(retryBackoff, "retryBackoff");
            return this;
        }

        /**
         * Creates the consumer group if needed and starts renewing.
         *
         * @return the queue
         * @throws RedisUnavailableException if Redis is unreachable
         * @throws InterruptedException if the caller is cancelled first
         */
        public RedisWorkQueue<T> build() throws InterruptedException {
            RedisWorkQueue<T> q = new RedisWorkQueue<>(this);
            q.start();
            return q;
        }
    }
}
