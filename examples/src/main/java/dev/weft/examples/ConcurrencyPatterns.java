package dev.weft.examples;

import dev.weft.AsCompleted;
import dev.weft.CancelScope;
import dev.weft.Limiter;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.TaskGroupException;
import dev.weft.Timeouts;
import dev.weft.Weft;
import dev.weft.channel.Channel;
import dev.weft.channel.Event;
import dev.weft.channel.QueueShutdownException;
import dev.weft.channel.WorkQueue;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * The samples of {@code docs/concurrency-patterns.md}: Weft's forms of asyncio's gather, TaskGroup,
 * wait_for, shield, as_completed, Semaphore, Queue and Event, with the plain-JDK alternatives.
 * Each sample is the region between a {@code tag::name[]} and an {@code end::name[]} comment.
 */
public final class ConcurrencyPatterns {
    private ConcurrencyPatterns() {
    }

    /**
     * Simulated I/O: waits 10 ms per character of {@code name} on the scope's clock (instant under
     * {@code VirtualTime}) and returns a page.
     *
     * @param name what to fetch
     * @return {@code "page " + name}
     * @throws InterruptedException if cancelled while waiting
     */
    public static String fetch(String name) throws InterruptedException {
        Weft.sleep(Duration.ofMillis(10L * name.length()));
        return "page " + name;
    }

    /**
     * Two results fetched concurrently.
     *
     * @param user the user part
     * @param orders the orders part
     */
    public record Dashboard(String user, String orders) {
    }

    // tag::gather[]
    // @start region="gather"
    static List<String> gatherPages() throws InterruptedException {
        // asyncio: await asyncio.gather(fetch("a"), fetch("b"), fetch("c"))
        return Weft.gather(() -> fetch("a"), () -> fetch("b"), () -> fetch("c"));
    }
    // @end region="gather"
    // end::gather[]

    // tag::task-group[]
    // @start region="task-group"
    static Dashboard dashboard() throws InterruptedException {
        // asyncio: async with asyncio.TaskGroup() as tg: user = tg.create_task(...)
        return TaskGroup.run(group -> {
            Task<String> user = group.spawn("user", () -> fetch("user"));
            Task<String> orders = group.spawn("orders", () -> fetch("orders"));
            return new Dashboard(user.join(), orders.join());
        }); // returns only when both tasks have ended
    }
    // @end region="task-group"
    // end::task-group[]

    // tag::fail-fast[]
    // @start region="fail-fast"
    static List<Throwable> failFast(List<String> log) throws InterruptedException {
        try {
            TaskGroup.run(group -> {
                group.launch("slow", () -> {
                    try {
                        Weft.sleep(Duration.ofHours(1));
                    } finally {
                        log.add("slow task ended"); // runs: the failure cancelled it, the group waited
                    }
                });
                group.launch("broken", () -> {
                    throw new IOException("backend down");
                });
                return null;
            });
            return List.of();
        } catch (TaskGroupException e) {
            return e.failures(); // [IOException: backend down]; the cancelled task is not a failure
        }
    }
    // @end region="fail-fast"
    // end::fail-fast[]

    // tag::gather-outcomes[]
    // @start region="gather-outcomes"
    static List<Outcome<String>> gatherEveryOutcome() throws InterruptedException {
        // asyncio: await asyncio.gather(..., return_exceptions=True)
        List<Outcome<String>> all = Weft.gatherOutcomes(
                () -> fetch("a"),
                () -> { throw new IOException("b is down"); },
                () -> fetch("c"));
        for (Outcome<String> o : all) {
            switch (o) {
                case Outcome.Success<String> s -> System.out.println("ok " + s.value());
                case Outcome.Failure<String> f -> System.out.println("failed " + f.error());
                case Outcome.Cancelled<String> c -> System.out.println("cancelled");
            }
        }
        return all;
    }
    // @end region="gather-outcomes"
    // end::gather-outcomes[]

    // tag::race[]
    // @start region="race"
    static String fastestMirror() throws InterruptedException {
        // the first success wins; the other is cancelled and joined before race returns
        return Weft.race(() -> fetch("slow-mirror.example"), () -> fetch("fast.example"));
    }
    // @end region="race"
    // end::race[]

    // tag::as-completed[]
    // @start region="as-completed"
    static List<String> inCompletionOrder(List<String> names) throws InterruptedException {
        return TaskGroup.run(group -> {
            List<Task<String>> tasks = new ArrayList<>();
            for (String n : names) {
                tasks.add(group.spawn(n, () -> fetch(n)));
            }
            List<String> order = new ArrayList<>();
            AsCompleted<String> done = Weft.asCompleted(tasks, Duration.ofSeconds(5));
            while (done.hasNext()) {
                order.add(done.next().join()); // next() throws DeadlineExceededException after 5 s
            }
            return order;
        });
    }
    // @end region="as-completed"
    // end::as-completed[]

    // tag::map[]
    // @start region="map"
    static List<Integer> boundedFanOut(List<String> urls) throws InterruptedException {
        // at most 8 at once; results in input order; the first failure cancels the rest
        return Weft.map(urls, 8, url -> fetch(url).length());
    }
    // @end region="map"
    // end::map[]

    // tag::limiter[]
    // @start region="limiter"
    static final Limiter DATABASE = Limiter.of(4); // asyncio.Semaphore(4), Trio CapacityLimiter(4)

    static String query(String sql) throws InterruptedException {
        return DATABASE.run(() -> fetch(sql)); // FIFO; the permit is released on every path
    }
    // @end region="limiter"
    // end::limiter[]

    // tag::timeouts[]
    // @start region="timeouts"
    static String mustAnswerInTime() throws InterruptedException {
        // asyncio.timeout(2) / wait_for(..., 2): DeadlineExceededException when 2 s pass
        return Timeouts.failAfter(Duration.ofSeconds(2), () -> fetch("backend"));
    }

    static Optional<String> bestEffort() throws InterruptedException {
        // Trio move_on_after: empty when 50 ms pass; the work was cancelled and has ended
        return Timeouts.moveOnAfter(Duration.ofMillis(50), () -> fetch("a-very-slow-backend"));
    }
    // @end region="timeouts"
    // end::timeouts[]

    // tag::cancel-scope[]
    // @start region="cancel-scope"
    static Optional<String> extendWhileProgressing(List<String> parts) throws InterruptedException {
        return CancelScope.after(Duration.ofMillis(100)).run(scope -> {
            StringBuilder body = new StringBuilder();
            for (String part : parts) {
                body.append(fetch(part));
                scope.rescheduleAfter(Duration.ofMillis(100)); // an idle timeout: reset on progress
            }
            return body.toString();
        });
    }
    // @end region="cancel-scope"
    // end::cancel-scope[]

    // tag::shield[]
    // @start region="shield"
    static Optional<String> commitEvenIfCancelled(List<String> journal) throws InterruptedException {
        return Timeouts.moveOnAfter(Duration.ofMillis(10), () -> {
            Weft.shield(() -> {
                Weft.sleep(Duration.ofMillis(50)); // the 10 ms timeout cannot interrupt this
                journal.add("committed");
                return null;
            });
            Weft.checkpoint(); // the cancellation is delivered at the next wait after the shield
            return "not reached";
        });
    }
    // @end region="shield"
    // end::shield[]

    // tag::channel[]
    // @start region="channel"
    static long pipeline(int n) throws InterruptedException {
        Channel<Integer> numbers = Channel.buffered(16); // a full buffer makes the producer wait
        return TaskGroup.run(group -> {
            group.launch("producer", () -> {
                try {
                    for (int i = 1; i <= n; i++) {
                        numbers.send(i);
                    }
                } finally {
                    numbers.done(); // no more items: the consumer's loop ends
                }
            });
            long sum = 0;
            for (int x : numbers) {
                sum += x;
            }
            return sum;
        });
    }
    // @end region="channel"
    // end::channel[]

    // tag::work-queue[]
    // @start region="work-queue"
    static Queue<String> workers(List<String> jobs) throws InterruptedException {
        WorkQueue<String> queue = WorkQueue.fifo(10); // asyncio.Queue(maxsize=10)
        Queue<String> results = new ConcurrentLinkedQueue<>();
        TaskGroup.run(group -> {
            for (int w = 0; w < 3; w++) {
                group.launch("worker-" + w, () -> {
                    while (true) {
                        String job;
                        try {
                            job = queue.get();
                        } catch (QueueShutdownException e) {
                            return; // shut down and empty
                        }
                        try {
                            results.add(fetch(job));
                        } finally {
                            queue.taskDone();
                        }
                    }
                });
            }
            for (String job : jobs) {
                queue.put(job);
            }
            queue.join();     // every job processed: await queue.join()
            queue.shutdown(); // the workers' get() now throws: they return, the group closes
            return null;
        });
        return results;
    }
    // @end region="work-queue"
    // end::work-queue[]

    // tag::event[]
    // @start region="event"
    static String waitForReady() throws InterruptedException {
        Event ready = new Event(); // asyncio.Event()
        return TaskGroup.run(group -> {
            Task<String> client = group.spawn("client", () -> {
                ready.await(); // or await(Duration) for a bounded wait
                return fetch("after-ready");
            });
            group.launch("server", () -> {
                fetch("warm-up");
                ready.set(); // wakes every waiter
            });
            return client.join();
        });
    }
    // @end region="event"
    // end::event[]

    // tag::offload[]
    // @start region="offload"
    static long checksum(byte[] data) throws InterruptedException {
        // asyncio.to_thread / run_in_executor: CPU-bound work leaves the virtual-thread carriers
        return Weft.offload(() -> {
            long h = 1125899906842597L;
            for (byte b : data) {
                h = 31 * h + b;
            }
            return h;
        });
    }
    // @end region="offload"
    // end::offload[]

    // tag::jdk-structured-task-scope[]
    // @start region="jdk-structured-task-scope"
    static Dashboard dashboardWithStructuredTaskScope() throws InterruptedException {
        // JDK 25 preview API (JEP 505): compile and run with --enable-preview
        try (var scope = StructuredTaskScope.open()) {
            Subtask<String> user = scope.fork(() -> fetch("user"));
            Subtask<String> orders = scope.fork(() -> fetch("orders"));
            scope.join(); // throws StructuredTaskScope.FailedException if a subtask failed
            return new Dashboard(user.get(), orders.get());
        }
    }
    // @end region="jdk-structured-task-scope"
    // end::jdk-structured-task-scope[]

    // tag::jdk-executor[]
    // @start region="jdk-executor"
    static Dashboard dashboardWithExecutor() throws InterruptedException, ExecutionException {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> user = pool.submit(() -> fetch("user"));
            Future<String> orders = pool.submit(() -> fetch("orders"));
            // a failure of one does not cancel the other; close() waits for both
            return new Dashboard(user.get(), orders.get());
        }
    }
    // @end region="jdk-executor"
    // end::jdk-executor[]
}
