package dev.agenda.notification.subscription;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/** Subscriber counts per status, read from the store when metrics are scraped. */
@Component
class SubscriberMetrics implements MeterBinder {

    private final SubscriberStore store;

    SubscriberMetrics(SubscriberStore store) {
        this.store = store;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (SubscriberStatus status : SubscriberStatus.values()) {
            Gauge.builder("agenda.subscribers", store, s -> s.countsByStatus().getOrDefault(status, 0L))
                    .tag("status", status.name())
                    .description("Subscribers by status")
                    .register(registry);
        }
    }
}
