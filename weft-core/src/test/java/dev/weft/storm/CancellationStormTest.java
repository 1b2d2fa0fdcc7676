package dev.weft.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Limiter;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.channel.Broadcast;
import dev.weft.channel.Channel;
import dev.weft.channel.ChannelDoneException;
import dev.weft.channel.ChannelResult;
import dev.weft.channel.Event;
import dev.weft.channel.QueueShutdownException;
import dev.weft.channel.Select;
import dev.weft.channel.WorkQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Cancellation storms (issues 11 and 22): 1,000 tasks per primitive, every operation cut short at a
 * random moment by a cancel scope, {@code failAfter}, {@code moveOnAfter}, {@code Task.cancel}, a
 * sibling's failure or a group's deadline. At the end the books balance exactly (nothing lost,
 * nothing duplicated; permits all returned) and no thread ever carried an interrupt that no
 * enclosing scope explained. {@code -Dweft.storm.scale=N} multiplies the operations
 * ({@code bench/storms} runs it at 100).
 */
@Timeout(600)
class CancellationStormTest {
    private static final int PRODUCERS = 500;
    private static final int CONSUMERS = 500;
    private static final int OPS = 20;

    /** The channel kinds under test. */
    enum Kind { RENDEZVOUS, BUFFERED, DROP_OLDEST, UNBOUNDED }

    /** Items: each id sent once; sent = received + dropped + left over, with no id twice. */
    private static final class Books {
        final AtomicLong next = new AtomicLong();
        final Set<Long> sent = ConcurrentHashMap.newKeySet();
        final Set<Long> received = ConcurrentHashMap.newKeySet();
        final Set<Long> dropped = ConcurrentHashMap.newKeySet();
        final AtomicLong duplicates = new AtomicLong();

        void receivedOne(Long v) {
            if (!received.add(v)) {
                duplicates.incrementAndGet();
            }
        }

        void droppedOne(Long v) {
            if (!dropped.add(v)) {
                duplicates.incrementAndGet();
            }
        }

        void check(String what) {
            assertEquals(0, duplicates.get(), what + ": duplicated items");
            for (Long v : received) {
                assertTrue(!dropped.contains(v), what + ": item " + v + " both delivered and dropped");
            }
            Set<Long> accounted = ConcurrentHashMap.newKeySet();
            accounted.addAll(received);
            accounted.addAll(dropped);
            Set<Long> lost = ConcurrentHashMap.newKeySet();
            lost.addAll(sent);
            lost.removeAll(accounted);
            assertEquals(Set.of(), lost.size() > 10 ? Set.of(lost.size()) : lost, what + ": items sent but never received");
            Set<Long> phantom = ConcurrentHashMap.newKeySet();
            phantom.addAll(accounted);
            phantom.removeAll(sent);
            // an item whose send was cut short after it was handed over is delivered but its sender
            // saw an exception: that would be a duplicate risk for a retrying sender, so it is an error too
            assertEquals(Set.of(), phantom.size() > 10 ? Set.of(phantom.size()) : phantom,
                    what + ": items delivered whose send did not return normally");
        }
    }

    private static void drain(Channel<Long> ch, Books books) {
        for (Optional<ChannelResult<Long>> r; (r = ch.tryReceiveOrClosed()).isPresent()
                && r.get() instanceof ChannelResult.Value<Long> v; ) {
            books.receivedOne(v.value());
        }
    }

    private static Optional<Long> tryGet(WorkQueue<Long> q) {
        try {
            return q.tryGet();
        } catch (QueueShutdownException e) {
            return Optional.empty();
        }
    }

    private static void clean(Storm storm) {
        System.out.println("storm " + storm.report());
        assertEquals(0, storm.stray(), storm.report());
        assertEquals(0, storm.escaped(), storm.report());
        assertTrue(storm.cutShort() > 0, "the storm cut nothing short: " + storm.report());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void channel_storm_losesNothing_duplicatesNothing_leavesNoStrayInterrupt(Kind kind) throws Exception {
        Books books = new Books();
        Consumer<Long> onDropped = books::droppedOne;
        Channel<Long> ch = switch (kind) {
            case RENDEZVOUS -> Channel.rendezvous();
            case BUFFERED -> Channel.buffered(16);
            case DROP_OLDEST -> Channel.buffered(16, Channel.Overflow.DROP_OLDEST, onDropped);
            case UNBOUNDED -> Channel.unbounded(onDropped);
        };
        Storm storm = new Storm("channel-" + kind);
        storm.run(PRODUCERS, OPS, w -> x -> {
            long id = books.next.getAndIncrement();
            ch.send(id);
            books.sent.add(id);
        }, ch::done, CONSUMERS, w -> x -> {
            ChannelResult<Long> r = ch.receiveOrClosed();
            if (r instanceof ChannelResult.Value<Long> v) {
                books.receivedOne(v.value());
            } else {
                storm.end(w);
            }
        });
        drain(ch, books);
        books.check(storm.report());
        clean(storm);
    }

    /** The work-queue kinds under test. */
    enum QueueKind { FIFO, LIFO, PRIORITY }

    @ParameterizedTest
    @EnumSource(QueueKind.class)
    void workQueue_storm_losesNothing_duplicatesNothing_leavesNoStrayInterrupt(QueueKind kind) throws Exception {
        Books books = new Books();
        WorkQueue<Long> q = switch (kind) {
            case FIFO -> WorkQueue.fifo(16);
            case LIFO -> WorkQueue.lifo(16);
            case PRIORITY -> WorkQueue.priority(16);
        };
        Storm storm = new Storm("queue-" + kind);
        storm.run(PRODUCERS, OPS, w -> x -> {
            long id = books.next.getAndIncrement();
            q.put(id);
            books.sent.add(id);
        }, q::shutdown, CONSUMERS, w -> x -> {
            try {
                books.receivedOne(q.get());
                q.taskDone();
            } catch (QueueShutdownException e) {
                storm.end(w);
            }
        });
        for (Optional<Long> v; (v = tryGet(q)).isPresent(); ) {
            books.receivedOne(v.get());
            q.taskDone();
        }
        assertEquals(0, q.unfinished(), "taskDone balances get");
        books.check(storm.report());
        clean(storm);
    }

    @Test
    void select_storm_losesNothing_duplicatesNothing_leavesNoStrayInterrupt() throws Exception {
        Books books = new Books();
        Channel<Long> a = Channel.rendezvous();
        Channel<Long> b = Channel.buffered(4);
        Storm storm = new Storm("select");
        // smaller: select pairing goes through one global monitor, and 1,000 selecting tasks made
        // this storm ten times slower than the others
        storm.run(PRODUCERS / 5, OPS, w -> x -> {
            long id = books.next.getAndIncrement();
            if ((id & 1) == 0) {
                Select.select(a.sendClause(id));
            } else {
                b.send(id);
            }
            books.sent.add(id);
        }, () -> {
            a.done();
            b.done();
        }, CONSUMERS / 5, w -> x -> {
            try {
                books.receivedOne(Select.<Long>select(a.receiveClause(), b.receiveClause()));
            } catch (ChannelDoneException e) {
                storm.end(w);
            }
        });
        for (Channel<Long> ch : List.of(a, b)) {
            drain(ch, books);
        }
        books.check(storm.report());
        clean(storm);
    }

    @Test
    void broadcast_storm_everySubscriberSeesEveryPublishedItemOnce_leavesNoStrayInterrupt() throws Exception {
        Broadcast<Long> bc = Broadcast.create(8, Channel.Overflow.BLOCK);
        int subscribers = 50;
        List<Broadcast.Subscription<Long>> subs = new ArrayList<>();
        List<Books> books = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            subs.add(bc.subscribe());
            books.add(new Books());
        }
        AtomicLong next = new AtomicLong();
        Set<Long> published = ConcurrentHashMap.newKeySet();
        int publishers = 50;
        Storm storm = new Storm("broadcast");
        storm.run(publishers, OPS * 4, w -> x -> {
            long id = next.getAndIncrement();
            bc.publish(id);
            published.add(id);
        }, bc::done, subscribers, w -> x -> {
            Books mine = books.get(w - publishers);
            ChannelResult<Long> r = subs.get(w - publishers).receiveOrClosed();
            if (r instanceof ChannelResult.Value<Long> v) {
                mine.receivedOne(v.value());
            } else {
                storm.end(w);
            }
        });
        for (int i = 0; i < subscribers; i++) {
            Books mine = books.get(i);
            for (Optional<ChannelResult<Long>> r; (r = subs.get(i).tryReceiveOrClosed()).isPresent()
                    && r.get() instanceof ChannelResult.Value<Long> v; ) {
                mine.receivedOne(v.value());
            }
            assertEquals(0, mine.duplicates.get(), "subscriber " + i + " saw an item twice");
            Set<Long> missing = ConcurrentHashMap.newKeySet();
            missing.addAll(published);
            missing.removeAll(mine.received);
            assertEquals(Set.of(), missing.size() > 10 ? Set.of(missing.size()) : missing,
                    "subscriber " + i + " missed items whose publish returned normally");
        }
        clean(storm);
    }

    @Test
    void limiter_storm_returnsEveryPermit_leavesNoStrayInterrupt() throws Exception {
        Limiter limiter = Limiter.of(8);
        AtomicLong inside = new AtomicLong();
        AtomicLong over = new AtomicLong();
        Storm storm = new Storm("limiter");
        storm.run(PRODUCERS + CONSUMERS, OPS, w -> x -> {
            try (Limiter.Permit p = limiter.acquire()) {
                if (inside.incrementAndGet() > 8) {
                    over.incrementAndGet();
                }
                for (int i = 0; i < 200; i++) {
                    Thread.onSpinWait();
                }
                inside.decrementAndGet();
            }
        });
        assertEquals(0, over.get(), "more than 8 holders at once");
        assertEquals(8, limiter.available(), "permits lost or duplicated: " + limiter);
        assertEquals(0, limiter.inUse());
        assertEquals(0, limiter.waiting());
        clean(storm);
    }

    @Test
    void event_storm_leavesNoStrayInterrupt() throws Exception {
        Event event = new Event();
        Storm storm = new Storm("event");
        storm.run(PRODUCERS + CONSUMERS, OPS, w -> x -> {
            switch (w % 4) {
                case 0 -> event.set();
                case 1 -> event.clear();
                default -> event.await(Duration.ofMillis(2));
            }
        });
        clean(storm);
    }

    @Test
    void taskJoin_storm_leavesNoStrayInterrupt() throws Exception {
        Storm storm = new Storm("join");
        Supplier<Integer> spin = () -> {
            for (int i = 0; i < 500; i++) {
                Thread.onSpinWait();
            }
            return 1;
        };
        storm.run(PRODUCERS + CONSUMERS, OPS, w -> x -> TaskGroup.run(g -> {
            Task<Integer> t = g.spawn(spin::get);
            return t.join();
        }));
        clean(storm);
    }
}
