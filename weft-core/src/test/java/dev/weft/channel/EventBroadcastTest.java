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
            await("all five waiters parked", () -> e.waiting() == 5);
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

    /** asyncio EV-04: set() wakes every waiter, even when clear() follows at once. */
    @Test
    void eventSetThenClear_wakesEveryThreadAlreadyWaiting_likeAsyncioEvent() throws Exception {
        setThenClearReleasesWaiters(e -> {
            e.set();
            e.clear();
        });
    }

    @Test
    void eventSetSetThenClear_wakesEveryThreadAlreadyWaiting() throws Exception {
        setThenClearReleasesWaiters(e -> {
            e.set();
            e.set();
            e.clear();
        });
    }

    private static void setThenClearReleasesWaiters(java.util.function.Consumer<Event> pulse) throws Exception {
        Event e = new Event();
        List<Boolean> woke = TaskGroup.run(g -> {
            List<Task<Boolean>> ws = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ws.add(g.spawn(() -> {
                    e.await();
                    return true;
                }));
                ws.add(g.spawn(() -> e.await(Duration.ofDays(1)))); // a timed waiter must not wait out its timeout
            }
            await("all eight waiters parked", () -> e.waiting() == 8);
            pulse.accept(e);
            List<Boolean> out = new ArrayList<>();
            for (Task<Boolean> w : ws) {
                out.add(w.join());
            }
            return out;
        });
        assertEquals(java.util.Collections.nCopies(8, true), woke);
        assertFalse(e.isSet());
        // a wait that starts after the pulse waits for the next set()
        TaskGroup.run(g -> {
            Task<Boolean> late = g.spawn(() -> e.await(Duration.ofDays(1)));
            await("the late waiter parked", () -> e.waiting() == 1);
            assertFalse(late.isDone(), "a wait that began after set()/clear() returned without a new set()");
            e.set();
            assertTrue(late.join());
            return null;
        });
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

    /** A publish cancelled while it waits for a slow subscriber has delivered to the ones before it, not after. */
    @Test
    void broadcastPublishCancelledAtASlowSubscriber_deliveredToEarlierSubscribersOnly() throws Exception {
        Broadcast<String> b = Broadcast.create(1, Channel.Overflow.BLOCK);
        Broadcast.Subscription<String> first = b.subscribe();
        Broadcast.Subscription<String> slow = b.subscribe();
        Broadcast.Subscription<String> last = b.subscribe();
        b.publish("a");
        assertEquals("a", first.receive());
        assertEquals("a", last.receive()); // slow keeps "a": its buffer of one is full
        dev.weft.CancelScope scope = dev.weft.CancelScope.create();
        java.util.concurrent.atomic.AtomicReference<java.util.Optional<Object>> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread publisher = Thread.ofVirtual().start(() -> {
            try {
                result.set(scope.run(() -> {
                    b.publish("b");
                    return "published";
                }));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        await("the publisher delivered to the first subscriber and waits at the slow one",
                () -> first.size() == 1 && publisher.getState() == Thread.State.WAITING);
        scope.cancel();
        publisher.join();
        assertEquals(java.util.Optional.empty(), result.get(), "the publish was cut short by its scope");
        assertEquals(java.util.Optional.of("b"), first.tryReceive(), "delivered before the slow subscriber");
        assertEquals(java.util.Optional.of("a"), slow.tryReceive());
        assertEquals(java.util.Optional.empty(), slow.tryReceive(), "not delivered to the slow subscriber");
        assertEquals(java.util.Optional.empty(), last.tryReceive(), "not delivered after the slow subscriber");
        b.publish("c"); // the broadcast goes on: every subscriber gets the next item, in order
        assertEquals("c", first.receive());
        assertEquals("c", slow.receive());
        assertEquals("c", last.receive());
    }

    @Test
    void broadcastSubscriptionPolls_tryReceiveAndTryReceiveOrClosed() throws Exception {
        Broadcast<Integer> b = Broadcast.create(4, Channel.Overflow.BLOCK);
        Broadcast.Subscription<Integer> sub = b.subscribe();
        assertEquals(java.util.Optional.empty(), sub.tryReceive());
        assertEquals(java.util.Optional.empty(), sub.tryReceiveOrClosed());
        b.publish(1);
        b.publish(2);
        assertEquals(2, sub.size());
        assertEquals(java.util.Optional.of(1), sub.tryReceive());
        b.done();
        assertEquals(java.util.Optional.of(new ChannelResult.Value<>(2)), sub.tryReceiveOrClosed());
        assertEquals(java.util.Optional.of(new ChannelResult.Done<Integer>()), sub.tryReceiveOrClosed());
        assertTrue(sub.isClosed());
        assertThrows(ChannelDoneException.class, sub::tryReceive);
        Broadcast.Subscription<Integer> left = Broadcast.<Integer>create(2, Channel.Overflow.BLOCK).subscribe();
        left.close();
        assertEquals(java.util.Optional.of(new ChannelResult.Done<Integer>()), left.tryReceiveOrClosed(),
                "an unsubscribed subscription reads as ended, not failed");
    }
}
