package corpus;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

class Weft205ThreadLocal {
    private static final ThreadLocal<SimpleDateFormat> FMT =
            ThreadLocal.withInitial(() -> new SimpleDateFormat("yyyy-MM-dd"));
    private static final ThreadLocal<StringBuilder> BUF = new ThreadLocal<>() {
        @Override
        protected StringBuilder initialValue() {
            return new StringBuilder(1024);
        }
    };
    private static final ThreadLocal<String> REQUEST_ID = new ThreadLocal<>();

    void flagged(Date d, ExecutorService vexec) {
        Thread t = Thread.ofVirtual().start(() -> System.out.println(FMT.get().format(d))); // expect: WEFT205
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<String> f = ex.submit(this::render);
        }
    }

    private String render() {
        return BUF.get().append("x").toString(); // expect: WEFT205
    }

    // ---- look-alikes ----
    String notFlagged(Date d) {
        Thread t = Thread.ofVirtual().start(() -> System.out.println(REQUEST_ID.get()));
        return FMT.get().format(d);
    }
}
