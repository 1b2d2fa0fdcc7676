package dev.weft.channel;

import static dev.weft.channel.ChannelTest.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventBroadcastTest {

    @Test
    void eventWakesEveryWaiterAndStaysSetUntilCleared() throws Exception {
        Event e = new Event();
        TaskGroup.run(g -> {
            List<Task<String>> ws = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ws.add(g.spawn(() -> {
                    e.await();
                    return "woke";
                }));
            }
            e.set();
            for (Task<String> w : ws) {
                assertEquals("woke", w.join());
            }
            return null;
        });
        assertTrue(e.isSet());
        e.await(); // returns at once while set
        e.clear();
        assertFalse(e.isSet());
    }

    @Test
    void eventAwaitWithTimeoutOnVirtualTime() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        Event e = new Event();
        assertFalse(time.run(() -> e.await(Duration.ofMinutes(3))));
        assertEquals(Duration.ofMinutes(3), time.elapsed());
    }

    @Test
    void broadcastDeliversEveryItemToEverySubscriberInOrder() throws Exception {
        Broadcast<Integer> b = Broadcast.create(4, Channel.Overflow.BLOCK);
        List<List<Integer>> seen = TaskGroup.run(g -> {
            List<Task<List<Integer>>> subs = new ArrayList<>();
            for (int s = 0; s < 3; s++) {
                Broadcast.Subscription<Integer> sub = b.subscribe();
                subs.add(g.spawn(() -> {
                    List<Integer> got = new ArrayList<>();
                    try (sub) {
                        for (int v : sub) {
                            got.add(v);
                        }
                    }
                    return got;
                }));
            }
            for (int i = 0; i < 100; i++) {
                b.publish(i);
            }
            b.done();
            List<List<Integer>> out = new ArrayList<>();
            for (Task<List<Integer>> t : subs) {
                out.add(t.join());
            }
            return out;
        });
        List<Integer> expected = java.util.stream.IntStream.range(0, 100).boxed().toList();
        seen.forEach(s -> assertEquals(expected, s));
        assertThrows(ChannelDoneException.class, () -> b.publish(1));
    }

    @Test
    void slowSubscriberWithDropOldestLosesItemsButNeverBlocksThePublisher() throws Exception {
        List<Integer> dropped = new ArrayList<>();
        Broadcast<Integer> b = Broadcast.create(2, Channel.Overflow.DROP_OLDEST, dropped::add);
        Broadcast.Subscription<Integer> slow = b.subscribe();
        for (int i = 0; i < 10; i++) {
            b.publish(i); // never waits
        }
        b.done();
        List<Integer> got = new ArrayList<>();
        slow.forEach(got::add);
        assertEquals(List.of(8, 9), got);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), dropped);
    }

    @Test
    void unsubscribingReleasesABlockedPublisher() throws Exception {
        Broadcast<Integer> b = Broadcast.create(1, Channel.Overflow.BLOCK);
        Broadcast.Subscription<Integer> sub = b.subscribe();
        TaskGroup.run(g -> {
            Task<Object> pub = g.spawn(() -> {
                b.publish(1);
                b.publish(2); // blocks: the subscriber is full
                return "published";
            });
            await("publisher blocks", () -> sub.channel.waitingSenders() == 1);
            sub.close();
            assertEquals("published", pub.join());
            assertEquals(0, b.subscribers());
            return null;
        });
    }
}
