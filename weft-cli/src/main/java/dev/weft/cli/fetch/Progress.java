package dev.weft.cli.fetch;

import java.io.PrintStream;
import java.time.Duration;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a fetch: a live bar on a terminal, a plain line per interval otherwise (logs, CI),
 * or nothing. {@link #tick()} is called periodically by one task; {@link #close()} once at the end.
 */
public abstract class Progress implements AutoCloseable {
    /** For the three kinds below only ({@link #create} chooses one). */
    Progress() {
    }

    /** {@return how often {@link #tick()} should be called: 200 ms for the bar, 1 s for lines} */
    public abstract Duration interval();

    /** Shows the current counts. */
    public abstract void tick();

    /** Shows the final counts (the bar) and releases the terminal; nothing is printed after it. */
    @Override
    public abstract void close();

    /**
     * Chooses how progress is shown.
     *
     * @param mode {@code auto} (bar on a terminal, lines otherwise), {@code bar}, {@code lines} or {@code none}
     * @param total the number of URLs, or -1 if unknown (stdin)
     * @param stats the run's counters, read at each tick
     * @param err where the bar or the lines are printed (standard error: standard output may carry results)
     * @return a progress display of the chosen kind, not yet ticked
     * @throws IllegalArgumentException if {@code mode} is none of the four, with the accepted values
     */
    public static Progress create(String mode, long total, FetchStats stats, PrintStream err) {
        String m = mode;
        if (m.equals("auto")) {
            m = System.console() != null && System.console().isTerminal() ? "bar" : "lines";
        }
        return switch (m) {
            case "bar" -> new Bar(total, stats, err);
            case "lines" -> new Lines(total, stats, err);
            case "none" -> new None();
            default -> throw new IllegalArgumentException("--progress must be auto, bar, lines or none, got '" + mode + "'");
        };
    }

    static final class None extends Progress {
        @Override
        public Duration interval() {
            return Duration.ofDays(1);
        }

        @Override
        public void tick() {
        }

        @Override
        public void close() {
        }
    }

    static final class Lines extends Progress {
        private final long total;
        private final FetchStats stats;
        private final PrintStream err;

        Lines(long total, FetchStats stats, PrintStream err) {
            this.total = total;
            this.stats = stats;
            this.err = err;
        }

        @Override
        public Duration interval() {
            return Duration.ofSeconds(1);
        }

        @Override
        public void tick() {
            long done = stats.done() + stats.skipped();
            String of = total > 0 ? String.format("/%d (%d%%)", total, done * 100 / total) : "";
            err.printf("weft fetch: %d%s done, %d ok, %d failed, %.0f req/s%n", done, of, stats.ok(), stats.failed(), stats.rate());
        }

        @Override
        public void close() {
        }
    }

    static final class Bar extends Progress {
        private final ProgressBar bar;
        private final FetchStats stats;

        Bar(long total, FetchStats stats, PrintStream err) {
            this.stats = stats;
            this.bar = new ProgressBarBuilder().setTaskName("fetch").setInitialMax(total > 0 ? total : -1)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(err)).showSpeed().setUnit(" req", 1).build();
        }

        @Override
        public Duration interval() {
            return Duration.ofMillis(200);
        }

        @Override
        public void tick() {
            bar.stepTo(stats.done() + stats.skipped());
            bar.setExtraMessage(stats.failed() > 0 ? stats.failed() + " failed" : "");
        }

        @Override
        public void close() {
            tick();
            bar.close();
        }
    }
}
