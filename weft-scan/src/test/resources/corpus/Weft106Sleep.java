package corpus;

import static java.lang.Thread.sleep;
import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;

class Weft106Sleep {
    void flagged(CompletableFuture<String> cf, List<Integer> xs) {
        cf.thenRun(() -> {
            try {
                Thread.sleep(100); // expect: WEFT106
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        cf.thenRun(() -> {
            try {
                sleep(10); // expect: WEFT106
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        xs.parallelStream().forEach(x -> {
            try {
                TimeUnit.SECONDS.sleep(1); // expect: WEFT106
                MILLISECONDS.sleep(1); // expect: WEFT106
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        cf.thenApplyAsync(s -> pause(s), ForkJoinPool.commonPool());
    }

    private String pause(String s) {
        try {
            Thread.sleep(5); // expect: WEFT106
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return s;
    }

    // ---- look-alikes ----
    static final class Sleeper {
        void sleep(long ms) {
        }
    }

    void notFlagged(CompletableFuture<String> cf, List<Integer> xs, Sleeper sleeper) throws Exception {
        Thread.sleep(10);
        cf.thenRun(() -> sleeper.sleep(10));
        xs.stream().forEach(x -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        xs.parallelStream().sequential().forEach(x -> {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        cf.thenRun(() -> {
            try {
                ForkJoinPool.managedBlock(new ForkJoinPool.ManagedBlocker() {
                    @Override
                    public boolean block() throws InterruptedException {
                        Thread.sleep(1);
                        return true;
                    }

                    @Override
                    public boolean isReleasable() {
                        return false;
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
