package dev.weft.channel;

import dev.weft.internal.Clock;
import dev.weft.internal.ThreadState;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits on several channel operations at once; exactly one completes. Go's {@code select},
 * Kotlin's {@code select}, jox's {@code Select}.
 *
 * {@snippet :
 * String r = Select.select(
 *         requests.receiveClause(req -> handle(req)),
 *         control.receiveClause(cmd -> "control: " + cmd),
 *         results.sendClause(pending, () -> "sent"));
 * }
 *
 * <p>Clauses are tried in order: when several can complete at once, the first wins (biased, like
 * Kotlin and jox). With a {@link #defaultClause} the select never waits. A select on a channel that
 * is done (or failed) completes with that: {@link #select} throws {@link ChannelDoneException} or
 * {@link ChannelFailedException}; {@link #selectOrClosed} returns the {@link ChannelResult}.
 *
 * <h2>Cancellation</h2> A Weft wait: a cancelled caller either has a clause completed (the select
 * returns it, the interrupt flag set again) or none did, and nothing was sent or taken.
 *
 * <h2>Design</h2> First a pass that tries each clause without registering. Then the select
 * registers a waiter node on every channel and re-tries each clause (now claiming itself with a
 * CAS, so a counterpart arriving concurrently on another channel cannot also complete it), then
 * parks. Pairing with another select needs both claimed: it is done under one global monitor and
 * a failed second claim reverts the first (see {@link Channel}).
 */
public final class Select {
    private static final Object NONE = new Object();

    private Select() {
    }

    /**
     * A clause taken when nothing else can complete at once.
     *
     * @param <R> the select's result type
     * @param value supplies the select's result when this clause is taken
     * @return the default clause
     */
    public static <R> SelectClause<R> defaultClause(Supplier<? extends R> value) {
        return new SelectClause.Default<>(Objects.requireNonNull(value, "value"));
    }

    /**
     * Completes exactly one clause, waiting if none can complete yet.
     *
     * @param <R> the result type
     * @param clauses the clauses to try, in order of preference when several can complete at once
     * @return the value of the clause that completed
     * @throws ChannelDoneException if a clause's channel is done (and drained, for receives)
     * @throws ChannelFailedException if a clause's channel failed
     * @throws InterruptedException if the caller is cancelled while waiting (no clause completed)
     */
    @SafeVarargs
    public static <R> R select(SelectClause<? extends R>... clauses) throws InterruptedException {
        return unwrap(selectOrClosed(clauses));
    }

    /**
     * As {@link #select}, but a done or failed channel is returned as its {@link ChannelResult}.
     *
     * @param <R> the result type
     * @param clauses the clauses to try, in order of preference when several can complete at once
     * @return the value of the clause that completed, or the {@link ChannelResult} of a done or failed
     *     channel
     * @throws InterruptedException if the caller is cancelled while waiting (no clause completed)
     */
    @SafeVarargs
    public static <R> Object selectOrClosed(SelectClause<? extends R>... clauses) throws InterruptedException {
        return run(List.of(clauses), Clock.NONE, false);
    }

    /**
     * As {@link #select}, waiting at most {@code timeout}; empty if nothing completed in time.
     *
     * @param <R> the result type
     * @param timeout the longest to wait; zero or negative tries once without waiting
     * @param clauses the clauses to try, in order of preference when several can complete at once
     * @return the value of the clause that completed, or empty if the timeout passed first
     * @throws InterruptedException if the caller is cancelled while waiting (no clause completed)
     */
    @SafeVarargs
    @SuppressWarnings("unchecked")
    public static <R> Optional<R> selectWithin(Duration timeout, SelectClause<? extends R>... clauses) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        Clock c = ThreadState.current().clock();
        long deadline = Clock.plus(c.nanoTime(), timeout.isNegative() ? 0 : saturated(timeout));
        Object r = run(List.of(clauses), deadline, true);
        if (r == NONE) {
            return Optional.empty();
        }
        return Optional.ofNullable((R) unwrap(r));
    }

    private static long saturated(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> R unwrap(Object r) {
        if (r instanceof ChannelResult.Done<?>) {
            throw new ChannelDoneException("select: a channel in the select is done");
        }
        if (r instanceof ChannelResult.Failed<?> f) {
            throw new ChannelFailedException("select: a channel in the select failed: " + f.error(), f.error());
        }
        return (R) r;
    }

    private static Object run(List<? extends SelectClause<?>> clauses, long deadline, boolean timed) throws InterruptedException {
        if (clauses.isEmpty()) {
            throw new IllegalArgumentException("select needs at least one clause");
        }
        ThreadState st = ThreadState.current();
        st.checkCancelled();
        SelectClause.Default<?> dflt = null;
        int n = clauses.size();
        boolean[] retry = new boolean[1];
        // 1. the first pass: nothing registered, nothing to claim
        for (int i = 0; i < n; i++) {
            SelectClause<?> c = Objects.requireNonNull(clauses.get(i), "clause");
            if (c instanceof SelectClause.Default<?> d) {
                if (dflt != null) {
                    throw new IllegalArgumentException("select takes at most one default clause");
                }
                dflt = d;
                continue;
            }
            Object r = attempt(c, null, i, retry);
            if (r != null) {
                return finish(c, r);
            }
        }
        if (dflt != null) {
            return dflt.value().get();
        }
        // 2. register everywhere, then re-try claiming ourselves
        SelectInstance sel = new SelectInstance();
        Waiter[] nodes = new Waiter[n];
        for (int i = 0; i < n; i++) {
            SelectClause<?> c = clauses.get(i);
            if (c instanceof SelectClause.Send<?, ?> s) {
                nodes[i] = new Waiter(st, s.item(), sel, i);
                s.channel().enqueue(nodes[i], true);
            } else if (c instanceof SelectClause.Receive<?, ?> r) {
                nodes[i] = new Waiter(st, null, sel, i);
                r.channel().enqueue(nodes[i], false);
            }
        }
        try {
            Object direct = null;
            int directClause = -1;
            do {
                retry[0] = false;
                for (int i = 0; i < n && sel.state() == SelectInstance.OPEN; i++) {
                    Object r = attempt(clauses.get(i), sel, i, retry);
                    if (r != null && r != Channel.CLAIMED_ELSEWHERE) {
                        direct = r;
                        directClause = i;
                        break;
                    }
                }
            } while (direct == null && retry[0] && sel.state() == SelectInstance.OPEN);
            if (direct != null) {
                return finish(clauses.get(directClause), direct);
            }
            // 3. wait until a counterpart claims us, or we are cancelled / time out
            Clock clock = st.clock();
            try {
                while (sel.state() == SelectInstance.OPEN) {
                    if (timed && deadline - clock.nanoTime() <= 0) {
                        if (sel.cancel()) {
                            return NONE;
                        }
                        break;
                    }
                    st.park(sel, timed ? deadline : Clock.NONE);
                }
            } catch (InterruptedException e) {
                if (sel.cancel()) {
                    throw e;
                }
                st.restoreInterrupt(); // a clause completed anyway: return it
            }
            int k = sel.state();
            Waiter w = nodes[k];
            st.parkUninterruptibly(w, () -> w.state != Waiter.WAITING); // the claimer is finishing under its lock
            SelectClause<?> c = clauses.get(k);
            Object r = switch (w.state) {
                case Waiter.DONE -> c instanceof SelectClause.Send<?, ?> ? Channel.SENT : new ChannelResult.Value<>(w.item);
                case Waiter.CLOSED -> new ChannelResult.Done<>();
                default -> new ChannelResult.Failed<>(channelOf(c).failure());
            };
            return finish(c, r);
        } finally {
            for (int i = 0; i < n; i++) {
                if (nodes[i] != null) {
                    SelectClause<?> c = clauses.get(i);
                    channelOf(c).dequeue(nodes[i], c instanceof SelectClause.Send<?, ?>);
                }
            }
        }
    }

    private static Channel<?> channelOf(SelectClause<?> c) {
        return switch (c) {
            case SelectClause.Receive<?, ?> r -> r.channel();
            case SelectClause.Send<?, ?> s -> s.channel();
            case SelectClause.Default<?> d -> throw new IllegalStateException("a default clause has no channel");
        };
    }

    private static Object attempt(SelectClause<?> c, SelectInstance sel, int i, boolean[] retry) {
        return switch (c) {
            case SelectClause.Receive<?, ?> r -> r.channel().selectAttempt(false, null, sel, i, retry);
            case SelectClause.Send<?, ?> s -> s.channel().selectAttempt(true, s.item(), sel, i, retry);
            case SelectClause.Default<?> d -> null;
        };
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object finish(SelectClause<?> c, Object r) {
        if (r instanceof ChannelResult.Done<?> || r instanceof ChannelResult.Failed<?>) {
            return r;
        }
        if (c instanceof SelectClause.Send<?, ?> s) {
            return s.then().get();
        }
        Object v = ((ChannelResult.Value<?>) r).value();
        return ((java.util.function.Function<Object, Object>) ((SelectClause.Receive<?, ?>) c).then()).apply(v);
    }

}
