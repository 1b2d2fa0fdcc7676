package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Issue 18: "outcome was never read" is exact: every way of reading an outcome counts, also after the group closed. */
class UnreadOutcomeTest {

    static final class Capture extends Handler {
        final List<String> messages = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord r) {
            messages.add(r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    }

    private static final Logger LOGGER = Logger.getLogger("dev.weft.TaskGroup"); // held: JUL keeps loggers weakly

    /** Collects garbage until {@code done} holds (a bounded poll of observable state, not a timing assumption). */
    private static void gcUntil(BooleanSupplier done) throws InterruptedException {
        for (int i = 0; i < 500 && !done.getAsBoolean(); i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(done.getAsBoolean(), "the garbage collector never got there");
    }

    /** Runs a supervisor group with one failing task named {@code name}, reads it (or not) with {@code read}, drops it. */
    private static WeakReference<Task<String>> failAndRead(String name, Function<Task<String>, Object> read) throws Exception {
        Task<String> t = TaskGroup.supervise(g -> g.spawn(name, () -> {
            throw new IllegalStateException("boom " + name);
        }));
        // read after the group has closed: the case that used to warn although the program read it
        if (read != null) {
            read.apply(t);
        }
        return new WeakReference<>(t);
    }

    private static void checkEveryWayOfReading(List<Function<Task<String>, Object>> ways) throws Exception {
        Capture c = new Capture();
        LOGGER.addHandler(c);
        try {
            for (int i = 0; i < ways.size(); i++) {
                long before = UnreadFailures.checked();
                WeakReference<Task<String>> ref = failAndRead("read-" + i, ways.get(i));
                gcUntil(() -> ref.get() == null && UnreadFailures.checked() > before);
            }
            assertEquals(List.of(), c.messages);
        } finally {
            LOGGER.removeHandler(c);
        }
    }

    @Test
    void readingAfterTheGroupClosedInAnyWayIsNotWarnedAbout() throws Exception {
        checkEveryWayOfReading(List.of(
                t -> t.outcomeNow(),
                t -> {
                    try {
                        return t.outcome();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                },
                t -> {
                    try {
                        return t.join();
                    } catch (TaskFailedException expected) {
                        return expected;
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                },
                Task::state));
    }

    @Test
    void aFailureNeverReadIsWarnedAboutOnceWhenItsTaskIsCollected() throws Exception {
        Capture c = new Capture();
        LOGGER.addHandler(c);
        try {
            WeakReference<Task<String>> ref = failAndRead("dropped", null);
            gcUntil(() -> ref.get() == null && c.messages.stream().anyMatch(m -> m.contains("'dropped'")));
            assertEquals(1, c.messages.stream().filter(m -> m.contains("'dropped'")).count());
            assertTrue(c.messages.get(0).endsWith("failed and its outcome was never read"), c.messages.get(0));
        } finally {
            LOGGER.removeHandler(c);
        }
    }

    @Test
    void toStringDoesNotCountAsReading() throws Exception {
        Capture c = new Capture();
        LOGGER.addHandler(c);
        try {
            WeakReference<Task<String>> ref = failAndRead("printed", Task::toString);
            gcUntil(() -> ref.get() == null && c.messages.stream().anyMatch(m -> m.contains("'printed'")));
        } finally {
            LOGGER.removeHandler(c);
        }
    }

    @Test
    void weftsOwnHelpersReadEveryOutcomeAndNeverWarn() throws Exception {
        Capture c = new Capture();
        LOGGER.addHandler(c);
        try {
            long before = UnreadFailures.checked();
            List<Outcome<Object>> all = Weft.gatherOutcomes(List.of(() -> {
                throw new IllegalStateException("x");
            }));
            assertEquals(1, all.size());
            System.gc();
            assertEquals(before, UnreadFailures.checked(), "helpers' failures are not even watched");
            assertEquals(List.of(), c.messages);
        } finally {
            LOGGER.removeHandler(c);
        }
    }
}
