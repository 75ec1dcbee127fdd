package dev.agenda.events.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.agenda.infra.LocalInfrastructure;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;
import dev.agenda.schemas.serde.ConfluentAvroDeserializer;
import dev.agenda.schemas.serde.SerdeConfig;

/**
 * A plain KafkaConsumer with our Confluent-wire deserializer reading {@code agenda.events} from the beginning in a
 * background thread, collecting every value (null = tombstone) per key, in arrival order.
 */
public final class EventsTopicReader implements AutoCloseable {

    private final Map<String, List<EventPublished>> byKey = new ConcurrentHashMap<>();
    private final Map<String, List<String>> traceParents = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public EventsTopicReader() {
        this(LocalInfrastructure.shared().kafka().bootstrapServers(),
                LocalInfrastructure.shared().registry().confluentApiUrl());
    }

    public EventsTopicReader(String bootstrapServers, String schemaRegistryUrl) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ConfluentAvroDeserializer.class.getName());
        p.put(SerdeConfig.SCHEMA_REGISTRY_URL, schemaRegistryUrl);
        p.put(SerdeConfig.SPECIFIC_AVRO_READER, "true");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        KafkaConsumer<String, EventPublished> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < Topics.EVENTS.partitions(); i++) {
            partitions.add(new TopicPartition(Topics.EVENTS.name(), i));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        thread = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<String, EventPublished> r : consumer.poll(Duration.ofMillis(200))) {
                        byKey.computeIfAbsent(r.key(), k -> new CopyOnWriteArrayList<>()).add(r.value());
                        Header traceParent = r.headers().lastHeader("traceparent");
                        traceParents.computeIfAbsent(r.key(), k -> new CopyOnWriteArrayList<>()).add(
                                traceParent == null ? "" : new String(traceParent.value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }, "events-topic-reader");
        thread.setDaemon(true);
        thread.start();
    }

    /** Every value received for this key so far, in order (null for a tombstone). */
    public List<EventPublished> values(String eventId) {
        return new ArrayList<>(byKey.getOrDefault(eventId, List.of()));
    }

    /** The W3C traceparent header of every record received for this key, in order ("" when absent). */
    public List<String> traceParents(String eventId) {
        return new ArrayList<>(traceParents.getOrDefault(eventId, List.of()));
    }

    /** Revisions received for this key, -1 standing for a tombstone. */
    public List<Long> revisions(String eventId) {
        return values(eventId).stream().map(v -> v == null ? -1L : v.getRevision()).toList();
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
