package dev.weft.internal;

/** One pending timer in a {@link TimerHeap}: fires {@code action} at {@code deadline} (clock nanos). */
public final class TimerEntry {
    final long deadline;
    final Runnable action;
    int index = -1; // position in the heap, -1 when not queued; guarded by the monitor of the stripe (SystemClock) or the lock of the clock (VirtualClock) that holds it
    int stripe; // SystemClock: which of its heaps holds this entry

    TimerEntry(long deadline, Runnable action) {
        this.deadline = deadline;
        this.action = action;
    }

    public long deadline() {
        return deadline;
    }
}
