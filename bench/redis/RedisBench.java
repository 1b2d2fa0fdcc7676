import dev.weft.TaskGroup;
import dev.weft.channel.QueueShutdownException;
import dev.weft.channel.WorkQueue;
import dev.weft.redis.Codec;
import dev.weft.redis.Redis;
import dev.weft.redis.RedisWorkQueue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.Protocol;

/**
 * bench/redis's measurements (run by bench/redis/run, which starts the server and prints uptime).
 *   clients PORT N THREADS       Jedis (pool, one connection per thread) vs Lettuce (one shared
 *                                connection, sync API) doing N XADDs from THREADS virtual threads
 *   plain PORT N                 ceiling: one producer XADD loop + one consumer XREADGROUP COUNT 1 + XACK loop (Jedis)
 *   inproc N                     the in-process WorkQueue: one producer, 4 consumer threads
 *   produce PORT NAME N          RedisWorkQueue.put N items, then shutdown
 *   consume PORT NAME THREADS PREFETCH   one consumer process: THREADS virtual threads get+taskDone until shutdown;
 *                                prints "consumed COUNT FIRST_MS LAST_MS"
 */
public class RedisBench {
    public static void main(String[] a) throws Exception {
        switch (a[0]) {
            case "clients" -> clients(Integer.parseInt(a[1]), Integer.parseInt(a[2]), Integer.parseInt(a[3]));
            case "plain" -> plain(Integer.parseInt(a[1]), Integer.parseInt(a[2]));
            case "inproc" -> inproc(Integer.parseInt(a[1]));
            case "produce" -> produce(Integer.parseInt(a[1]), a[2], Integer.parseInt(a[3]));
            case "consume" -> consume(Integer.parseInt(a[1]), a[2], Integer.parseInt(a[3]), Integer.parseInt(a[4]));
            default -> throw new IllegalArgumentException(a[0]);
        }
    }

    static void clients(int port, int n, int threads) throws Exception {
        for (int round = 0; round < 2; round++) { // the first round warms up
            JedisPoolConfig cfg = new JedisPoolConfig();
            cfg.setMaxTotal(threads);
            try (JedisPool pool = new JedisPool(cfg, "127.0.0.1", port)) {
                long t0 = System.nanoTime();
                TaskGroup.run(g -> {
                    for (int t = 0; t < threads; t++) {
                        g.launch(() -> {
                            try (Jedis j = pool.getResource()) {
                                for (int i = 0; i < n / threads; i++) {
                                    j.sendCommand(Protocol.Command.XADD, "bench:clients:jedis", "*", "d", "x");
                                }
                            }
                        });
                    }
                    return null;
                });
                report(round, "jedis   XADD, " + threads + " virtual threads, pool of " + threads, n, t0);
            }
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                RedisCommands<String, String> sync = c.sync();
                long t0 = System.nanoTime();
                TaskGroup.run(g -> {
                    for (int t = 0; t < threads; t++) {
                        g.launch(() -> {
                            for (int i = 0; i < n / threads; i++) {
                                sync.xadd("bench:clients:lettuce", "d", "x");
                            }
                        });
                    }
                    return null;
                });
                report(round, "lettuce XADD, " + threads + " virtual threads, one shared connection (sync API)", n, t0);
            } finally {
                client.shutdown();
            }
        }
    }

    static void report(int round, String what, long n, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        if (round > 0) {
            System.out.printf("%-80s %,10.0f ops/s%n", what, n / s);
        }
    }

    static void plain(int port, int n) throws Exception {
        try (Jedis admin = new Jedis("127.0.0.1", port)) {
            admin.del("bench:plain");
            admin.sendCommand(Protocol.Command.XGROUP, "CREATE", "bench:plain", "g", "0", "MKSTREAM");
        }
        long t0 = System.nanoTime();
        AtomicLong got = new AtomicLong();
        TaskGroup.run(g -> {
            g.launch(() -> {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    for (int i = 0; i < n; i++) {
                        j.sendCommand(Protocol.Command.XADD, "bench:plain", "*", "d", "{\"n\":" + i + "}");
                    }
                }
            });
            g.launch(() -> {
                try (Jedis j = new Jedis("127.0.0.1", port)) {
                    while (got.get() < n) {
                        Object r = j.sendCommand(Protocol.Command.XREADGROUP, "GROUP", "g", "c", "COUNT", "1", "BLOCK", "100",
                                "STREAMS", "bench:plain", ">");
                        if (r == null) {
                            continue;
                        }
                        List<?> entry = (List<?>) ((List<?>) ((List<?>) ((List<?>) r).get(0)).get(1)).get(0);
                        j.sendCommand(Protocol.Command.XACK, "bench:plain", "g", new String((byte[]) entry.get(0)));
                        got.incrementAndGet();
                    }
                }
            });
            return null;
        });
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("plain Jedis XADD | XREADGROUP COUNT 1 + XACK (1 producer, 1 consumer): %,.0f items/s%n", n / s);
    }

    static void inproc(int n) throws Exception {
        for (int round = 0; round < 2; round++) {
            WorkQueue<String> q = WorkQueue.fifo(0);
            long t0 = System.nanoTime();
            TaskGroup.run(g -> {
                for (int c = 0; c < 4; c++) {
                    g.launch(() -> {
                        while (true) {
                            try {
                                q.get();
                            } catch (QueueShutdownException e) {
                                return;
                            }
                            q.taskDone();
                        }
                    });
                }
                for (int i = 0; i < n; i++) {
                    q.put("{\"n\":" + i + "}");
                }
                q.join();
                q.shutdown();
                return null;
            });
            if (round > 0) {
                System.out.printf("in-process WorkQueue (1 producer, 4 consumer threads): %,.0f items/s%n", n / ((System.nanoTime() - t0) / 1e9));
            }
        }
    }

    static void produce(int port, String name, int n) throws Exception {
        try (Redis redis = Redis.connect("127.0.0.1", port, 8, Duration.ofSeconds(10));
             RedisWorkQueue<String> q = RedisWorkQueue.builder(redis, name, Codec.strings()).build()) {
            q.delete();
        }
        try (Redis redis = Redis.connect("127.0.0.1", port, 8, Duration.ofSeconds(10));
             RedisWorkQueue<String> q = RedisWorkQueue.builder(redis, name, Codec.strings()).build()) {
            long t0 = System.nanoTime();
            TaskGroup.run(g -> {
                for (int p = 0; p < 4; p++) {
                    int from = p * (n / 4);
                    g.launch(() -> {
                        for (int i = from; i < from + n / 4; i++) {
                            q.put("{\"n\":" + i + "}");
                        }
                    });
                }
                return null;
            });
            q.shutdown();
            System.out.printf("RedisWorkQueue.put from 4 virtual threads: %,.0f items/s%n", n / ((System.nanoTime() - t0) / 1e9));
        }
    }

    static void consume(int port, String name, int threads, int prefetch) throws Exception {
        AtomicLong count = new AtomicLong();
        AtomicLong first = new AtomicLong();
        try (Redis redis = Redis.connect("127.0.0.1", port, threads + 4, Duration.ofSeconds(10));
             RedisWorkQueue<String> q = RedisWorkQueue.builder(redis, name, Codec.strings()).prefetch(prefetch)
                     .pollInterval(Duration.ofMillis(20)).build()) {
            TaskGroup.run(g -> {
                for (int t = 0; t < threads; t++) {
                    g.launch(() -> {
                        while (true) {
                            try {
                                q.get();
                            } catch (QueueShutdownException e) {
                                return;
                            }
                            first.compareAndSet(0, System.currentTimeMillis());
                            q.taskDone();
                            count.incrementAndGet();
                        }
                    });
                }
                return null;
            });
        }
        System.out.println("consumed " + count.get() + " " + first.get() + " " + System.currentTimeMillis());
    }
}
