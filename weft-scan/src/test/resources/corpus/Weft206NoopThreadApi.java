package corpus;

class Weft206NoopThreadApi {
    void flagged(Runnable r) {
        Thread t = Thread.ofVirtual().unstarted(r);
        t.setPriority(Thread.MAX_PRIORITY); // expect: WEFT206
        t.setDaemon(false); // expect: WEFT206
        Thread v = Thread.startVirtualThread(() -> {
            Thread.currentThread().setPriority(Thread.MIN_PRIORITY); // expect: WEFT206
            ThreadGroup g = Thread.currentThread().getThreadGroup(); // expect: WEFT206
        });
    }

    // ---- look-alikes ----
    void notFlagged(Runnable r) {
        Thread p = new Thread(r);
        p.setPriority(Thread.MAX_PRIORITY);
        p.setDaemon(true);
        Thread.currentThread().setPriority(Thread.NORM_PRIORITY);
        Thread q = Thread.ofPlatform().unstarted(r);
        q.setDaemon(false);
    }
}
