package dev.weft;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** {@link ResourceStack}: Python's {@code AsyncExitStack}. */
class ResourceStackTest {

    /** A resource that records its closing and may throw while closing. */
    private record Res(String name, List<String> log, Exception failure) implements AutoCloseable {
        Res(String name, List<String> log) {
            this(name, log, null);
        }

        @Override
        public void close() throws Exception {
            log.add(name);
            if (failure != null) {
                throw failure;
            }
        }
    }

    @Test
    void closesResourcesInReverseOrderOfPushing() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (ResourceStack stack = new ResourceStack()) {
            stack.push(new Res("a", log));
            stack.push(new Res("b", log));
            stack.push(new Res("c", log));
            assertEquals(3, stack.size());
            assertEquals(List.of(), log, "closed before the stack was");
        }
        assertEquals(List.of("c", "b", "a"), log);
    }

    @Test
    void pushReturnsTheResourceItWasGiven() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        Res a = new Res("a", log);
        try (ResourceStack stack = new ResourceStack()) {
            assertSame(a, stack.push(a));
        }
    }

    @Test
    void everyCloseRunsEvenWhenSomeThrowAndTheFirstFailureIsThrownWithTheRestSuppressed() {
        List<String> log = new CopyOnWriteArrayList<>();
        IOException first = new IOException("d fails");
        IllegalStateException second = new IllegalStateException("b fails");
        IOException third = new IOException("a fails");
        ResourceStack stack = new ResourceStack();
        stack.push(new Res("a", log, third));
        stack.push(new Res("b", log, second));
        stack.push(new Res("c", log));
        stack.push(new Res("d", log, first));
        stack.push(new Res("e", log));

        IOException thrown = assertThrows(IOException.class, stack::close);
        assertSame(first, thrown, "the first failure (last pushed that failed) is the one thrown");
        assertArrayEquals(new Throwable[] {second, third}, thrown.getSuppressed());
        assertEquals(List.of("e", "d", "c", "b", "a"), log);
        assertEquals(0, stack.size());
    }

    @Test
    void anErrorThrownByACloseDoesNotStopTheOthers() {
        List<String> log = new CopyOnWriteArrayList<>();
        AssertionError error = new AssertionError("b breaks");
        ResourceStack stack = new ResourceStack();
        stack.push(new Res("a", log));
        stack.push(() -> {
            log.add("b");
            throw error;
        });
        stack.push(new Res("c", log));
        AssertionError thrown = assertThrows(AssertionError.class, stack::close);
        assertSame(error, thrown);
        assertEquals(List.of("c", "b", "a"), log);
    }

    @Test
    void closingTwiceClosesEachResourceOnce() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        ResourceStack stack = new ResourceStack();
        stack.push(new Res("a", log));
        stack.close();
        stack.close();
        assertEquals(List.of("a"), log);
    }

    @Test
    void pushAfterCloseClosesTheResourceAtOnceAndThrows() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        ResourceStack stack = new ResourceStack();
        stack.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> stack.push(new Res("late", log)));
        assertEquals("this ResourceStack is closed: the resource pushed onto it was closed at once", e.getMessage());
        assertEquals(List.of("late"), log, "a resource pushed after close was leaked");
        assertEquals(0, stack.size());
    }

    @Test
    void aFailureClosingAResourcePushedAfterCloseIsSuppressedOnTheIllegalStateException() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        IOException boom = new IOException("late fails to close");
        ResourceStack stack = new ResourceStack();
        stack.close();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stack.push(new Res("late", log, boom)));
        assertArrayEquals(new Throwable[] {boom}, e.getSuppressed());
        assertEquals(List.of("late"), log);
    }

    @Test
    void transferMovesEveryResourceToANewStackAndLeavesThisOneEmptyAndOpen() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        ResourceStack moved;
        try (ResourceStack stack = new ResourceStack()) {
            stack.push(new Res("a", log));
            stack.push(new Res("b", log));
            moved = stack.transfer();
            assertEquals(0, stack.size());
            assertEquals(2, moved.size());
            stack.push(new Res("c", log)); // still open
        }
        assertEquals(List.of("c"), log, "closing the old stack closed transferred resources");

        moved.close();
        assertEquals(List.of("c", "b", "a"), log);
    }

    @Test
    void callbacksRunAtCloseInReverseOrderAmongTheResources() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        try (ResourceStack stack = new ResourceStack()) {
            stack.callback(() -> log.add("first callback"));
            stack.push(new Res("resource", log));
            stack.callback(() -> log.add("last callback"));
            assertEquals(List.of(), log);
        }
        assertEquals(List.of("last callback", "resource", "first callback"), log);
    }

    @Test
    void aCallbackThatThrowsIsReportedAndTheOthersStillRun() {
        List<String> log = new CopyOnWriteArrayList<>();
        IllegalStateException boom = new IllegalStateException("callback fails");
        ResourceStack stack = new ResourceStack();
        stack.callback(() -> log.add("a"));
        stack.callback(() -> {
            throw boom;
        });
        IllegalStateException thrown = assertThrows(IllegalStateException.class, stack::close);
        assertSame(boom, thrown);
        assertEquals(List.of("a"), log);
    }

    @Test
    void closingOnAnInterruptedThreadStillClosesEverythingAndKeepsTheInterrupt() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        boolean stillInterrupted = TestSupport.on(TestSupport.Carrier.VIRTUAL, () -> {
            ResourceStack stack = new ResourceStack();
            stack.push(new Res("a", log));
            stack.push(new Res("b", log));
            Thread.currentThread().interrupt();
            stack.close();
            return Thread.currentThread().isInterrupted();
        });
        assertEquals(List.of("b", "a"), log);
        assertTrue(stillInterrupted, "close() swallowed the interrupt");
    }

    /** A throwable that is neither an Exception nor an Error (Kotlin, Scala or a sneaky throw can raise one). */
    private static final class OddThrowable extends Throwable {
        OddThrowable() {
            super("neither Exception nor Error");
        }
    }

    @SuppressWarnings("unchecked")
    private static <X extends Throwable> void sneakyThrow(Throwable t) throws X {
        throw (X) t;
    }

    @Test
    void closeNeverDropsAFailureWhateverItsThrowableType() {
        List<String> log = new CopyOnWriteArrayList<>();
        OddThrowable odd = new OddThrowable();
        ResourceStack stack = new ResourceStack();
        stack.push(new Res("a", log));
        stack.push(() -> ResourceStackTest.<RuntimeException>sneakyThrow(odd));
        Throwable thrown = assertThrows(Throwable.class, stack::close, "a close() failure was dropped silently");
        assertSame(odd, thrown);
        assertEquals(List.of("a"), log);
    }

    @Test
    void nullResourcesAndCallbacksAreRejected() {
        ResourceStack stack = new ResourceStack();
        assertEquals("resource", assertThrows(NullPointerException.class, () -> stack.push(null)).getMessage());
        assertEquals("action", assertThrows(NullPointerException.class, () -> stack.callback(null)).getMessage());
    }
}
