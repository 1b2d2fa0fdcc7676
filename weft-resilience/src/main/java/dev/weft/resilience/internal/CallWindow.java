package dev.weft.resilience.internal;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * A circuit breaker's sliding window of recent calls (one per closed period). Not API.
 *
 * <h2>Design</h2> The success hot path must not take a shared lock nor write a shared word that
 * every thread writes (Resilience4j's windows are {@code synchronized}; their cost grows with
 * threads). So a window keeps two things apart:
 * <ul>
 *   <li>the <em>number of calls</em>, in a {@link LongAdder} (striped cells: threads on different
 *       cores increment different cache lines): {@link #recordCall} is lock-free and contention-free;</li>
 *   <li>the <em>bad calls</em> (failures and slow calls), each stamped with its position (count
 *       window) or its bucket (time window), in a queue guarded by the breaker's lock. Bad calls are
 *       the rare path.</li>
 * </ul>
 * {@link #bad} is a volatile count of the bad entries: while it is zero the failure and slow-call
 * rates are zero and a success cannot trip the breaker, so successes skip the evaluation entirely.
 * While bad calls are in the window, a success takes the lock to re-evaluate (the rate over a window
 * that just filled up to its minimum may now be known). Totals are exact; the position stamp of a bad
 * call under concurrency is the call count when it was recorded (calls in flight have no total order
 * anyway).
 */
public abstract sealed class CallWindow permits CallWindow.Counting, CallWindow.Timed {
    /** Kind bit: the call failed. */
    public static final int FAILURE = 1;
    /** Kind bit: the call was slow. */
    public static final int SLOW = 2;

    private record Entry(long stamp, int kind) {
    }

    private final ArrayDeque<Entry> entries = new ArrayDeque<>(); // guarded by the breaker's lock
    /** Bad entries in {@link #entries}; written under the lock, read without it. */
    protected volatile int bad;
    private int failures; // guarded by the breaker's lock
    private int slows; // guarded by the breaker's lock

    /** A window over the last {@code size} calls. */
    public static CallWindow counting(int size) {
        return new Counting(size);
    }

    /** A window over the last {@code windowNanos}, in {@code buckets} buckets. */
    public static CallWindow timed(long windowNanos, int buckets) {
        return new Timed(windowNanos, buckets);
    }

    /** Whether {@link #recordCall} needs the current time. */
    public abstract boolean needsTime();

    /** Counts one good call. Lock-free. */
    public abstract void recordCall(long now);

    /** Whether bad calls may be in the window (then successes must re-evaluate). */
    public final boolean hasBad() {
        return bad != 0;
    }

    /** Counts one bad call of {@code kind} (bits {@link #FAILURE}, {@link #SLOW}). Under the breaker's lock. */
    public final void recordBad(long now, int kind) {
        long stamp = countAndStamp(now);
        entries.addLast(new Entry(stamp, kind));
        if ((kind & FAILURE) != 0) {
            failures++;
        }
        if ((kind & SLOW) != 0) {
            slows++;
        }
        bad = entries.size();
    }

    /** Drops bad calls that have left the window. Under the breaker's lock. */
    public final void prune(long now) {
        long oldest = oldestStampInWindow(now);
        Entry e;
        while ((e = entries.peekFirst()) != null && e.stamp < oldest) {
            entries.pollFirst();
            if ((e.kind & FAILURE) != 0) {
                failures--;
            }
            if ((e.kind & SLOW) != 0) {
                slows--;
            }
        }
        bad = entries.size();
    }

    /** Failures in the window (after {@link #prune}). Under the lock. */
    public final int failures() {
        return failures;
    }

    /** Slow calls in the window (after {@link #prune}). Under the lock. */
    public final int slows() {
        return slows;
    }

    /** Calls in the window now, good and bad. */
    public abstract long buffered(long now);

    abstract long countAndStamp(long now);

    abstract long oldestStampInWindow(long now);

    static final class Counting extends CallWindow {
        private final int size;
        private final LongAdder calls = new LongAdder();

        Counting(int size) {
            this.size = size;
        }

        @Override
        public boolean needsTime() {
            return false;
        }

        @Override
        public void recordCall(long now) {
            calls.increment();
        }

        @Override
        long countAndStamp(long now) {
            calls.increment();
            return calls.sum(); // 1-based position of this call
        }

        @Override
        long oldestStampInWindow(long now) {
            return calls.sum() - size + 1;
        }

        @Override
        public long buffered(long now) {
            return Math.min(calls.sum(), size);
        }
    }

    static final class Timed extends CallWindow {
        private final long bucketNanos;
        private final int n;
        private final AtomicReferenceArray<Bucket> buckets;

        private static final class Bucket {
            final long epoch;
            final LongAdder calls = new LongAdder();

            Bucket(long epoch) {
                this.epoch = epoch;
            }
        }

        Timed(long windowNanos, int n) {
            this.n = n;
            this.bucketNanos = Math.max(1, windowNanos / n);
            this.buckets = new AtomicReferenceArray<>(n);
            for (int i = 0; i < n; i++) {
                buckets.set(i, new Bucket(Long.MIN_VALUE));
            }
        }

        @Override
        public boolean needsTime() {
            return true;
        }

        private long epoch(long now) {
            return Math.floorDiv(now, bucketNanos);
        }

        private Bucket bucket(long e) {
            int idx = (int) Math.floorMod(e, (long) n);
            while (true) {
                Bucket b = buckets.get(idx);
                if (b.epoch >= e) {
                    return b; // current (or a racing caller already moved on: count there)
                }
                Bucket fresh = new Bucket(e);
                if (buckets.compareAndSet(idx, b, fresh)) {
                    return fresh;
                }
            }
        }

        @Override
        public void recordCall(long now) {
            bucket(epoch(now)).calls.increment();
        }

        @Override
        long countAndStamp(long now) {
            long e = epoch(now);
            bucket(e).calls.increment();
            return e;
        }

        @Override
        long oldestStampInWindow(long now) {
            return epoch(now) - n + 1;
        }

        @Override
        public long buffered(long now) {
            long e = epoch(now);
            long sum = 0;
            for (int i = 0; i < n; i++) {
                Bucket b = buckets.get(i);
                if (b.epoch > e - n && b.epoch <= e) {
                    sum += b.calls.sum();
                }
            }
            return sum;
        }
    }
}
