package dev.agenda.support.kafka;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.Serializer;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.mock.MockProducerFactory;

/**
 * The services' error handler, with quick retries (1 ms, 3 attempts unless told), dead-lettering into a producer in memory whose
 * history says what reached {@code agenda.events-dlt}.
 */
final class DeadLetterRig {

    final MockProducer<Object, Object> producer;
    final DefaultErrorHandler handler;

    DeadLetterRig() {
        this(3);
    }

    /** {@code maxAttempts}: agenda.kafka.retry.max-attempts (1 = no retry). */
    DeadLetterRig(int maxAttempts) {
        Node node = new Node(0, "localhost", 9092);
        Cluster cluster = new Cluster("test", List.of(node),
                List.of(new PartitionInfo("agenda.events-dlt", 0, node, new Node[] {node}, new Node[] {node})),
                Set.of(), Set.of());
        Serializer<Object> text = (topic, value) -> String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        producer = new MockProducer<>(cluster, true, null, text, text);
        handler = new KafkaErrorHandlingAutoConfiguration().kafkaErrorHandler(
                new KafkaTemplate<>(new MockProducerFactory<>(() -> producer)),
                new AgendaKafkaProperties(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), maxAttempts));
    }
}
