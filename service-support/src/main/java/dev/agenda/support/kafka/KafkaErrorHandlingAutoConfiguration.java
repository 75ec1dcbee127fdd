package dev.agenda.support.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.avro.generic.GenericContainer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.support.serializer.DelegatingByTypeSerializer;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.util.backoff.ExponentialBackOff;
import org.springframework.util.backoff.FixedBackOff;

import dev.agenda.schemas.Topics;
import dev.agenda.schemas.serde.ConfluentAvroSerializer;
import dev.agenda.schemas.serde.SchemaRegistryException;
import dev.agenda.schemas.serde.SerdeConfig;
import dev.agenda.support.mongo.DatabaseOutages;

/**
 * Listener errors: retried with exponential backoff, then the record goes to {@code <topic>-dlt} on the same
 * partition, with spring-kafka's exception headers, and the partition moves on. Records that cannot be deserialized
 * (the {@code ErrorHandlingDeserializer} wraps the failure) are not retried: they would fail the same way forever.
 * Records that fail because MongoDB is unreachable ({@link DatabaseOutages}), or because the schema registry their
 * schema must be fetched from is ({@link SchemaRegistryException#isRegistryUnavailable}: a consumer started during a
 * registry outage has no schema cached), are never dead-lettered: they are retried with a back-off that does not end
 * until the outage does, and the recoverer refuses them should they reach it anyway.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration")
@ConditionalOnClass(DefaultErrorHandler.class)
@EnableConfigurationProperties({AgendaKafkaProperties.class, KafkaProperties.class})
public class KafkaErrorHandlingAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KafkaErrorHandlingAutoConfiguration.class);
    /** The longest wait between two tries of a record kept during a database outage. */
    static final Duration OUTAGE_MAX_INTERVAL = Duration.ofSeconds(30);
    /** How long a record is retried during a registry outage before the recoverer looks at its failure again. */
    static final Duration REGISTRY_OUTAGE_ROUND = Duration.ofMinutes(2);

    // Not a default candidate: a plain KafkaTemplate bean would make Boot back off its own template (the one with
    // the service's serializers and observation), and every KafkaTemplate injection would get this one instead.
    @Bean(defaultCandidate = false)
    @ConditionalOnMissingBean(name = "deadLetterTemplate")
    KafkaTemplate<Object, Object> deadLetterTemplate(KafkaProperties kafka) {
        Map<String, Object> config = new LinkedHashMap<>(kafka.buildProducerProperties());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        Map<Class<?>, Serializer<?>> byType = new LinkedHashMap<>();
        byType.put(byte[].class, new ByteArraySerializer());
        byType.put(String.class, new StringSerializer());
        if (config.containsKey(SerdeConfig.SCHEMA_REGISTRY_URL)) {
            // A record that deserialized fine but failed in the listener is re-serialized as it came.
            byType.put(GenericContainer.class, new ConfluentAvroSerializer<>());
        }
        DelegatingByTypeSerializer values = new DelegatingByTypeSerializer(byType, true);
        values.configure(config, false);
        DelegatingByTypeSerializer keys = new DelegatingByTypeSerializer(byType, true);
        keys.configure(config, true);
        DefaultKafkaProducerFactory<Object, Object> factory = new DefaultKafkaProducerFactory<>(config, keys, values);
        KafkaTemplate<Object, Object> template = new KafkaTemplate<>(factory);
        // Observed like the service's own templates: a dead-lettered record keeps its trace, and the template's
        // metrics share one set of tags (Prometheus refuses a second set under the same meter name).
        template.setObservationEnabled(kafka.getTemplate().isObservationEnabled());
        return template;
    }

    @Bean
    @ConditionalOnMissingBean(CommonErrorHandler.class)
    DefaultErrorHandler kafkaErrorHandler(@Qualifier("deadLetterTemplate") KafkaTemplate<Object, Object> deadLetterTemplate,
            AgendaKafkaProperties retry) {
        DeadLetterPublishingRecoverer recoverer = deadLetterRecoverer(deadLetterTemplate);
        ExponentialBackOff backOff = new ExponentialBackOff(retry.initialInterval().toMillis(), retry.multiplier());
        backOff.setMaxInterval(retry.maxInterval().toMillis());
        // At least one retry here even for max-attempts 1: a default back-off that stops at once makes spring-kafka
        // skip the back-off function below (straight to the recoverer), so an outage would be refused and tried again
        // without a pause, in a loop. The function ends a failing record's tries at once when max-attempts is 1.
        backOff.setMaxAttempts(Math.max(1, retry.maxAttempts() - 1));
        boolean noRetry = retry.maxAttempts() == 1;
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        // A record failing for an outage (its database, or the schema registry it needs to be read) gets a back-off
        // with no end (doubling up to half a minute; for the registry, in rounds, see below), chosen when it first
        // fails: it is retried quietly until the outage ends, instead of going through the few quick retries of a
        // poison record and being refused by the recoverer at every round (each refusal logged at ERROR by
        // spring-kafka). Should the failure change (the
        // outage is over, the record is bad after all), the record starts over with its usual back-off. A record
        // that cannot be deserialized for another reason is not retried: it would fail the same way forever (not
        // classified as not retryable, which would keep it from this function when the registry is down).
        handler.removeClassification(DeserializationException.class); // fatal by default, see above
        handler.setBackOffFunction((record, exception) -> {
            if (!isOutage(exception)) {
                return noRetry || causedBy(exception, DeserializationException.class) ? new FixedBackOff(0, 0) : null;
            }
            log.warn("Record {}-{}@{} (key {}) kept: {} ({}); retried until it is back", record.topic(),
                    record.partition(), record.offset(), record.key(), outage(exception), outageCause(exception));
            ExponentialBackOff untilBack = new ExponentialBackOff(retry.initialInterval().toMillis(), 2.0);
            untilBack.setMaxInterval(OUTAGE_MAX_INTERVAL.toMillis());
            if (!DatabaseOutages.isUnavailable(exception)) {
                // Rounds of a few minutes, each ended by the recoverer's refusal while the registry is down: every
                // failure to deserialize is the same exception type, so a bad record met during the outage would
                // otherwise keep the outage's endless back-off once the registry says it is bad.
                untilBack.setMaxElapsedTime(REGISTRY_OUTAGE_ROUND.toMillis());
            }
            return untilBack;
        });
        return handler;
    }

    /**
     * Sends a record that exhausted its retries to {@code <topic>-dlt}, and says so at ERROR with the cause first:
     * spring-kafka logs nothing when a recoverer takes the record, so an event that never reached the site (one
     * character its Atom writer refused) left only INFO "Record in retry" lines behind, and no operator could tell
     * a dead-lettered record from a slow one. The value is not logged (it may be large); topic, partition, offset
     * and key find it in the dead-letter topic, whose headers carry the full stack trace.
     */
    static DeadLetterPublishingRecoverer deadLetterRecoverer(KafkaTemplate<Object, Object> template) {
        return new DeadLetterPublishingRecoverer(template,
                (record, exception) -> new TopicPartition(record.topic() + Topics.DEAD_LETTER_SUFFIX, record.partition())) {
            @Override
            public void accept(ConsumerRecord<?, ?> record, Consumer<?, ?> consumer, Exception exception) {
                if (isOutage(exception)) {
                    // Not a poison record: it fails only because its database or the registry is down. Refusing it
                    // makes the error handler seek back and try it again (and again) until the outage ends. Records
                    // take the back-off above instead; a batch listener's whole-batch retries end here.
                    log.warn("Record {}-{}@{} (key {}) kept, not dead-lettered: {} ({}); retried until it is back",
                            record.topic(), record.partition(), record.offset(), record.key(), outage(exception),
                            outageCause(exception));
                    throw new KafkaException(outage(exception) + ": record kept for another try", exception);
                }
                log.error("Record {}-{}@{} (key {}) failed and goes to {}{}: {}", record.topic(), record.partition(),
                        record.offset(), record.key(), record.topic(), Topics.DEAD_LETTER_SUFFIX,
                        rootMessage(exception), exception);
                super.accept(record, consumer, exception);
            }
        };
    }

    /** A failure that retrying fixes once the service's database, or the schema registry, answers again. */
    static boolean isOutage(Throwable exception) {
        return DatabaseOutages.isUnavailable(exception) || SchemaRegistryException.isRegistryUnavailable(exception);
    }

    private static boolean causedBy(Throwable exception, Class<? extends Throwable> type) {
        return firstCause(exception, type, any -> true) != null;
    }

    /** The first of {@code exception} and its causes that is a {@code type} and {@code which} accepts, or null. */
    private static <T extends Throwable> T firstCause(Throwable exception, Class<T> type,
            java.util.function.Predicate<T> which) {
        for (Throwable t = exception; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t) && which.test(type.cast(t))) {
                return type.cast(t);
            }
        }
        return null;
    }

    private static String outage(Throwable exception) {
        return DatabaseOutages.isUnavailable(exception) ? "the database is unavailable"
                : "the schema registry is unavailable";
    }

    /** The registry's own words (which registry, what failed) rather than the socket's bare exception under them. */
    private static String outageCause(Throwable exception) {
        SchemaRegistryException registry = firstCause(exception, SchemaRegistryException.class,
                SchemaRegistryException::unavailable);
        return registry != null ? registry.getMessage() : rootMessage(exception);
    }

    private static String rootMessage(Throwable exception) {
        Throwable root = exception;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getName() + ": " + root.getMessage();
    }
}
