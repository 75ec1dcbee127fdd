package dev.agenda.support.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.kafka.support.TopicPartitionOffset;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;
import org.springframework.kafka.listener.MessageListenerContainer;

import com.mongodb.MongoTimeoutException;

/**
 * A record that fails because the service's database is unreachable is not a poison record: dead-lettered after the
 * few quick retries meant for bad records, it was lost to the service (an event never on the site, a delivery never
 * sent) whenever MongoDB was down for more than about two minutes. It is retried until the database is back; a
 * record that fails for any other reason still goes to the dead-letter topic.
 */
class DatabaseOutageIsNotPoisonTest {

    private final DeadLetterRig rig = new DeadLetterRig();
    private final MockProducer<Object, Object> producer = rig.producer;
    private final DefaultErrorHandler handler = rig.handler;


    @Test
    void aRecordListenerMeetingAnUnreachableDatabaseKeepsItsRecordPastEveryRetry() {
        ConsumerRecord<Object, Object> record = new ConsumerRecord<>("agenda.events", 0, 7, "event-7", "value");
        Exception failure = new ListenerExecutionFailedException("Listener method threw exception",
                new DataAccessResourceFailureException("Timed out while waiting for a server",
                        new MongoTimeoutException("Timed out while waiting for a server")));

        for (int delivery = 1; delivery <= 10; delivery++) {
            assertThat(handler.handleOne(failure, record, mock(Consumer.class), mock(MessageListenerContainer.class)))
                    .as("delivery %d handed back for another try", delivery).isFalse();
        }
        assertThat(producer.history()).isEmpty();
        // One run of tries that does not end (the outage's back-off), not poison-record rounds refused by the
        // recoverer and started over, each logged at ERROR by spring-kafka.
        assertThat(handler.deliveryAttempt(new TopicPartitionOffset("agenda.events", 0, 7L))).isEqualTo(11);

        Exception poison = new ListenerExecutionFailedException("Listener method threw exception",
                new IllegalArgumentException("0x0000 is not a legal XML character"));
        boolean recovered = false;
        for (int delivery = 1; delivery <= 3 && !recovered; delivery++) {
            recovered = handler.handleOne(poison, record, mock(Consumer.class), mock(MessageListenerContainer.class));
        }
        assertThat(recovered).isTrue();
        assertThat(producer.history()).singleElement()
                .satisfies(sent -> assertThat(sent.topic()).isEqualTo("agenda.events-dlt"));
    }

    @Test
    void withoutRetriesAnOutageStillWaitsAndAPoisonRecordGoesAtItsFirstFailure() {
        DeadLetterRig noRetry = new DeadLetterRig(1);
        ConsumerRecord<Object, Object> record = new ConsumerRecord<>("agenda.events", 0, 8, "event-8", "value");
        Exception outage = new ListenerExecutionFailedException("Listener method threw exception",
                new DataAccessResourceFailureException("Timed out while waiting for a server"));

        for (int delivery = 1; delivery <= 5; delivery++) {
            assertThat(noRetry.handler.handleOne(outage, record, mock(Consumer.class),
                    mock(MessageListenerContainer.class))).as("delivery %d", delivery).isFalse();
        }
        // The outage's back-off: one run of tries, not the recoverer refusing it at every delivery (a busy loop).
        assertThat(noRetry.handler.deliveryAttempt(new TopicPartitionOffset("agenda.events", 0, 8L))).isEqualTo(6);
        assertThat(noRetry.producer.history()).isEmpty();

        ConsumerRecord<Object, Object> bad = new ConsumerRecord<>("agenda.events", 0, 9, "event-9", "value");
        Exception poison = new ListenerExecutionFailedException("Listener method threw exception",
                new IllegalArgumentException("0x0000 is not a legal XML character"));
        assertThat(noRetry.handler.handleOne(poison, bad, mock(Consumer.class), mock(MessageListenerContainer.class)))
                .isTrue();
        assertThat(noRetry.producer.history()).singleElement()
                .satisfies(sent -> assertThat(sent.topic()).isEqualTo("agenda.events-dlt"));
    }

    @Test
    void aBatchListenerMeetingAnUnreachableDatabaseKeepsItsBatchPastEveryRetry() {
        TopicPartition partition = new TopicPartition("agenda.deliveries", 0);
        List<ConsumerRecord<Object, Object>> records = List.of(
                new ConsumerRecord<>("agenda.deliveries", 0, 10, "s1", "order-1"),
                new ConsumerRecord<>("agenda.deliveries", 0, 11, "s2", "order-2"));
        ConsumerRecords<Object, Object> batch = new ConsumerRecords<>(Map.of(partition, records),
                Map.<TopicPartition, OffsetAndMetadata>of());
        RuntimeException failure = new ListenerExecutionFailedException("Listener method threw exception",
                new DataAccessResourceFailureException("Timed out while waiting for a server"));
        AtomicInteger retries = new AtomicInteger();
        Consumer<?, ?> consumer = mock(Consumer.class);
        MessageListenerContainer container = mock(MessageListenerContainer.class);
        org.mockito.Mockito.when(container.isRunning()).thenReturn(true);

        // The batch is tried again, with no end, until the database answers (here at the fifth try), instead of
        // being recovered after the few quick tries of a poison batch.
        handler.handleBatch(failure, batch, consumer, container, () -> {
            if (retries.incrementAndGet() < 5) {
                throw failure;
            }
        });

        assertThat(retries.get()).isEqualTo(5);
        assertThat(producer.history()).isEmpty();
    }
}
