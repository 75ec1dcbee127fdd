package dev.agenda.notification.messaging;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;

import dev.agenda.notification.delivery.DeliveriesGivenBack;

/**
 * The error handler of a delivery batch that the service's stop cut short ({@link DeliveriesGivenBack}): its orders
 * are neither retried nor dead-lettered — nothing is wrong with them — and not acknowledged, so the next holder of
 * their partitions (the next instance, or another running one after the rebalance) gets them again and sends them.
 * The default handler would have retried the batch and, its attempts used up, sent every order to the dead-letter
 * topic and committed them.
 */
final class GivenBackBatchHandler implements CommonErrorHandler {

    private static final LogAccessor LOG = new LogAccessor(GivenBackBatchHandler.class);

    private final boolean ackAfterHandle;
    private final boolean seeksAfterHandling;

    /** With the default handler's answers to these two, as {@code CommonDelegatingErrorHandler} requires. */
    GivenBackBatchHandler(CommonErrorHandler defaultHandler) {
        this.ackAfterHandle = defaultHandler.isAckAfterHandle();
        this.seeksAfterHandling = defaultHandler.seeksAfterHandling();
    }

    @Override
    public boolean isAckAfterHandle() {
        // Never acted upon: handleBatch throws, and an error handler that throws leaves the batch unacknowledged.
        return ackAfterHandle;
    }

    @Override
    public boolean seeksAfterHandling() {
        return seeksAfterHandling;
    }

    @Override
    public void handleBatch(Exception thrown, ConsumerRecords<?, ?> data, Consumer<?, ?> consumer,
            MessageListenerContainer container, Runnable invokeListener) {
        // Back to the batch's first record on each partition: a poll before the consumer closes finds them again
        // instead of skipping them.
        for (TopicPartition partition : data.partitions()) {
            consumer.seek(partition, data.records(partition).get(0).offset());
        }
        LOG.info(() -> data.count() + " delivery orders left unacknowledged on " + data.partitions()
                + ": the service is stopping, the next holder of these partitions sends them");
        // Thrown, not returned: returning would let the container acknowledge the batch. Logged by the container at
        // DEBUG, the line above says it all.
        throw new KafkaException("delivery batch given back", KafkaException.Level.DEBUG, thrown);
    }
}
