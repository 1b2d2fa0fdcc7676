package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The timer heap's contract, on enough entries that every sift path runs: entries come out in
 * deadline order after any mix of adds and removals, a removed entry is unqueued (index -1, a second
 * removal says so), and nothing is lost or duplicated. Written for the surviving mutants of
 * bench/mutation (ADR 0701): with one or two timers per test the heap's sift-down and re-sift-up
 * after a removal in the middle never ran.
 */
class TimerHeapTest {

    @Test
    void entriesComeOutInDeadlineOrderAfterRemovalsAnywhereInTheHeap() {
        Random random = new Random(19); // fixed seed: the same heap shapes on every run
        for (int round = 0; round < 20; round++) {
            TimerHeap heap = new TimerHeap();
            List<TimerEntry> all = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                TimerEntry e = new TimerEntry(random.nextInt(50), () -> { }); // many equal deadlines
                heap.add(e);
                all.add(e);
            }
            Set<TimerEntry> removed = new HashSet<>();
            for (TimerEntry e : all) {
                if (random.nextInt(3) == 0) {
                    assertTrue(heap.remove(e), "a queued entry is removed");
                    assertEquals(-1, e.index, "a removed entry is unqueued");
                    assertFalse(heap.remove(e), "a second removal finds nothing");
                    removed.add(e);
                }
            }
            assertEquals(all.size() - removed.size(), heap.size());
            long last = Long.MIN_VALUE;
            Set<TimerEntry> polled = new HashSet<>();
            for (TimerEntry e; (e = heap.poll()) != null; ) {
                assertTrue(e.deadline >= last, "deadline order: " + e.deadline + " after " + last);
                last = e.deadline;
                assertEquals(-1, e.index, "a polled entry is unqueued");
                assertTrue(polled.add(e), "polled twice");
                assertFalse(removed.contains(e), "a removed entry fired");
            }
            assertEquals(all.size() - removed.size(), polled.size(), "nothing lost");
            assertEquals(0, heap.size());
            assertNull(heap.peek());
        }
    }

    @Test
    void theHeadAndTheLastEntryCanBeRemoved() {
        TimerHeap heap = new TimerHeap();
        TimerEntry first = new TimerEntry(1, () -> { });
        TimerEntry second = new TimerEntry(2, () -> { });
        TimerEntry third = new TimerEntry(3, () -> { });
        heap.add(second);
        heap.add(first);
        heap.add(third);
        assertSame(first, heap.peek());
        assertTrue(heap.remove(first), "the head (index 0) is removed");
        assertSame(second, heap.peek());
        assertTrue(heap.remove(third), "the last slot is removed");
        assertEquals(-1, third.index);
        assertEquals(1, heap.size());
        assertSame(second, heap.poll());
        assertNull(heap.poll(), "an empty heap polls null");
        assertFalse(heap.remove(new TimerEntry(0, () -> { })), "an entry never added is not removed");
    }
}
