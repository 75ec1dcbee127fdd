package dev.agenda.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.net.ConnectException;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.serializer.DeserializationException;

import dev.agenda.schemas.serde.SchemaRegistryException;

/**
 * A consumer started while the schema registry is down has no schema cached, so it cannot read even a good record:
 * dead-lettered as undeserializable, that record was lost (an event never on the site, an announcement never sent).
 * It is kept until the registry answers; a record the registry says is bad (an unknown schema id) still goes to the
 * dead-letter topic at once, even when it was first met during the outage.
 */
class RegistryOutageIsNotPoisonTest {

    private final DeadLetterRig rig = new DeadLetterRig();
    private final MockProducer<Object, Object> producer = rig.producer;
    private final DefaultErrorHandler handler = rig.handler;
    private final ConsumerRecord<Object, Object> record = new ConsumerRecord<>("agenda.events", 0, 7, "event-7",
            null);


    /** What the container hands the error handler when the ErrorHandlingDeserializer could not read the value. */
    private static Exception unreadable(int registryStatus) {
        SchemaRegistryException registry = new SchemaRegistryException("GET /schemas/ids/1 failed", registryStatus,
                registryStatus == -1 ? new ConnectException("Connection refused") : null);
        return new ListenerExecutionFailedException("Listener failed", new DeserializationException(
                "failed to deserialize", new byte[] {0, 0, 0, 0, 1}, false,
                new SerializationException("schema id 1 could not be fetched",
                        registry)));
    }

    private boolean deliver(Exception failure) {
        return handler.handleOne(failure, record, mock(Consumer.class), mock(MessageListenerContainer.class));
    }

    @Test
    void aRecordThatCannotBeReadWhileTheRegistryIsDownIsKeptNotDeadLettered() {
        // 401 and 403: the registry refuses this service's credentials (rotated there, not yet here).
        for (int status : new int[] {-1, 503, 401, 403}) {
            for (int delivery = 1; delivery <= 10; delivery++) {
                assertThat(deliver(unreadable(status))).as("status %d, delivery %d", status, delivery).isFalse();
            }
        }
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void aRecordTheRegistrySaysIsBadGoesToTheDeadLetterTopicAtOnce() {
        assertThat(deliver(unreadable(404))).isTrue();
        assertThat(producer.history()).singleElement()
                .satisfies(sent -> assertThat(sent.topic()).isEqualTo("agenda.events-dlt"));
    }

    @Test
    void aBadRecordFirstMetDuringTheOutageIsDeadLetteredOnceTheRegistryAnswers() {
        assertThat(deliver(unreadable(-1))).isFalse();
        // The registry is back and knows no such schema: same exception type, so the outage's round runs out first.
        boolean recovered = false;
        int deliveries = 0;
        while (!recovered && deliveries < 100) {
            recovered = deliver(unreadable(404));
            deliveries++;
        }
        assertThat(recovered).isTrue();
        assertThat(producer.history()).singleElement()
                .satisfies(sent -> assertThat(sent.topic()).isEqualTo("agenda.events-dlt"));
    }

    @Test
    void aBatchListenerNamingAnOrderUnreadableForARegistryOutageKeepsIt() {
        TopicPartition partition = new TopicPartition("agenda.events", 0);
        ConsumerRecord<Object, Object> first = new ConsumerRecord<>("agenda.events", 0, 6, "event-6", "order-6");
        MessageListenerContainer container = mock(MessageListenerContainer.class);
        when(container.getContainerProperties()).thenReturn(new ContainerProperties("agenda.events"));
        // As DeliveriesListener reports it: the index of the order it could not read, with the header's cause.
        Exception outage = new BatchListenerFailedException("undecodable delivery order",
                unreadable(-1).getCause(), 1);
        assertThatThrownBy(() -> handler.handleBatch(outage, batch(partition, first, record), mock(Consumer.class),
                container, () -> {
                })).hasMessageContaining("not yet recovered");
        assertThat(producer.history()).isEmpty();

        // Another order the registry says is bad: dead-lettered at once.
        ConsumerRecord<Object, Object> bad = new ConsumerRecord<>("agenda.events", 0, 8, "event-8", null);
        Exception unknownSchema = new BatchListenerFailedException("undecodable delivery order",
                unreadable(404).getCause(), 1);
        handler.handleBatch(unknownSchema, batch(partition, first, bad), mock(Consumer.class), container, () -> {
        });
        assertThat(producer.history()).singleElement()
                .satisfies(sent -> assertThat(sent.topic()).isEqualTo("agenda.events-dlt"));
    }

    @SafeVarargs
    private static ConsumerRecords<Object, Object> batch(TopicPartition partition,
            ConsumerRecord<Object, Object>... records) {
        return new ConsumerRecords<>(Map.of(partition, List.of(records)), Map.<TopicPartition, OffsetAndMetadata>of());
    }
}
