package dev.agenda.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.mock.MockProducerFactory;

/**
 * A record that exhausts its retries is dead-lettered, and an operator must learn it from the log: spring-kafka
 * says nothing when a recoverer takes the record, so a publishing-service event refused by its Atom writer used to
 * vanish behind INFO lines.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeadLetterLoggingTest {

    @Test
    void aDeadLetteredRecordIsLoggedAtErrorWithWhereItWasAndWhy(CapturedOutput output) {
        Node node = new Node(0, "localhost", 9092);
        Cluster cluster = new Cluster("test", List.of(node),
                List.of(new PartitionInfo("agenda.events-dlt", 1, node, new Node[] {node}, new Node[] {node})),
                Set.of(), Set.of());
        Serializer<Object> text = (topic, value) -> String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        MockProducer<Object, Object> producer = new MockProducer<>(cluster, true, null, text, text);
        KafkaTemplate<Object, Object> template = new KafkaTemplate<>(new MockProducerFactory<>(() -> producer));
        DefaultErrorHandler handler = new KafkaErrorHandlingAutoConfiguration().kafkaErrorHandler(template,
                new AgendaKafkaProperties(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 1));

        ConsumerRecord<Object, Object> record = new ConsumerRecord<>("agenda.events", 1, 35, "event-42", "value");
        Exception failure = new ListenerExecutionFailedException("Listener method threw exception",
                new IllegalArgumentException("0x0000 is not a legal XML character"));
        boolean recovered = handler.handleOne(failure, record, mock(Consumer.class),
                mock(MessageListenerContainer.class));

        assertThat(recovered).isTrue();
        assertThat(producer.history()).singleElement()
                .satisfies(sent -> assertThat(sent.topic()).isEqualTo("agenda.events-dlt"));
        // One line, at ERROR, whatever the console format (plain, or JSON when another test switched it on).
        assertThat(output.getOut().lines().filter(line -> line.contains("Record agenda.events-1@35 (key event-42) "
                + "failed and goes to agenda.events-dlt: java.lang.IllegalArgumentException: 0x0000 is not a legal "
                + "XML character"))).singleElement().asString().contains("ERROR");
    }
}
