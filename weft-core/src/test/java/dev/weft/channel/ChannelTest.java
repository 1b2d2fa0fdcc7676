package dev.weft.channel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChannelTest {

    static void await(String what, BooleanSupplier c) {
        long limit = System.nanoTime() + 60_000_000_000L;
        while (!c.getAsBoolean()) {
            if (System.nanoTime() - limit > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(100_000);
        }
    }

    static <T> Channel<T> make(int capacity) {
        return capacity == 0 ? Channel.rendezvous() : capacity < 0 ? Channel.unbounded() : Channel.buffered(capacity);
    }

    // 7. 1,000 concurrent senders and receivers exchange every value exactly once.
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, -1})
    void thousandSendersAndReceiversExchangeEveryValueExactlyOnce(int capacity) throws Exception {
        Channel<Integer> ch = make(capacity);
        Set<Integer> got = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        int n = 1000;
        TaskGroup.run(g -> {
            for (int i = 0; i < n; i++) {
                int v = i;
                g.spawn(() -> {
                    ch.send(v);
                    return null;
                });
                g.spawn(() -> {
                    if (!got.add(ch.receive())) {
                        duplicates.incrementAndGet();
                    }
                    return null;
                });
            }
            return null;
        });
        assertEquals(n, got.size());
        assertEquals(0, duplicates.get());
        assertEquals(0, ch.size());
    }

    // 1. Cancelled receivers: either got the item or it is still in the channel, in order.
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16, -1})
    void cancelledReceiversLoseNothingAndDuplicateNothing(int capacity) throws Exception {
        Channel<Integer> ch = make(capacity);
        int n = 2000;
        List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        TaskGroup.run(g -> {
            Task<Object> producer = g.spawn(() -> {
                for (int i = 0; i < n; i++) {
                    ch.send(i);
                }
                ch.done();
                return null;
            });
            // receivers that get cancelled at random moments
            for (int r = 0; r < 50; r++) {
                Task<Object> t = g.spawn(() -> {
                    while (ch.receiveOrClosed() instanceof ChannelResult.Value<Integer> v) {
                        received.add(v.value());
                    }
                    return null;
                });
                for (int k = ThreadLocalRandom.current().nextInt(50); k > 0; k--) {
                    Thread.onSpinWait();
                }
                t.cancel();
            }
            // a final receiver drains the rest
            for (Integer v : ch) {
                received.add(v);
            }
            producer.join();
            return null;
        });
        List<Integer> sorted = new ArrayList<>(received);
        Collections.sort(sorted);
        assertEquals(IntStream.range(0, n).boxed().toList(), sorted, "every value exactly once");
    }

    // Senders cancelled at random moments race receivers that match them: directly (rendezvous), or
    // by moving a blocked sender's item into the buffer; the matched sender is woken only after the
    // receiver's unlock. A send that returned delivered its item, one that threw did not, and no
    // item arrives twice.
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 16})
    void cancelledSendersDeliverExactlyTheItemsWhoseSendReturned(int capacity) throws Exception {
        Channel<Integer> ch = make(capacity);
        int senders = 50;
        int per = 100;
        Set<Integer> delivered = ConcurrentHashMap.newKeySet();
        List<Integer> received = Collections.synchronizedList(new ArrayList<>());
        TaskGroup.run(g -> {
            List<Task<Object>> consumers = new ArrayList<>();
            for (int c = 0; c < 2; c++) {
                consumers.add(g.spawn(() -> {
                    for (Integer v : ch) {
                        received.add(v);
                    }
                    return null;
                }));
            }
            List<Task<Object>> producers = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                int base = s * per;
                Task<Object> t = g.spawn(() -> {
                    for (int i = 0; i < per; i++) {
                        ch.send(base + i);
                        delivered.add(base + i); // no blocking call between: a returned send is recorded
                    }
                    return null;
                });
                producers.add(t);
                for (int k = ThreadLocalRandom.current().nextInt(200); k > 0; k--) {
                    Thread.onSpinWait();
                }
                t.cancel();
            }
            for (Task<Object> t : producers) {
                t.outcome(); // every sender has returned or thrown
            }
            ch.done();
            for (Task<Object> t : consumers) {
                t.outcome();
            }
            return null;
        });
        List<Integer> sorted = new ArrayList<>(received);
        Collections.sort(sorted);
        List<Integer> expected = new ArrayList<>(delivered);
        Collections.sort(expected);
        assertEquals(expected, sorted, "received exactly the items whose send returned, each once");
        assertEquals(0, ch.waitingSenders(), "no node of a cancelled sender is left");
    }

    @Test
    void receiverCancelledWhileBlockedTakesNothingAndTheNextValueGoesToTheNextReceiver() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        TaskGroup.run(g -> {
            Task<String> first = g.spawn(ch::receive);
            await("first receiver waits", () -> ch.waitingReceivers() == 1);
            first.cancel();
            assertInstanceOf(Outcome.Cancelled.class, first.outcome());
            assertEquals(0, ch.waitingReceivers(), "the cancelled receiver left no node behind");
            Task<String> second = g.spawn(ch::receive);
            await("second receiver waits", () -> ch.waitingReceivers() == 1);
            ch.send("v");
            assertEquals("v", second.join());
            return null;
        });
    }

    @Test
    void senderCancelledWhileBlockedDidNotDeliverAndItsItemIsNotReceived() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("a");
        TaskGroup.run(g -> {
            Task<Object> s = g.spawn(() -> {
                ch.send("b");
                return "delivered";
            });
            await("sender waits", () -> ch.waitingSenders() == 1);
            s.cancel();
            assertInstanceOf(Outcome.Cancelled.class, s.outcome(), "not delivered: send threw");
            assertEquals("a", ch.receive());
            assertEquals(Optional.empty(), ch.tryReceive(), "b was never delivered");
            return null;
        });
    }

    // 8. 1,000 cancelled receivers behind a live one lose no later value and leave no garbage.
    @Test
    void thousandCancelledReceiversBehindALiveOneLoseNothingAndLeaveNoGarbage() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        TaskGroup.run(g -> {
            Task<Integer> live = g.spawn(ch::receive);
            await("live receiver waits", () -> ch.waitingReceivers() == 1);
            List<Task<Integer>> doomed = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                doomed.add(g.spawn(ch::receive));
            }
            await("all receivers wait", () -> ch.waitingReceivers() == 1001);
            doomed.forEach(Task::cancel);
            for (Task<Integer> t : doomed) {
                assertInstanceOf(Outcome.Cancelled.class, t.outcome());
            }
            assertEquals(1, ch.waitingReceivers(), "no node of a cancelled receiver is left");
            ch.send(42);
            assertEquals(42, live.join());
            Task<Integer> next = g.spawn(ch::receive);
            ch.send(43);
            assertEquals(43, next.join());
            return null;
        });
    }

    // 2. FIFO service and no barging.
    @Test
    void blockedReceiversAreServedFifoAndTryReceiveCannotBarge() throws Exception {
        Channel<Integer> ch = Channel.buffered(4);
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        TaskGroup.run(g -> {
            for (int r = 0; r < 3; r++) {
                int id = r;
                g.spawn(() -> {
                    int v = ch.receive();
                    order.add(id * 100 + v);
                    return null;
                });
                await("receiver " + id + " waits", () -> ch.waitingReceivers() == id + 1);
            }
            ch.send(1);
            assertEquals(Optional.empty(), ch.tryReceive(), "the item belongs to the waiting receiver");
            ch.send(2);
            ch.send(3);
            return null;
        });
        assertEquals(Set.of(1, 102, 203), Set.copyOf(order));
    }

    @Test
    void blockedSendersAreServedFifo() throws Exception {
        Channel<Integer> ch = Channel.rendezvous();
        TaskGroup.run(g -> {
            for (int s = 0; s < 5; s++) {
                int v = s;
                g.spawn(() -> {
                    ch.send(v);
                    return null;
                });
                await("sender " + v + " waits", () -> ch.waitingSenders() == v + 1);
            }
            for (int s = 0; s < 5; s++) {
                assertEquals(s, ch.receive());
            }
            return null;
        });
    }

    // 3. done / fail.
    @Test
    void doneWakesReceiversOnceDrainedAndIsSticky() throws Exception {
        Channel<Integer> ch = Channel.buffered(4);
        ch.send(1);
        ch.send(2);
        assertTrue(ch.done());
        assertFalse(ch.done(), "second done has no effect");
        assertFalse(ch.fail(new RuntimeException()), "fail after done has no effect");
        assertThrows(ChannelDoneException.class, () -> ch.send(3));
        assertFalse(ch.isClosedForReceive());
        assertEquals(List.of(1, 2), ch.stream().toList());
        assertTrue(ch.isClosedForReceive());
        assertEquals(new ChannelResult.Done<>(), ch.receiveOrClosed());
        assertThrows(ChannelDoneException.class, ch::receive);

        Channel<Integer> empty = Channel.rendezvous();
        TaskGroup.run(g -> {
            List<Task<ChannelResult<Integer>>> rs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                rs.add(g.spawn(empty::receiveOrClosed));
            }
            await("receivers wait", () -> empty.waitingReceivers() == 3);
            empty.done();
            for (Task<ChannelResult<Integer>> r : rs) {
                assertEquals(new ChannelResult.Done<>(), r.join());
            }
            return null;
        });
    }

    @Test
    void sendersBlockedWhenDoneIsCalledStillDeliver() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        TaskGroup.run(g -> {
            Task<Object> s = g.spawn(() -> {
                ch.send("late");
                return null;
            });
            await("sender waits", () -> ch.waitingSenders() == 1);
            ch.done();
            assertTrue(ch.isClosedForSend());
            assertFalse(ch.isClosedForReceive());
            assertEquals("late", ch.receive());
            assertTrue(ch.isClosedForReceive());
            s.join();
            return null;
        });
    }

    @Test
    void failWakesEveryoneWithTheErrorAndHandsBufferedItemsToTheHook() throws Exception {
        List<String> undelivered = Collections.synchronizedList(new ArrayList<>());
        Channel<String> ch = Channel.buffered(2, Channel.Overflow.BLOCK, undelivered::add);
        ch.send("x");
        ch.send("y");
        IllegalStateException boom = new IllegalStateException("boom");
        TaskGroup.supervise(g -> {
            List<Task<Object>> blockedSenders = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String item = "z" + i;
                blockedSenders.add(g.spawn(() -> {
                    ch.send(item);
                    return null;
                }));
            }
            await("all three senders wait", () -> ch.waitingSenders() == 3);
            assertTrue(ch.fail(boom));
            eachSawTheFailure(blockedSenders, boom);
            return null;
        });
        assertEquals(List.of("x", "y"), undelivered, "the blocked senders' items were never accepted, so not undelivered");
        assertEquals(new ChannelResult.Failed<>(boom), ch.receiveOrClosed());
        assertThrows(ChannelFailedException.class, () -> ch.send("w"));
        assertThrows(ChannelFailedException.class, () -> ch.iterator().hasNext());
    }

    @Test
    void failWakesEveryBlockedReceiverWithTheError() throws Exception {
        Channel<String> ch = Channel.buffered(2);
        IllegalStateException boom = new IllegalStateException("boom");
        TaskGroup.supervise(g -> {
            List<Task<String>> blockedReceivers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                blockedReceivers.add(g.spawn(() -> ch.receive()));
            }
            await("all three receivers wait", () -> ch.waitingReceivers() == 3);
            assertTrue(ch.fail(boom));
            eachSawTheFailure(blockedReceivers, boom);
            return null;
        });
    }

    private static void eachSawTheFailure(List<? extends Task<?>> blocked, Throwable cause) {
        for (Task<?> t : blocked) {
            Throwable e = assertThrows(dev.weft.TaskFailedException.class, t::join).getCause();
            assertInstanceOf(ChannelFailedException.class, e, "every blocked task sees the failure");
            assertSame(cause, e.getCause());
        }
    }

    // 4. Rendezvous: send returns only after a matching receive.
    @Test
    void rendezvousSendReturnsOnlyAfterAReceive() throws Exception {
        Channel<String> ch = Channel.rendezvous();
        AtomicInteger sent = new AtomicInteger();
        TaskGroup.run(g -> {
            g.spawn(() -> {
                ch.send("v");
                sent.incrementAndGet();
                return null;
            });
            await("sender waits", () -> ch.waitingSenders() == 1);
            assertEquals(0, sent.get());
            assertFalse(ch.trySend("other"), "no receiver: trySend cannot complete");
            assertEquals("v", ch.receive());
            return null;
        });
        assertEquals(1, sent.get());
    }

    @Test
    void overflowPoliciesDropAndReport() throws Exception {
        List<Integer> dropped = new ArrayList<>();
        Channel<Integer> oldest = Channel.buffered(2, Channel.Overflow.DROP_OLDEST, dropped::add);
        for (int i = 1; i <= 4; i++) {
            oldest.send(i);
        }
        assertEquals(List.of(1, 2), dropped);
        assertEquals(Optional.of(3), oldest.tryReceive());
        dropped.clear();
        Channel<Integer> newest = Channel.buffered(2, Channel.Overflow.DROP_NEWEST, dropped::add);
        for (int i = 1; i <= 4; i++) {
            assertTrue(newest.trySend(i));
        }
        assertEquals(List.of(3, 4), dropped);
        assertEquals(Optional.of(1), newest.tryReceive());
    }

    @Test
    void badInputIsRejectedWithClearMessages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Channel.buffered(0));
        assertTrue(e.getMessage().contains("rendezvous()"), e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Channel.unbounded().send(null));
        assertTrue(npe.getMessage().contains("null"), npe.getMessage());
    }

    @Test
    void receiveWaitsNoLongerThanTheDeadline() throws Exception {
        VirtualTime time = VirtualTime.autoAdvancing();
        Channel<String> ch = Channel.rendezvous();
        assertEquals(Optional.empty(), time.run(() -> Timeouts.moveOnAfter(Duration.ofMinutes(5), ch::receive)));
        assertEquals(Duration.ofMinutes(5), time.elapsed());
        assertEquals(0, ch.waitingReceivers());
    }

    @Test
    void receiveInACancelledScopeFailsEvenWithAnItemAvailable() throws Exception {
        Channel<String> ch = Channel.buffered(1);
        ch.send("kept");
        VirtualTime time = VirtualTime.autoAdvancing();
        time.run(() -> Timeouts.moveOnAfter(Duration.ofSeconds(1), () -> {
            try {
                Weft.sleep(Duration.ofHours(1));
            } catch (InterruptedException e) {
                Thread.interrupted();
                assertThrows(InterruptedException.class, ch::receive);
                throw e;
            }
            return null;
        }));
        assertEquals("kept", ch.receive(), "the item stayed in the channel");
    }

    @Test
    void iterationEndsAtDoneAcrossTasks() throws Exception {
        Channel<Integer> ch = Channel.buffered(8);
        int sum = TaskGroup.run(g -> {
            g.spawn(() -> {
                for (int i = 1; i <= 100; i++) {
                    ch.send(i);
                }
                ch.done();
                return null;
            });
            int s = 0;
            for (int v : ch) {
                s += v;
            }
            return s;
        });
        assertEquals(5050, sum);
    }

    @Test
    void manyProducersAndConsumersWithDoneDeliverEverything() throws Exception {
        Channel<Integer> ch = Channel.buffered(16);
        AtomicInteger total = new AtomicInteger();
        AtomicInteger count = new AtomicInteger();
        TaskGroup.run(g -> {
            Task<Object> producers = g.spawn(() -> TaskGroup.run(p -> {
                for (int k = 0; k < 8; k++) {
                    p.spawn(() -> {
                        for (int i = 1; i <= 1000; i++) {
                            ch.send(i);
                        }
                        return null;
                    });
                }
                return null;
            }));
            for (int k = 0; k < 8; k++) {
                g.spawn(() -> {
                    for (int v : ch) {
                        total.addAndGet(v);
                        count.incrementAndGet();
                    }
                    return null;
                });
            }
            producers.join();
            ch.done();
            return null;
        });
        assertEquals(8000, count.get());
        assertEquals(8 * 500500, total.get());
    }
}
