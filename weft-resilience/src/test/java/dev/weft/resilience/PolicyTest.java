package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.DeadlineExceededException;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import dev.weft.resilience.TestSupport.Boom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Semantics 6: the pipeline order is observable; a per-attempt timeout interrupts the attempt's thread. */
class PolicyTest {
    private final VirtualTime time = VirtualTime.autoAdvancing();

    private static Retry retry(int attempts) {
        return Retry.builder().maxAttempts(attempts).backoff(Backoff.fixed(Duration.ofMillis(100))).build();
    }

    @Test
    void describeListsTheStagesInTheFixedOrderWhateverOrderTheBuilderIsCalledIn() {
        Policy p = Policy.builder()
                .attemptTimeout(Duration.ofSeconds(1))
                .bulkhead(Bulkhead.of("b", 4, Duration.ZERO))
                .circuitBreaker(CircuitBreaker.ofDefaults("cb"))
                .retry(Retry.builder().name("r").build())
                .rateLimiter(RateLimiter.builder().name("rl").rate(10, Duration.ofSeconds(1)).build())
                .timeout(Duration.ofSeconds(5))
                .build();
        String d = p.describe();
        int[] at = {d.indexOf("timeout(PT5S)"), d.indexOf("RateLimiter[rl"), d.indexOf("Retry[r"),
                d.indexOf("CircuitBreaker[cb"), d.indexOf("Bulkhead[b"), d.indexOf("attemptTimeout(PT1S)"), d.indexOf("call")};
        for (int i = 0; i < at.length; i++) {
            assertTrue(at[i] >= 0 && (i == 0 || at[i] > at[i - 1]), "position " + i + " in " + d);
        }
    }

    /**
     * The same fixed order shown on behaviour, with the builder called from the innermost stage
     * out: the per-attempt timeout is inside the retry (a timed-out attempt is retried), the
     * bulkhead is inside the retry (its permit is free during the back-off), the breaker sees every
     * attempt, the rate limiter takes one token per call, and the overall timeout spans the retries.
     */
    @Test
    void theFixedOrderShowsInBehaviourWhateverOrderTheBuilderIsCalledIn() throws Exception {
        Bulkhead bh = Bulkhead.of("b", 1, Duration.ZERO);
        CircuitBreaker cb = CircuitBreaker.builder().name("cb").minimumCalls(100).build();
        RateLimiter rl = RateLimiter.builder().name("rl").rate(1, Duration.ofHours(1)).maxWait(Duration.ZERO).build();
        List<Integer> inFlightDuringBackoff = new CopyOnWriteArrayList<>();
        List<Integer> inFlightDuringAttempt = new CopyOnWriteArrayList<>();
        Policy p = Policy.builder()
                .attemptTimeout(Duration.ofSeconds(1))
                .bulkhead(bh)
                .circuitBreaker(cb)
                .retry(Retry.builder().name("r").maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(100))).build())
                .rateLimiter(rl)
                .timeout(Duration.ofSeconds(5))
                .listener(new ResilienceListener() {
                    @Override
                    public void onRetry(String name, int attempt, Duration delay, Throwable failure) {
                        inFlightDuringBackoff.add(bh.inFlight());
                    }
                })
                .build();
        AtomicInteger n = new AtomicInteger();
        assertEquals("third", time.run(() -> p.call(() -> {
            inFlightDuringAttempt.add(bh.inFlight());
            int attempt = n.incrementAndGet();
            if (attempt == 1) {
                Weft.sleep(Duration.ofHours(1)); // stopped by the per-attempt timeout, then retried
            } else if (attempt == 2) {
                throw new Boom("again");
            }
            return "third";
        })));
        assertEquals(Duration.ofMillis(1200), time.elapsed(), "1 s attempt timeout, two 100 ms back-offs");
        assertEquals(List.of(1, 1, 1), inFlightDuringAttempt, "each attempt holds the bulkhead");
        assertEquals(List.of(0, 0), inFlightDuringBackoff, "the bulkhead is released between attempts");
        assertEquals(3, cb.metrics().successes() + cb.metrics().failures() + cb.metrics().ignored(),
                "the breaker saw every attempt: " + cb.metrics());
        assertEquals(1, cb.metrics().successes());
        assertThrows(RateLimitedException.class, () -> time.run(() -> p.call(() -> "second call")),
                "one token per call: the first call's three attempts took one");
        assertEquals(3, n.get(), "the refused call never reached the dependency");

        // the overall timeout spans the retries: 1 s attempt timeout + 100 ms back-off, then the second attempt is cut
        VirtualTime t2 = VirtualTime.autoAdvancing();
        AtomicInteger m = new AtomicInteger();
        Policy q = Policy.builder()
                .attemptTimeout(Duration.ofSeconds(1))
                .retry(Retry.builder().maxAttempts(3).backoff(Backoff.fixed(Duration.ofMillis(100))).build())
                .timeout(Duration.ofMillis(1500))
                .build();
        assertThrows(DeadlineExceededException.class, () -> t2.run(() -> q.call(() -> {
            m.incrementAndGet();
            Weft.sleep(Duration.ofHours(1));
            return "never";
        })));
        assertEquals(Duration.ofMillis(1500), t2.elapsed());
        assertEquals(2, m.get(), "the overall deadline stopped the second attempt, not the first");
    }

    @Test
    void theRateLimiterTakesOneTokenPerCallNotPerAttempt() throws Exception {
        RateLimiter once = RateLimiter.builder().rate(1, Duration.ofHours(1)).maxWait(Duration.ZERO).build();
        Policy p = Policy.builder().rateLimiter(once).retry(retry(3)).build();
        AtomicInteger n = new AtomicInteger();
        assertEquals("third", time.run(() -> p.call(() -> {
            if (n.incrementAndGet() < 3) {
                throw new Boom("again");
            }
            return "third";
        })));
        assertThrows(RateLimitedException.class, () -> time.run(() -> p.call(() -> "second call")));
    }

    @Test
    void theBreakerSeesEveryAttemptAndAnOpenBreakerEndsTheRetryAtOnce() {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(2).minimumCalls(2).failureRateThreshold(100).build();
        List<String> giveUps = new CopyOnWriteArrayList<>();
        Policy p = Policy.builder().name("inventory").retry(Retry.builder().maxAttempts(5)
                .backoff(Backoff.fixed(Duration.ofMillis(100))).honourRetryAfter(false).build()).circuitBreaker(cb)
                .listener(new ResilienceListener() {
                    @Override
                    public void onGiveUp(String name, int attempts, String reason, Throwable failure) {
                        giveUps.add(name + " after " + attempts + ": " + reason);
                    }
                }).build();
        AtomicInteger reached = new AtomicInteger();
        CircuitBreakerOpenException e = assertThrows(CircuitBreakerOpenException.class, () -> time.run(() -> p.call(() -> {
            reached.incrementAndGet();
            throw new Boom("down");
        })));
        assertEquals(2, reached.get(), "two attempts opened the breaker; the third was rejected");
        assertEquals(2, cb.metrics().failures());
        assertEquals(1, cb.metrics().notPermitted(), "the rejection ended the retry: no waiting, no more attempts");
        assertEquals(Duration.ofMillis(200), time.elapsed(), "two back-offs, no wait for half-open");
        assertEquals("circuit-breaker", e.name());
        assertEquals(List.of("inventory/retry after 3: circuit breaker open"), giveUps,
                "the event names the policy it belongs to");
    }

    @Test
    void withWaitForOpenBreaker_anOpenBreakersRetryAfterIsHonouredByTheRetry() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).trialCalls(1)
                .waitInOpen(Duration.ofSeconds(30)).build();
        Policy p = Policy.builder().retry(Retry.builder().maxAttempts(3).backoff(Backoff.none())
                .waitForOpenBreaker(true).build()).circuitBreaker(cb).build();
        AtomicInteger n = new AtomicInteger();
        String r = time.run(() -> p.call(() -> {
            if (n.incrementAndGet() == 1) {
                throw new Boom("down");
            }
            return "recovered";
        }));
        assertEquals("recovered", r);
        assertEquals(Duration.ofSeconds(30), time.elapsed(), "the retry waited exactly until trial calls were allowed");
        assertEquals(CircuitBreaker.State.CLOSED, cb.state());
    }

    @Test
    void theBulkheadIsInsideTheBreakerAndItsRejectionsAreNotBreakerFailures() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).build();
        Bulkhead bh = Bulkhead.of("one", 1, Duration.ZERO);
        Policy p = Policy.builder().circuitBreaker(cb).bulkhead(bh).build();
        time.run(() -> TaskGroup.run(g -> {
            Task<Object> holder = g.spawn(() -> p.call(() -> {
                Weft.sleep(Duration.ofSeconds(1));
                return "held";
            }));
            Weft.sleep(Duration.ofMillis(10));
            assertEquals(1, bh.inFlight());
            assertThrows(BulkheadFullException.class, () -> p.call(() -> "no room"));
            return holder.join();
        }));
        assertEquals(CircuitBreaker.State.CLOSED, cb.state());
        assertEquals(1, cb.metrics().ignored());
        assertEquals(1, cb.metrics().successes());
    }

    @Test
    void aPerAttemptTimeoutInterruptsTheAttemptsThreadAndTheRetryGoesOn() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Policy p = Policy.builder().retry(Retry.builder().maxAttempts(3).backoff(Backoff.none()).build())
                .attemptTimeout(Duration.ofMillis(100)).build();
        AtomicInteger n = new AtomicInteger();
        Thread caller = Thread.currentThread();
        String r = time.run(() -> p.call(() -> {
            if (n.incrementAndGet() == 1) {
                try {
                    Weft.sleep(Duration.ofHours(1));
                } catch (InterruptedException e) {
                    seen.add("interrupted on " + (Thread.currentThread() == caller ? "the caller's thread" : "another"));
                    throw e;
                }
            }
            return "second";
        }));
        assertEquals("second", r);
        assertEquals(List.of("interrupted on the caller's thread"), seen);
        assertEquals(Duration.ofMillis(100), time.elapsed());
        assertTrue(!Thread.currentThread().isInterrupted(), "no stray interrupt left behind");
    }

    @Test
    void theOuterTimeoutBoundsRetriesAndIsTheirDeadline() {
        AtomicInteger n = new AtomicInteger();
        Policy p = Policy.builder().timeout(Duration.ofSeconds(1)).retry(Retry.builder().maxAttempts(100)
                .backoff(Backoff.fixed(Duration.ofMillis(300))).build()).build();
        RetryDeadlineExceededException e = assertThrows(RetryDeadlineExceededException.class, () -> time.run(() -> p.call(() -> {
            throw new Boom("attempt " + n.incrementAndGet());
        })));
        assertEquals(4, n.get());
        assertEquals("attempt 4", e.getCause().getMessage());
    }

    @Test
    void theOuterTimeoutCutsAnAttemptInFlightAndThatIsNotRetried() {
        AtomicInteger n = new AtomicInteger();
        Policy p = Policy.builder().timeout(Duration.ofSeconds(1)).retry(retry(5)).build();
        assertThrows(DeadlineExceededException.class, () -> time.run(() -> p.call(() -> {
            n.incrementAndGet();
            Weft.sleep(Duration.ofHours(1));
            return "never";
        })));
        assertEquals(1, n.get());
        assertEquals(Duration.ofSeconds(1), time.elapsed());
    }

    @Test
    void outcomeNeverThrows() throws Exception {
        Policy p = Policy.builder().retry(retry(2)).build();
        assertEquals(new Outcome.Success<>("ok"), time.run(() -> p.outcome(() -> "ok")));
        Outcome<Object> f = time.run(() -> p.outcome(() -> {
            throw new Boom("down");
        }));
        assertInstanceOf(Boom.class, ((Outcome.Failure<Object>) f).error());
        Outcome<?> c = time.run(() -> TaskGroup.run(g -> {
            Task<Outcome<Object>> t = g.spawn(() -> {
                Outcome<Object> o = p.outcome(() -> {
                    Weft.sleep(Duration.ofHours(1));
                    return "never";
                });
                assertTrue(Thread.currentThread().isInterrupted(), "the caller stays cancelled");
                return o;
            });
            Weft.sleep(Duration.ofSeconds(1));
            t.cancel();
            return t.outcome() instanceof Outcome.Success<Outcome<Object>> s ? s.value() : null;
        }));
        assertInstanceOf(Outcome.Cancelled.class, c);
    }

    @Test
    void outcomeOnAnInterruptedThreadIsCancelledAndKeepsTheInterruptAndAVirtualMachineErrorStillThrows()
            throws Exception {
        Policy p = Policy.builder().retry(retry(3)).build();
        java.util.concurrent.CountDownLatch inCall = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Outcome<Object>> result = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicBoolean flagAfter = new java.util.concurrent.atomic.AtomicBoolean();
        Thread caller = Thread.ofPlatform().start(() -> {
            result.set(p.outcome(() -> {
                inCall.countDown();
                new java.util.concurrent.CountDownLatch(1).await(); // until interrupted
                return "never";
            }));
            flagAfter.set(Thread.currentThread().isInterrupted());
        });
        inCall.await();
        caller.interrupt();
        caller.join();
        assertInstanceOf(Outcome.Cancelled.class, result.get());
        assertTrue(flagAfter.get(), "the interrupt is restored: the caller stays cancelled");
        assertThrows(StackOverflowError.class, () -> time.run(() -> p.outcome(() -> {
            throw new StackOverflowError("not an outcome");
        })));
    }

    @Test
    void theFallbackIsOutermostAndSeesTheFinalFailure() throws Exception {
        List<Throwable> seen = new CopyOnWriteArrayList<>();
        CircuitBreaker cb = CircuitBreaker.ofDefaults("cb");
        cb.forceOpen();
        Policy p = Policy.builder().retry(Retry.builder().maxAttempts(2).backoff(Backoff.none())
                .retryIf(e -> !(e instanceof RejectedException)).build()).circuitBreaker(cb).build();
        String r = time.run(() -> p.call(() -> "unreachable", Fallback.of(e -> {
            seen.add(e);
            return "cached";
        })));
        assertEquals("cached", r);
        assertInstanceOf(CircuitBreakerOpenException.class, seen.get(0));
    }

    @Test
    void aPolicyListenerHearsEveryComponent() {
        ResilienceCounters counters = new ResilienceCounters();
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(1).minimumCalls(1).build();
        Policy p = Policy.builder().retry(Retry.builder().maxAttempts(3).backoff(Backoff.none())
                .retryIf(e -> !(e instanceof RejectedException)).build()).circuitBreaker(cb).listener(counters).build();
        assertThrows(CircuitBreakerOpenException.class, () -> time.run(() -> p.call(() -> {
            throw new Boom("down");
        })));
        assertEquals(2, counters.attempts());
        assertEquals(1, counters.retries());
        assertEquals(1, counters.stateChanges());
        assertEquals(1, counters.rejections());
        assertEquals(1, counters.giveUps(), "the rejection is not retryable here");
    }

    /** Records each event as "kind name". */
    private static final class Recorder implements ResilienceListener {
        final List<String> heard = new CopyOnWriteArrayList<>();

        @Override
        public void onAttempt(String name, int attempt) {
            heard.add("attempt " + name);
        }

        @Override
        public void onRetry(String name, int attempt, Duration delay, Throwable failure) {
            heard.add("retry " + name);
        }

        @Override
        public void onGiveUp(String name, int attempts, String reason, Throwable failure) {
            heard.add("give-up " + name);
        }

        @Override
        public void onRejected(String name, RejectedException rejection) {
            heard.add("rejected " + name);
        }

        @Override
        public void onStateChange(String name, CircuitBreaker.State from, CircuitBreaker.State to) {
            heard.add("state " + name);
        }

        @Override
        public void onHedge(String name, int attempt) {
            heard.add("hedge " + name);
        }

        @Override
        public void onFallback(String name, Throwable failure) {
            heard.add("fallback " + name);
        }
    }

    @Test
    void eachOfSeveralPolicyListenersHearsEveryKindOfEventUnderTheComponentsName() throws Exception {
        Recorder a = new Recorder();
        Recorder b = new Recorder();
        Policy p = Policy.builder().name("svc")
                .retry(Retry.builder().maxAttempts(2).backoff(Backoff.none())
                        .retryIf(e -> !(e instanceof RejectedException)).build())
                .hedge(Hedge.builder().delay(Duration.ofMillis(10)).build())
                .circuitBreaker(CircuitBreaker.builder().countWindow(1).minimumCalls(1).build())
                .listener(a).listener(b).build();
        AtomicInteger n = new AtomicInteger();
        // the first hedged pair fails and opens the breaker; the retry's pair is rejected; the fallback answers
        String r = time.run(() -> p.call(() -> {
            if (n.incrementAndGet() == 1) {
                Weft.sleep(Duration.ofMillis(100));
            }
            throw new Boom("down");
        }, Fallback.value("fell back").named("svc")));
        assertEquals("fell back", r);
        assertEquals(2, n.get(), "the retry's attempts were rejected by the open breaker");
        List<String> heard = a.heard.stream().sorted().toList();
        assertEquals(heard, b.heard.stream().sorted().toList(), "both listeners heard the same events");
        assertEquals(List.of("attempt svc/retry", "attempt svc/retry", "fallback svc", "give-up svc/retry",
                "hedge svc/hedge", "hedge svc/hedge", "rejected svc/circuit-breaker", "rejected svc/circuit-breaker",
                "retry svc/retry", "state svc/circuit-breaker"), heard);
    }

    @Test
    void hedgedAttemptsEachPassTheBreaker() throws Exception {
        CircuitBreaker cb = CircuitBreaker.builder().countWindow(10).build();
        AtomicInteger n = new AtomicInteger();
        Policy p = Policy.builder().hedge(Hedge.builder().delay(Duration.ofMillis(10)).build()).circuitBreaker(cb).build();
        assertEquals("second", time.run(() -> p.call(() -> {
            if (n.incrementAndGet() == 1) {
                Weft.sleep(Duration.ofHours(1));
            }
            return "second";
        })));
        assertEquals(1, cb.metrics().successes());
        assertEquals(1, cb.metrics().ignored(), "the cancelled loser is not a failure");
    }

    @Test
    void aPolicyWithAFallbackGivesTheCallsOwnValueWhenItSucceedsAndNamesItself() throws Exception {
        Policy p = Policy.builder().name("orders").retry(Retry.builder().maxAttempts(2).backoff(Backoff.none()).build())
                .build();
        assertEquals("orders", p.name());
        assertEquals("Policy[orders: " + p.describe() + "]", p.toString());
        List<String> heard = new CopyOnWriteArrayList<>();
        Policy sameName = Policy.builder().name("orders").retry(Retry.builder().name("orders").build())
                .listener(new ResilienceListener() {
                    @Override
                    public void onAttempt(String name, int attempt) {
                        heard.add(name);
                    }
                }).build();
        time.run(() -> sameName.call(() -> "once"));
        assertEquals(List.of("orders"), heard, "a component named like its policy is reported under the policy's name alone");
        assertEquals("fresh", time.run(() -> p.call(() -> "fresh", Fallback.value("cached"))));
        assertEquals("cached", time.run(() -> p.call(() -> {
            throw new Boom("down");
        }, Fallback.value("cached"))));
    }
}
