package dev.weft.cli;

import dev.weft.CancelScope;
import dev.weft.Limiter;
import dev.weft.Outcome;
import dev.weft.Task;
import dev.weft.TaskGroup;
import dev.weft.Weft;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * The child JVM of {@link TasksCommandTest}: a three-level Weft program (root, group 'service',
 * tasks, a nested group 'workers', a Limiter wait, a sleep under a deadline). Prints READY once every
 * task waits; when 'sleeper' is cancelled from outside it prints that, cancels the rest, and exits.
 */
public final class TasksTarget {
    private TasksTarget() {
    }

    public static void main(String[] args) throws Exception {
        Limiter limiter = Limiter.of(1);
        CountDownLatch holding = new CountDownLatch(1);
        String said = Weft.run(() -> TaskGroup.run(service -> {
            Task<?> sleeper = service.spawn("sleeper", () -> CancelScope.after(Duration.ofHours(2)).call(() -> {
                Weft.sleep(Duration.ofHours(1));
                return null;
            }));
            service.spawn("workers-owner", () -> {
                try (TaskGroup workers = TaskGroup.open("workers")) {
                    workers.spawn("holder", () -> {
                        try (var p = limiter.acquire()) {
                            holding.countDown();
                            Weft.sleep(Duration.ofHours(1));
                        }
                        return null;
                    });
                    workers.spawn("waiter", () -> {
                        holding.await();
                        try (var p = limiter.acquire()) {
                            return null;
                        }
                    });
                }
                return null;
            });
            holding.await();
            while (limiter.waiting() == 0) {
                Weft.sleep(Duration.ofMillis(5));
            }
            System.out.println("READY");
            System.out.flush();
            Outcome<?> o = sleeper.outcome();
            service.cancel();
            return "sleeper ended " + (o instanceof Outcome.Cancelled<?> ? "cancelled" : o.toString());
        }));
        System.out.println(said);
    }
}
