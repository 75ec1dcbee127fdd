package dev.agenda.support.kafka;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retry policy of the listeners before a record goes to its dead-letter topic.
 *
 * @param initialInterval first backoff
 * @param multiplier      backoff growth
 * @param maxInterval     longest single backoff
 * @param maxAttempts     deliveries before the record is dead-lettered (1 = no retry)
 */
@ConfigurationProperties("agenda.kafka.retry")
public record AgendaKafkaProperties(
        @DefaultValue("200ms") Duration initialInterval,
        @DefaultValue("2.0") double multiplier,
        @DefaultValue("5s") Duration maxInterval,
        @DefaultValue("4") int maxAttempts) {

    /** Checked at start-up: a policy that cannot work would dead-letter at once, or never, or retry without pause. */
    public AgendaKafkaProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("agenda.kafka.retry.max-attempts must be at least 1 (1 = no retry)");
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("agenda.kafka.retry.multiplier must be at least 1.0");
        }
        if (initialInterval == null || initialInterval.isNegative() || initialInterval.isZero()
                || maxInterval == null || maxInterval.compareTo(initialInterval) < 0) {
            throw new IllegalArgumentException("agenda.kafka.retry.initial-interval must be positive and "
                    + "max-interval at least as long");
        }
    }
}
