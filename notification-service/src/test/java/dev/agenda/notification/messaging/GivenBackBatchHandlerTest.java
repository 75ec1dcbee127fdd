package dev.agenda.notification.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;

import dev.agenda.notification.delivery.DeliveriesGivenBack;

/**
 * The delivery batches' error handler around the shared one (retries, then dead letters), driven as the listener
 * container drives it: a batch that failed, the listener to call again, a consumer whose position is past the batch.
 * What the container does next depends on how the handler ends: returning, it acknowledges the whole batch; throwing,
 * it acknowledges nothing.
 */
class GivenBackBatchHandlerTest {

    private static final TopicPartition PARTITION = new TopicPartition("agenda.deliveries", 3);

    private final List<ConsumerRecord<?, ?>> deadLettered = new ArrayList<>();
    /** One retry, at once: the listener's second call is the last one before the recoverer. */
    private final DefaultErrorHandler shared = new DefaultErrorHandler((record, e) -> deadLettered.add(record),
            new FixedBackOff(0, 1));
    private final GivenBackBatchHandler handler = new GivenBackBatchHandler(shared);
    private final MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final MessageListenerContainer container = mock(MessageListenerContainer.class);
    private ConsumerRecords<String, String> batch;

    @BeforeEach
    void aBatchPolled() {
        when(container.isRunning()).thenAnswer(i -> running.get());
        consumer.assign(List.of(PARTITION));
        consumer.updateBeginningOffsets(Map.of(PARTITION, 0L));
        consumer.seek(PARTITION, 5);
        for (long offset = 5; offset < 8; offset++) {
            consumer.addRecord(new ConsumerRecord<>(PARTITION.topic(), PARTITION.partition(), offset, "k", "order"));
        }
        batch = consumer.poll(java.time.Duration.ZERO);
        assertThat(batch.count()).isEqualTo(3);
        assertThat(consumer.position(PARTITION)).isEqualTo(8);
    }

    @Test
    void aBatchTheStopCutsShortIsNeitherDeadLetteredNorAcknowledged() {
        Throwable thrown = catchThrowable(() -> handler.handleBatch(givenBack(3), batch, consumer, container,
                () -> { throw new AssertionError("a batch given back is not retried"); }));

        assertThat(thrown).isInstanceOf(KafkaException.class);
        assertThat(deadLettered).isEmpty();
        assertThat(consumer.position(PARTITION)).isEqualTo(5);
    }

    /**
     * The batch first failed for another reason (the shared handler retries it whole), and the service's stop comes
     * while its last retry is sending: the retry gives the batch back. Taken by the shared handler for one more
     * failure, its attempts used up, every order went to the dead-letter topic and was acknowledged, while their
     * deliveries were PENDING again: sent only once the sweep of abandoned deliveries ordered them again.
     */
    @Test
    void aRetryTheStopCutsShortGivesTheBatchBackToo() {
        AtomicInteger calls = new AtomicInteger();
        Runnable listener = () -> {
            calls.incrementAndGet();
            // The stop: the deliveries container first, then the sending, which makes the batch give back.
            running.set(false);
            throw givenBack(3);
        };

        Throwable thrown = catchThrowable(() -> handler.handleBatch(new IllegalStateException("first try failed"),
                batch, consumer, container, listener));

        assertThat(calls.get()).isEqualTo(1);
        assertThat(deadLettered).isEmpty();
        assertThat(thrown).as("thrown, so that the container acknowledges nothing").isInstanceOf(KafkaException.class);
        assertThat(consumer.position(PARTITION)).isEqualTo(5);
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void aBatchFailingForAnotherReasonIsRetriedThenDeadLetteredAsTheSharedHandlerDoes() {
        AtomicInteger calls = new AtomicInteger();
        Runnable listener = () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("fails again");
        };

        handler.handleBatch(new IllegalStateException("first try failed"), batch, consumer, container, listener);

        assertThat(calls.get()).isEqualTo(1);
        assertThat(deadLettered).extracting(ConsumerRecord::offset).containsExactly(5L, 6L, 7L);
    }

    /** Built as DeliveryService builds it when the stop cuts a batch short (its constructor is the package's). */
    private static DeliveriesGivenBack givenBack(int count) {
        try {
            Constructor<DeliveriesGivenBack> constructor = DeliveriesGivenBack.class.getDeclaredConstructor(int.class);
            constructor.setAccessible(true);
            return constructor.newInstance(count);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
