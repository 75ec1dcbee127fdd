package dev.agenda.publishing.messaging;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.stereotype.Component;

import dev.agenda.publishing.event.EventChange;
import dev.agenda.publishing.site.EventLog;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;
import dev.agenda.schemas.serde.ConfluentAvroDeserializer;
import dev.agenda.schemas.serde.SchemaRegistryException;

/**
 * Reads {@code agenda.events} from offset 0 with a consumer of its own: no group, nothing committed, so the live
 * listener's position is untouched. Records that cannot be read are skipped here: the live listener has already
 * dead-lettered them. A schema registry that cannot be reached stops the replay instead (the rebuild fails, the site
 * served stays): its records are not bad, and skipping them all would swap an empty site in.
 */
@Component
class KafkaEventLog implements EventLog {

    private static final Logger log = LoggerFactory.getLogger(KafkaEventLog.class);

    private final KafkaProperties kafka;

    KafkaEventLog(KafkaProperties kafka) {
        this.kafka = kafka;
    }

    @Override
    public Replay replay() {
        Map<String, Object> config = new HashMap<>(kafka.buildConsumerProperties());
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
        config.put("specific.avro.reader", true);
        ConfluentAvroDeserializer<EventPublished> values = new ConfluentAvroDeserializer<>();
        values.configure(config, false);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVENTS.name(), Duration.ofSeconds(30))
                .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return new KafkaReplay(consumer, values, partitions);
    }

    private record KafkaReplay(KafkaConsumer<String, byte[]> consumer, ConfluentAvroDeserializer<EventPublished> values,
            List<TopicPartition> partitions) implements Replay {

        @Override
        public void readToEnd(Consumer<EventChange> sink) {
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            while (partitions.stream().anyMatch(p -> consumer.position(p, Duration.ofSeconds(30)) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    EventChange change;
                    try {
                        EventPublished value = record.value() == null ? null
                                : values.deserialize(record.topic(), record.headers(), record.value());
                        change = EventMessages.toChange(record.key(), value, record.timestamp());
                    } catch (RuntimeException unreadable) {
                        if (SchemaRegistryException.isRegistryUnavailable(unreadable)) {
                            // Not a bad record: every record would be skipped, and an empty site swapped in.
                            throw new IllegalStateException("The schema registry is unavailable: record "
                                    + record.topic() + "-" + record.partition() + "@" + record.offset()
                                    + " cannot be read; the rebuild stops and the site served stays", unreadable);
                        }
                        log.warn("Rebuild skips unreadable record {}-{}@{}: {}", record.topic(), record.partition(),
                                record.offset(), unreadable.toString());
                        continue;
                    }
                    sink.accept(change);
                }
            }
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }
}
