package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** Semantics 1: back-off sequences match their formulas exactly for a seeded random source; the cap holds. */
class BackoffTest {
    private static final Duration BASE = Duration.ofMillis(100);
    private static final Duration CAP = Duration.ofSeconds(2);
    private static final long B = BASE.toNanos();
    private static final long C = CAP.toNanos();

    private static long exp(int n) {
        return (long) Math.min(C, B * Math.pow(2, n - 1));
    }

    @Test
    void fullJitterIsUniformBetweenZeroAndTheCappedExponential() {
        RandomGenerator r = new SplittableRandom(42);
        RandomGenerator expected = new SplittableRandom(42);
        Backoff b = Backoff.exponential(BASE, CAP);
        for (int n = 1; n <= 12; n++) {
            assertEquals(expected.nextLong(exp(n) + 1), b.delay(n, null, r).toNanos(), "retry " + n);
        }
    }

    @Test
    void theDefaultIsFullJitter() {
        assertEquals(Backoff.Kind.FULL_JITTER, Backoff.defaults().kind());
        assertEquals(Backoff.Kind.FULL_JITTER, Retry.ofDefaults().backoff().kind());
    }

    @Test
    void equalJitterKeepsHalfAndJittersTheOtherHalf() {
        RandomGenerator r = new SplittableRandom(7);
        RandomGenerator expected = new SplittableRandom(7);
        Backoff b = Backoff.equalJitter(BASE, CAP);
        for (int n = 1; n <= 12; n++) {
            long t = exp(n);
            long half = t / 2;
            assertEquals(half + expected.nextLong(t - half + 1), b.delay(n, null, r).toNanos(), "retry " + n);
        }
    }

    @Test
    void decorrelatedJitterGrowsFromThePreviousDelayWithinBaseAndCap() {
        RandomGenerator r = new SplittableRandom(3);
        RandomGenerator expected = new SplittableRandom(3);
        Backoff b = Backoff.decorrelatedJitter(BASE, CAP);
        Duration prev = null;
        long prevNanos = B;
        for (int n = 1; n <= 20; n++) {
            long hi = Math.min(C, prevNanos * 3);
            long want = B + expected.nextLong(hi - B + 1);
            Duration d = b.delay(n, prev, r);
            assertEquals(want, d.toNanos(), "retry " + n);
            prev = d;
            prevNanos = d.toNanos();
        }
    }

    @Test
    void exponentialWithoutJitterDoublesUpToTheCapThenStays() {
        Backoff b = Backoff.exponentialWithoutJitter(BASE, CAP);
        long[] want = {100, 200, 400, 800, 1600, 2000, 2000};
        for (int n = 1; n <= want.length; n++) {
            assertEquals(Duration.ofMillis(want[n - 1]), b.delay(n, null, new SplittableRandom(1)));
        }
        assertEquals(Duration.ofMillis(300), Backoff.exponentialWithoutJitter(BASE, Duration.ofSeconds(10))
                .withMultiplier(3).delay(2, null, new SplittableRandom(1)));
    }

    @Test
    void fixedAndNoneIgnoreTheAttemptNumber() {
        for (int n = 1; n < 50; n++) {
            assertEquals(Duration.ofMillis(250), Backoff.fixed(Duration.ofMillis(250)).delay(n, null, new SplittableRandom(n)));
            assertEquals(Duration.ZERO, Backoff.none().delay(n, null, new SplittableRandom(n)));
        }
    }

    @Test
    void noJitterEverProducesANegativeOrAboveCapDelayEvenAtHugeAttemptNumbers() {
        RandomGenerator r = new SplittableRandom(99);
        for (Backoff b : new Backoff[] {Backoff.exponential(BASE, CAP), Backoff.equalJitter(BASE, CAP),
                Backoff.decorrelatedJitter(BASE, CAP), Backoff.exponentialWithoutJitter(BASE, CAP)}) {
            Duration prev = null;
            for (int n = 1; n <= 5_000; n++) {
                Duration d = b.delay(n % 2_000 + 1 + (n > 4_000 ? Integer.MAX_VALUE - 5_000 : 0), prev, r);
                assertTrue(!d.isNegative() && d.compareTo(CAP) <= 0, b + " gave " + d + " at " + n);
                prev = d;
            }
        }
    }

    @Test
    void theCapIsAppliedBeforeTheJitterSoLateRetriesStillSpreadOverTheWholeRange() {
        // with the cap applied after the jitter, almost every late delay would equal the cap
        RandomGenerator r = new SplittableRandom(5);
        Backoff b = Backoff.exponential(BASE, CAP);
        int atCap = 0;
        for (int i = 0; i < 1_000; i++) {
            if (b.delay(30, null, r).equals(CAP)) {
                atCap++;
            }
        }
        assertTrue(atCap < 10, atCap + " of 1000 delays were exactly the cap");
    }
}
