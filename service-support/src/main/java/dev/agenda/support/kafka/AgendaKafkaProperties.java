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
}
