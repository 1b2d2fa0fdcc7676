package dev.weft;

import java.time.Duration;

/** A child JVM for {@link WeftMainTest}: a main that is the recommended one-liner. */
public final class WeftMainProgram {
    private WeftMainProgram() {
    }

    public static void main(String[] args) {
        Weft.main(args, WeftMainProgram::run);
    }

    static void run(String[] args) throws Exception {
        switch (args.length == 0 ? "wait" : args[0]) {
            case "ok" -> System.out.println("done");
            case "fail" -> throw new IllegalStateException("the program failed on purpose");
            default -> TaskGroup.run(g -> {
                for (int i = 0; i < 3; i++) {
                    g.launch(() -> Weft.sleep(Duration.ofHours(1)));
                }
                System.out.println("ready");
                System.out.flush();
                Weft.sleep(Duration.ofHours(1));
                return null;
            });
        }
    }
}
