package dev.weft.micrometer;

import dev.weft.resilience.RetryBudget;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;

/**
 * A {@link RetryBudget}'s remaining retries ({@code weft.retry.budget.available}), tagged
 * {@code name}. Give-ups because the budget was spent are counted by {@link ResilienceMetrics}
 * ({@code weft.retry.giveups}, {@code reason=budget_spent}).
 *
 * {@snippet :
 * RetryBudget budget = RetryBudget.defaults();
 * new RetryBudgetMetrics(budget, "api").bindTo(registry);
 * }
 */
public final class RetryBudgetMetrics implements MeterBinder {
    private final RetryBudget budget;
    private final Tags tags;

    /**
     * Metrics for {@code budget}, tagged {@code name=name}.
     *
     * @param budget the budget
     * @param name its name in the tag {@code name} (budgets have no name of their own)
     * @throws NullPointerException if {@code budget} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public RetryBudgetMetrics(RetryBudget budget, String name) {
        this(budget, name, Tags.empty());
    }

    /**
     * Metrics for {@code budget}, tagged {@code name=name} and {@code tags}.
     *
     * @param budget the budget
     * @param name its name in the tag {@code name}
     * @param tags more tags for every meter
     * @throws NullPointerException if {@code budget} or {@code tags} is null
     * @throws IllegalArgumentException if {@code name} is null or blank
     */
    public RetryBudgetMetrics(RetryBudget budget, String name, Iterable<Tag> tags) {
        this.budget = Objects.requireNonNull(budget, "budget");
        this.tags = Names.tags("retry budget", name, tags);
    }

    /**
     * Registers the meters.
     *
     * @param registry the registry to register them with
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("weft.retry.budget.available", budget, RetryBudget::available).tags(tags)
                .description("Retries the budget would allow now").register(registry);
    }
}
