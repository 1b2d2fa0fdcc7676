package ${package};

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counters and gauges, served by {@code GET /metrics} in the Prometheus text format (version 0.0.4),
 * so any scraper reads them. Counting costs one {@link LongAdder} increment; there is no library.
 * To use Micrometer instead, replace this class: the service only calls {@link #count}.
 */
public final class Metrics {
    private final Map<String, LongAdder> counters = new ConcurrentSkipListMap<>();
    private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();

    /**
     * Adds one to a counter, created at zero on first use.
     *
     * @param name the name with its labels in Prometheus syntax, such as {@code app_jobs_total{state="done"}}
     */
    public void count(String name) {
        counters.computeIfAbsent(name, n -> new LongAdder()).increment();
    }

    /**
     * A counter's value.
     *
     * @param name the name with its labels
     * @return the count, 0 if never counted
     */
    public long get(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    /**
     * Registers a gauge, read when the metrics are served.
     *
     * @param name the name with its labels
     * @param value reads the current value
     */
    public void gauge(String name, LongSupplier value) {
        gauges.put(name, value);
    }

    /**
     * Every counter and gauge in the Prometheus text format.
     *
     * @return the text, one metric a line
     */
    public String prometheusText() {
        StringBuilder sb = new StringBuilder();
        counters.forEach((name, value) -> sb.append(name).append(' ').append(value.sum()).append('\n'));
        new ConcurrentSkipListMap<>(gauges).forEach((name, value) -> sb.append(name).append(' ').append(value.getAsLong()).append('\n'));
        return sb.toString();
    }
}
