package dev.weft.internal;

import java.util.Arrays;

/**
 * An indexed binary min-heap of {@link TimerEntry} by deadline. Not thread-safe: the owning clock
 * guards it with its lock. Each entry knows its index, so removal of a cancelled timer is
 * O(log n) and leaves no garbage behind (a scope that never times out leaves nothing queued).
 */
final class TimerHeap {
    private TimerEntry[] heap = new TimerEntry[16];
    private int size;

    int size() {
        return size;
    }

    TimerEntry peek() {
        return size == 0 ? null : heap[0];
    }

    void add(TimerEntry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = e;
        e.index = size;
        size++;
        siftUp(e.index);
    }

    TimerEntry poll() {
        if (size == 0) {
            return null;
        }
        TimerEntry top = heap[0];
        removeAt(0);
        return top;
    }

    /** Removes {@code e} if it is queued; returns whether it was. */
    boolean remove(TimerEntry e) {
        int i = e.index;
        if (i < 0 || i >= size || heap[i] != e) {
            return false;
        }
        removeAt(i);
        return true;
    }

    private void removeAt(int i) {
        TimerEntry removed = heap[i];
        removed.index = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        TimerEntry last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.index = i;
        siftDown(i);
        if (heap[i] == last) {
            siftUp(i);
        }
    }

    private void siftUp(int i) {
        TimerEntry e = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            TimerEntry pe = heap[p];
            if (pe.deadline <= e.deadline) {
                break;
            }
            heap[i] = pe;
            pe.index = i;
            i = p;
        }
        heap[i] = e;
        e.index = i;
    }

    private void siftDown(int i) {
        TimerEntry e = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            int r = c + 1;
            if (r < size && heap[r].deadline < heap[c].deadline) {
                c = r;
            }
            if (e.deadline <= heap[c].deadline) {
                break;
            }
            heap[i] = heap[c];
            heap[i].index = i;
            i = c;
        }
        heap[i] = e;
        e.index = i;
    }
}
