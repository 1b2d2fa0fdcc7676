package dev.weft.resilience;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Timeouts;
import dev.weft.VirtualTime;
import dev.weft.Weft;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The rate limiter (token bucket, waits bounded by the deadline) and the bulkhead, on virtual time. */
class RateLimiterBulkheadTest {
    private final VirtualTime time = VirtualTime.autoAdvancing();

    @Test
    void aBurstGoesAtOnceThenCallsAreSpacedByTheInterval() throws Exception {
        RateLimiter rl = RateLimiter.builder().rate(10, Duration.ofSeconds(1)).burst(3).build();
        time.run(() -> {
            for (int i = 0; i < 3; i++) {
                rl.acquire();
            }
            assertEquals(Duration.ZERO, time.elapsed());
            rl.acquire();
            assertEquals(Duration.ofMillis(100), time.elapsed());
            rl.acquire();
            assertEquals(Duration.ofMillis(200), time.elapsed());
            assertFalse(rl.tryAcquire());
            Weft.sleep(Duration.ofSeconds(1));
            assertTrue(rl.tryAcquire(), "the bucket refilled while idle");
            return null;
        });
    }

    @Test
    void availablePermitsCountsTheBurstLeftAndRefillsOneIntervalAtATime() throws Exception {
        RateLimiter rl = RateLimiter.builder().rate(10, Duration.ofSeconds(1)).burst(3).build();
        time.run(() -> {
            assertEquals(3, rl.availablePermits(), "a fresh limiter: the whole burst");
            rl.acquire();
            assertEquals(2, rl.availablePermits());
            rl.acquire();
            rl.acquire();
            assertEquals(0, rl.availablePermits(), "burst spent");
            Weft.sleep(Duration.ofMillis(99));
            assertEquals(0, rl.availablePermits(), "the next token is due at 100 ms, not before");
            Weft.sleep(Duration.ofMillis(1));
            assertEquals(1, rl.availablePermits());
            Weft.sleep(Duration.ofMillis(150));
            assertEquals(2, rl.availablePermits(), "one token per 100 ms");
            Weft.sleep(Duration.ofHours(1));
            assertEquals(3, rl.availablePermits(), "an idle limiter refills to the burst, not beyond");
            return null;
        });
    }

    @Test
    void availablePermitsIsZeroWhileACallerWaitsForItsTokenAndWaitingCountsIt() throws Exception {
        RateLimiter rl = RateLimiter.builder().rate(1, Duration.ofSeconds(10)).build();
        time.run(() -> {
            rl.acquire();
            TaskGroup.run(g -> {
                Task<String> waiter = g.spawn(() -> {
                    rl.acquire();
                    return "at " + time.elapsed().toSeconds() + " s";
                });
                Weft.sleep(Duration.ofSeconds(1));
                assertEquals(1, rl.waiting(), "one caller sleeps until its token is due");
                assertEquals(0, rl.availablePermits(), "the waiter holds the next token");
                assertEquals("at 10 s", waiter.join());
                assertEquals(0, rl.waiting());
                return null;
            });
            return null;
        });
    }

    @Test
    void aWaitThatWouldEndPastTheDeadlineIsRefusedAtOnceWithoutReserving() throws Exception {
        RateLimiter rl = RateLimiter.builder().name("api").rate(1, Duration.ofSeconds(10)).burst(1).build();
        time.run(() -> {
            rl.acquire();
            RateLimitedException e = assertThrows(RateLimitedException.class,
                    () -> Timeouts.failAfter(Duration.ofSeconds(5), () -> {
                        rl.acquire();
                        return null;
                    }));
            assertEquals(Duration.ZERO, time.elapsed(), "refused without waiting");
            assertEquals(Duration.ofSeconds(10), e.retryAfter().orElseThrow());
            assertEquals("api", e.name());
            assertTrue(e.getMessage().contains("past the deadline"), e.getMessage());
            rl.acquire(); // nothing was reserved by the refused call: the next token is 10 s away, not 20
            assertEquals(Duration.ofSeconds(10), time.elapsed());
            return null;
        });
    }

    @Test
    void theMaximumWaitIsHonoured() throws Exception {
        RateLimiter rl = RateLimiter.builder().rate(1, Duration.ofSeconds(1)).maxWait(Duration.ofMillis(500)).build();
        time.run(() -> {
            rl.acquire();
            assertThrows(RateLimitedException.class, rl::acquire);
            return null;
        });
    }

    @Test
    void aWaitOfExactlyTheMaximumIsAllowedAndOneEndingExactlyAtTheDeadlineIsNot() throws Exception {
        RateLimiter rl = RateLimiter.builder().rate(1, Duration.ofSeconds(1)).maxWait(Duration.ofSeconds(1)).build();
        time.run(() -> {
            rl.acquire();
            rl.acquire(); // the next token is exactly the maximum wait away: it waits
            assertEquals(Duration.ofSeconds(1), time.elapsed());
            return null;
        });
        RateLimiter unbounded = RateLimiter.builder().rate(1, Duration.ofSeconds(10)).build();
        VirtualTime t2 = VirtualTime.autoAdvancing();
        t2.run(() -> {
            unbounded.acquire();
            assertThrows(RateLimitedException.class, () -> Timeouts.failAfter(Duration.ofSeconds(10), () -> {
                unbounded.acquire(); // the token would come at the deadline itself: too late
                return null;
            }));
            assertEquals(Duration.ZERO, t2.elapsed(), "refused at once");
            return null;
        });
    }

    @Test
    void callWaitsForATokenThenGivesTheCallsValue() throws Exception {
        RateLimiter rl = RateLimiter.builder().rate(1, Duration.ofSeconds(1)).build();
        time.run(() -> {
            assertEquals("first", rl.call(() -> "first"));
            assertEquals("second at 1000 ms", rl.call(() -> "second at " + time.elapsed().toMillis() + " ms"));
            return null;
        });
    }

    @Test
    void aRefusedTryAcquireReservesNothing() throws Exception {
        RateLimiter rl = RateLimiter.builder().rate(1, Duration.ofSeconds(1)).build();
        time.run(() -> {
            assertTrue(rl.tryAcquire());
            for (int i = 0; i < 5; i++) {
                assertFalse(rl.tryAcquire());
            }
            rl.acquire();
            assertEquals(Duration.ofSeconds(1), time.elapsed(), "the refusals took no tokens: the next came after 1 s");
            return null;
        });
    }

    @Test
    void rejectionsAreHeardByTheLimitersAndThePolicysListeners() throws Exception {
        ResilienceCounters own = new ResilienceCounters();
        ResilienceCounters policyWide = new ResilienceCounters();
        RateLimiter rl = RateLimiter.builder().rate(1, Duration.ofHours(1)).maxWait(Duration.ZERO).listener(own).build();
        Bulkhead bh = Bulkhead.of("one", 1, Duration.ZERO);
        Policy viaLimiter = Policy.builder().rateLimiter(rl).listener(policyWide).build();
        Policy viaBulkhead = Policy.builder().bulkhead(bh).listener(policyWide).build();
        time.run(() -> {
            rl.acquire();
            assertThrows(RateLimitedException.class, rl::acquire);
            assertEquals(1, own.rejections(), "the limiter's own listener");
            assertThrows(RateLimitedException.class, () -> viaLimiter.call(() -> "refused"));
            assertEquals(2, own.rejections());
            assertEquals(1, policyWide.rejections(), "the policy's listener hears its limiter's rejection");
            TaskGroup.run(g -> {
                Task<String> holder = g.spawn(() -> viaBulkhead.call(() -> {
                    Weft.sleep(Duration.ofSeconds(1));
                    return "held";
                }));
                Weft.sleep(Duration.ofMillis(10));
                assertThrows(BulkheadFullException.class, () -> viaBulkhead.call(() -> "no room"));
                return holder.join();
            });
            assertEquals(2, policyWide.rejections(), "and its bulkhead's");
            return null;
        });
    }

    @Test
    void aCancelledWaiterGivesItsReservationBack() throws Exception {
        RateLimiter rl = RateLimiter.builder().rate(1, Duration.ofSeconds(10)).build();
        time.run(() -> {
            rl.acquire();
            TaskGroup.run(g -> {
                Task<Object> waiter = g.spawn(() -> {
                    rl.acquire();
                    return "got it";
                });
                Weft.sleep(Duration.ofSeconds(1));
                waiter.cancel();
                assertInstanceOf(Outcome.Cancelled.class, waiter.outcome());
                return null;
            });
            rl.acquire();
            assertEquals(Duration.ofSeconds(10), time.elapsed(), "the cancelled reservation was returned");
            return null;
        });
    }

    @Test
    void theBulkheadRefusesWhenFullAfterItsMaximumWait() throws Exception {
        Bulkhead bh = Bulkhead.of("db", 2, Duration.ofMillis(100));
        time.run(() -> TaskGroup.run(g -> {
            for (int i = 0; i < 2; i++) {
                g.spawn(() -> bh.call(() -> {
                    Weft.sleep(Duration.ofSeconds(1));
                    return null;
                }));
            }
            Weft.sleep(Duration.ofMillis(10));
            assertEquals(2, bh.inFlight());
            BulkheadFullException e = assertThrows(BulkheadFullException.class, () -> bh.call(() -> "x"));
            assertEquals(Duration.ofMillis(110), time.elapsed(), "waited its 100 ms");
            assertEquals("db", e.name());
            assertEquals(0, e.getStackTrace().length);
            return null;
        }));
        assertEquals(0, bh.inFlight());
    }

    @Test
    void aBulkheadWaiterGetsTheSlotThatFreesWithinTheWait() throws Exception {
        Bulkhead bh = Bulkhead.of("db", 1, Duration.ofSeconds(5));
        String r = time.run(() -> TaskGroup.run(g -> {
            g.spawn(() -> bh.call(() -> {
                Weft.sleep(Duration.ofSeconds(1));
                return null;
            }));
            Weft.sleep(Duration.ofMillis(10));
            return bh.call(() -> "after " + time.elapsed().toMillis());
        }));
        assertEquals("after 1000", r);
    }

    @Test
    void aNoWaitBulkheadNeverAdmitsMoreThanItsLimitUnderContention() throws Exception {
        Bulkhead bh = Bulkhead.of("cpu", 3, Duration.ZERO);
        java.util.concurrent.atomic.AtomicInteger now = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger max = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.LongAdder ran = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.atomic.LongAdder refused = new java.util.concurrent.atomic.LongAdder();
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        // contention made certain: three holders fill the bulkhead and stay until the hammering
        // threads have been refused at least once
        java.util.concurrent.CountDownLatch letGo = new java.util.concurrent.CountDownLatch(1);
        for (int h = 0; h < 3; h++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    bh.call(() -> {
                        max.accumulateAndGet(now.incrementAndGet(), Math::max);
                        letGo.await();
                        now.decrementAndGet();
                        return null;
                    });
                    ran.increment();
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }));
        }
        TestSupport.await("the three holders fill the bulkhead", () -> bh.inFlight() == 3);
        for (int t = 0; t < 8; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 20_000; i++) {
                    try {
                        bh.call(() -> {
                            max.accumulateAndGet(now.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            now.decrementAndGet();
                            return null;
                        });
                        ran.increment();
                    } catch (BulkheadFullException e) {
                        refused.increment();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                }
            }));
        }
        TestSupport.await("a full bulkhead refused a call", () -> refused.sum() > 0);
        letGo.countDown();
        for (Thread t : threads) {
            t.join();
        }
        assertTrue(refused.sum() > 0, "contention happened: calls found the bulkhead full");
        assertEquals(3, max.get(), "the limit was reached and never exceeded");
        assertEquals(3 + 8 * 20_000, ran.sum() + refused.sum());
        assertEquals(0, bh.inFlight());
    }

    @Test
    void aBulkheadCalledDirectlyTellsItsOwnListenersOfARejectionAndReportsItsLimits() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        ResilienceListener listener = new ResilienceListener() {
            @Override
            public void onRejected(String name, RejectedException rejection) {
                heard.add(name + ": " + rejection.getClass().getSimpleName());
            }
        };
        Bulkhead bh = Bulkhead.of("db", 1, Duration.ZERO, List.of(listener));
        assertEquals("db", bh.name());
        assertEquals(1, bh.maxConcurrent());
        assertEquals(Duration.ZERO, bh.maxWait());
        String r = time.run(() -> TaskGroup.run(g -> {
            Task<String> holder = g.spawn(() -> bh.call(() -> {
                Weft.sleep(Duration.ofSeconds(1));
                return "held";
            }));
            Weft.sleep(Duration.ofMillis(10));
            assertThrows(BulkheadFullException.class, () -> bh.call(() -> "no room"));
            return holder.join();
        }));
        assertEquals("held", r);
        assertEquals(List.of("db: BulkheadFullException"), heard, "no policy around it: its own listener hears it");
    }

    @Test
    void aLimiterWithItsOwnClockCountsOnThatClockNotTheCallers() {
        VirtualTime clock = VirtualTime.manual();
        RateLimiter rl = RateLimiter.builder().name("api").rate(1, Duration.ofSeconds(10)).clock(clock).build();
        assertEquals("api", rl.name());
        assertTrue(rl.tryAcquire());
        assertFalse(rl.tryAcquire());
        assertEquals(0, rl.availablePermits());
        clock.advance(Duration.ofSeconds(10));
        assertEquals(1, rl.availablePermits(), "a token came due on the limiter's clock (the caller's has not moved)");
        assertTrue(rl.tryAcquire());
    }

    @Test
    void aLongIdleRefillsNoMoreThanTheBurst() {
        VirtualTime clock = VirtualTime.manual();
        RateLimiter rl = RateLimiter.builder().rate(1, Duration.ofSeconds(1)).burst(2).clock(clock).build();
        assertTrue(rl.tryAcquire());
        assertTrue(rl.tryAcquire());
        assertFalse(rl.tryAcquire());
        clock.advance(Duration.ofMinutes(1));
        assertEquals(2, rl.availablePermits());
        assertTrue(rl.tryAcquire());
        assertTrue(rl.tryAcquire());
        assertFalse(rl.tryAcquire(), "a minute idle refills the burst of 2, not 60 tokens");
    }
}
