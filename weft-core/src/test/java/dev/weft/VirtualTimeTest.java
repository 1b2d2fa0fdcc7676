package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class VirtualTimeTest {

    @Test
    void autoAdvanceJumpsToEachTimerInOrderWhenEveryTaskIsBlocked() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        time.run(() -> TaskGroup.run(g -> {
            for (int minutes : new int[] {30, 10, 20}) {
                g.spawn(() -> {
                    Weft.sleep(Duration.ofMinutes(minutes));
                    order.add(minutes + "m@" + time.elapsed().toMinutes());
                    return null;
                });
            }
            return null;
        }));
        assertEquals(List.of("10m@10", "20m@20", "30m@30"), order);
        assertEquals(Duration.ofMinutes(30), time.elapsed());
    }

    @Test
    void manualTimeMovesOnlyWhenAdvanced() throws Exception {
        VirtualTime time = VirtualTime.manual();
        CountDownLatch asleep = new CountDownLatch(1);
        List<String> woke = Collections.synchronizedList(new ArrayList<>());
        Thread sleeper = Thread.ofVirtual().start(() -> {
            try {
                time.run(() -> {
                    asleep.countDown();
                    Weft.sleep(Duration.ofSeconds(10));
                    woke.add("at " + time.elapsed().toSeconds());
                    return null;
                });
            } catch (InterruptedException e) {
                woke.add("interrupted");
            }
        });
        asleep.await();
        TestSupport.await("the sleeper registered its timer", () -> time.pendingTimers() == 1);
        time.advance(Duration.ofSeconds(9));
        assertEquals(List.of(), woke);
        time.advance(Duration.ofSeconds(1));
        sleeper.join();
        assertEquals(List.of("at 10"), woke);
    }

    @Test
    void timeDoesNotJumpWhileATaskIsBusyOutsideWeft() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        CountDownLatch jdkLatch = new CountDownLatch(1);
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        time.run(() -> TaskGroup.run(g -> {
            g.spawn(() -> {
                jdkLatch.await(); // not a Weft wait: this task counts as running
                events.add("released at " + time.elapsed().toMinutes());
                return null;
            });
            g.spawn(() -> {
                Weft.sleep(Duration.ofMinutes(5));
                events.add("slept until " + time.elapsed().toMinutes());
                return null;
            });
            TestSupport.await("the sleeper registered its timer", () -> time.pendingTimers() == 1);
            events.add("before release at " + time.elapsed().toMinutes());
            jdkLatch.countDown();
            return null;
        }));
        assertEquals("before release at 0", events.get(0));
        assertTrue(events.contains("released at 0"), events.toString());
        assertTrue(events.contains("slept until 5"), events.toString());
    }

    @Test
    void advanceRejectsNegativeDurations() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VirtualTime.manual().advance(Duration.ofSeconds(-1)));
        assertTrue(e.getMessage().contains("backwards"), e.getMessage());
    }

    @Test
    void timeSourceCurrentIsTheVirtualOneInsideRunAndSystemOutside() throws Exception {
        VirtualTime time = VirtualTime.manual();
        assertEquals(time.instant(), time.run(() -> TimeSource.current().instant()));
        assertEquals(TimeSource.system(), TimeSource.current());
        assertEquals(TimeSource.system(), TaskGroup.run(g -> g.spawn(() -> TimeSource.current()).join()),
                "a task spawned outside run() reads the system time source");
        time.advance(Duration.ofDays(400)); // far from the system's now, so the two cannot be confused
        assertEquals(time.instant(), time.run(() -> TaskGroup.run(g -> g.spawn(() -> TimeSource.current().instant()).join())),
                "a task spawned inside run() reads the virtual one");
    }

    @Test
    void tasksSpawnedUnderVirtualTimeReadVirtualTime() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        Duration seen = time.run(() -> TaskGroup.run(g -> g.spawn(() -> {
            Weft.sleep(Duration.ofDays(3));
            return time.elapsed();
        }).join()));
        assertEquals(Duration.ofDays(3), seen);
    }
}
