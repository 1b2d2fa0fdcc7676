package dev.weft.bench;

import dev.weft.channel.Channel;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 3's workload: {@code items} longs through a buffered(100) channel (or a rendezvous one),
 * with 1 or 4 producers and as many consumers (the method name says which), all on virtual threads. One invocation
 * moves every item; the sum received is checked. Same harness for every implementation: Weft's
 * {@link Channel}, {@link ArrayBlockingQueue}, {@link LinkedBlockingQueue}, jox's channel, and
 * {@link SynchronousQueue} for rendezvous.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 4)
@Measurement(iterations = 8)
public class ChannelBench {

    /** The queue under test, reduced to blocking put and take. */
    interface Q {
        void put(Long v) throws InterruptedException;

        Long take() throws InterruptedException;
    }

    @Param({"1000000"})
    public int items;

    static Q buffered(String impl, int capacity) {
        return switch (impl) {
            case "weft" -> weft(Channel.buffered(capacity));
            case "abq" -> fromBlockingQueue(new ArrayBlockingQueue<>(capacity));
            case "lbq" -> fromBlockingQueue(new LinkedBlockingQueue<>(capacity));
            case "jox" -> jox(com.softwaremill.jox.Channel.newBufferedChannel(capacity));
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
    }

    static Q rendezvous(String impl) {
        return switch (impl) {
            case "weft" -> weft(Channel.rendezvous());
            case "jox" -> jox(com.softwaremill.jox.Channel.newRendezvousChannel());
            case "abq", "lbq" -> fromBlockingQueue(new SynchronousQueue<>()); // the JDK's rendezvous
            default -> throw new IllegalArgumentException("unknown impl " + impl);
        };
    }

    private static Q weft(Channel<Long> c) {
        return new Q() {
            public void put(Long v) throws InterruptedException {
                c.send(v);
            }

            public Long take() throws InterruptedException {
                return c.receive();
            }
        };
    }

    private static Q jox(com.softwaremill.jox.Channel<Long> c) {
        return new Q() {
            public void put(Long v) throws InterruptedException {
                c.send(v);
            }

            public Long take() throws InterruptedException {
                return c.receive();
            }
        };
    }

    private static Q fromBlockingQueue(java.util.concurrent.BlockingQueue<Long> q) {
        return new Q() {
            public void put(Long v) throws InterruptedException {
                q.put(v);
            }

            public Long take() throws InterruptedException {
                return q.take();
            }
        };
    }

    static long run(Q q, int items, int pairs) throws InterruptedException {
        int per = items / pairs;
        AtomicLong sum = new AtomicLong();
        Thread[] threads = new Thread[2 * pairs];
        for (int p = 0; p < pairs; p++) {
            long base = (long) p * per;
            threads[p] = Thread.ofVirtual().start(() -> {
                try {
                    for (long i = 0; i < per; i++) {
                        q.put(base + i);
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            threads[pairs + p] = Thread.ofVirtual().start(() -> {
                long s = 0;
                try {
                    for (int i = 0; i < per; i++) {
                        s += q.take();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                sum.addAndGet(s);
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        long n = (long) per * pairs;
        long expected = n * (n - 1) / 2;
        if (sum.get() != expected) {
            throw new IllegalStateException("lost or duplicated items: sum " + sum.get() + ", expected " + expected);
        }
        return sum.get();
    }

    @Benchmark
    public long weft_1x1() throws InterruptedException {
        return run(buffered("weft", 100), items, 1);
    }

    @Benchmark
    public long weft_4x4() throws InterruptedException {
        return run(buffered("weft", 100), items, 4);
    }

    @Benchmark
    public long abq_1x1() throws InterruptedException {
        return run(buffered("abq", 100), items, 1);
    }

    @Benchmark
    public long abq_4x4() throws InterruptedException {
        return run(buffered("abq", 100), items, 4);
    }

    @Benchmark
    public long lbq_1x1() throws InterruptedException {
        return run(buffered("lbq", 100), items, 1);
    }

    @Benchmark
    public long lbq_4x4() throws InterruptedException {
        return run(buffered("lbq", 100), items, 4);
    }

    @Benchmark
    public long jox_1x1() throws InterruptedException {
        return run(buffered("jox", 100), items, 1);
    }

    @Benchmark
    public long jox_4x4() throws InterruptedException {
        return run(buffered("jox", 100), items, 4);
    }

    @Benchmark
    public long rendezvous_weft() throws InterruptedException {
        return run(rendezvous("weft"), items, 1);
    }

    @Benchmark
    public long rendezvous_jox() throws InterruptedException {
        return run(rendezvous("jox"), items, 1);
    }

    @Benchmark
    public long rendezvous_synchronousQueue() throws InterruptedException {
        return run(rendezvous("abq"), items, 1);
    }
}
