package dev.weft;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** A child process for {@link WeftRunSignalTest}: waits in Weft.run until a signal cancels it. */
public final class SignalMain {
    private SignalMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean stubborn = args.length > 0 && args[0].equals("stubborn");
        AtomicInteger cancelled = new AtomicInteger();
        if (args.length > 0 && args[0].equals("plain")) {
            try {
                Weft.run(() -> {
                    System.out.println("ready");
                    System.out.flush();
                    new java.util.concurrent.CountDownLatch(1).await(); // a JDK wait, outside any group
                    return null;
                });
            } catch (InterruptedException e) {
                System.out.println("cancelled cleanly: main interrupted; " + e.getMessage());
                System.exit(130);
            }
            return;
        }
        try {
            Weft.run(() -> TaskGroup.run(g -> {
                for (int i = 0; i < 10; i++) {
                    g.spawn(() -> {
                        try {
                            Weft.sleep(Duration.ofHours(1));
                        } catch (InterruptedException e) {
                            cancelled.incrementAndGet();
                            throw e;
                        }
                        return null;
                    });
                }
                if (stubborn) {
                    g.spawn(() -> {
                        try {
                            Weft.sleep(Duration.ofHours(1));
                        } catch (InterruptedException e) {
                            // tells the test the first signal was handled: a second kill sent before
                            // that may merge with the first one in the kernel (signals are not queued)
                            System.out.println("first signal handled");
                            System.out.flush();
                            throw e;
                        }
                        return null;
                    });
                    Weft.shield(() -> {
                        System.out.println("ready");
                        System.out.flush();
                        new java.util.concurrent.CountDownLatch(1).await(); // ignores the first signal
                        return null;
                    });
                }
                System.out.println("ready");
                System.out.flush();
                Weft.sleep(Duration.ofHours(1));
                return null;
            }));
            System.out.println("finished normally");
        } catch (InterruptedException e) {
            System.out.println("cancelled cleanly: " + cancelled.get() + " tasks cancelled; " + e.getMessage());
            System.exit(130);
        }
    }
}
