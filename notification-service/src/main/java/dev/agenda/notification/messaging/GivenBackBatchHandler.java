package dev.agenda.notification.messaging;

import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.KafkaException;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.kafka.support.TopicPartitionOffset;

import dev.agenda.notification.delivery.DeliveriesGivenBack;

/**
 * The error handler of the delivery batches: the shared one (retries, then the dead-letter topic), except for a batch
 * that the service's stop cut short ({@link DeliveriesGivenBack}). Its orders are neither retried nor dead-lettered —
 * nothing is wrong with them — and not acknowledged, so the next holder of their partitions (the next instance, or
 * another running one after the rebalance) gets them again and sends them. The shared handler would have retried the
 * batch and, its attempts used up, dead-lettered every order and committed them. The same holds when the stop cuts
 * short one of the shared handler's own retries of a batch that first failed for another reason.
 *
 * <p>A decorator rather than spring-kafka's {@code CommonDelegatingErrorHandler}, which does not pass on
 * {@code onPartitionsAssigned}: the shared handler uses it to keep partitions assigned during a whole-batch retry
 * paused.
 */
final class GivenBackBatchHandler implements CommonErrorHandler {

    private static final LogAccessor LOG = new LogAccessor(GivenBackBatchHandler.class);

    private final CommonErrorHandler shared;

    GivenBackBatchHandler(CommonErrorHandler shared) {
        this.shared = shared;
    }

    @Override
    public void handleBatch(Exception thrown, ConsumerRecords<?, ?> data, Consumer<?, ?> consumer,
            MessageListenerContainer container, Runnable invokeListener) {
        if (givenBack(thrown)) {
            throw giveBack(thrown, data, consumer);
        }
        RetriesGivenBack retries = new RetriesGivenBack(invokeListener);
        shared.handleBatch(thrown, data, consumer, container, retries);
        if (retries.givenBack != null) {
            throw giveBack(retries.givenBack, data, consumer);
        }
    }

    @Override
    public <K, V> ConsumerRecords<K, V> handleBatchAndReturnRemaining(Exception thrown, ConsumerRecords<?, ?> data,
            Consumer<?, ?> consumer, MessageListenerContainer container, Runnable invokeListener) {
        if (givenBack(thrown)) {
            throw giveBack(thrown, data, consumer);
        }
        RetriesGivenBack retries = new RetriesGivenBack(invokeListener);
        ConsumerRecords<K, V> remaining = shared.handleBatchAndReturnRemaining(thrown, data, consumer, container,
                retries);
        if (retries.givenBack != null) {
            throw giveBack(retries.givenBack, data, consumer);
        }
        return remaining;
    }

    /**
     * The listener as the shared handler calls it again for its whole-batch retries. A retry that the service's stop
     * cuts short gives its batch back like a first try: taken by the shared handler for one more failure, the batch
     * went to the dead-letter topic and was acknowledged when that retry was its last. So the retry ends here as if
     * it had succeeded, which ends the shared handler's retries, and the batch is given back once it returns.
     */
    private static final class RetriesGivenBack implements Runnable {

        private final Runnable invokeListener;
        private Exception givenBack;

        RetriesGivenBack(Runnable invokeListener) {
            this.invokeListener = invokeListener;
        }

        @Override
        public void run() {
            try {
                invokeListener.run();
            } catch (RuntimeException e) {
                if (!givenBack(e)) {
                    throw e;
                }
                givenBack = e;
            }
        }
    }

    private static boolean givenBack(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof DeliveriesGivenBack) {
                return true;
            }
        }
        return false;
    }

    /**
     * Back to the batch's first record on each partition (a poll before the consumer closes finds them again instead
     * of skipping them), and an exception to throw: returning would let the container acknowledge the batch. The
     * container logs it at DEBUG; the line logged here says it all.
     */
    private static KafkaException giveBack(Exception thrown, ConsumerRecords<?, ?> data, Consumer<?, ?> consumer) {
        for (TopicPartition partition : data.partitions()) {
            // A partition revoked meanwhile (the shared handler's retries poll) is no longer this consumer's to seek.
            if (consumer.assignment().contains(partition)) {
                consumer.seek(partition, data.records(partition).get(0).offset());
            }
        }
        LOG.info(() -> data.count() + " delivery orders left unacknowledged on " + data.partitions()
                + ": the service is stopping, the next holder of these partitions sends them");
        return new KafkaException("delivery batch given back", KafkaException.Level.DEBUG, thrown);
    }

    // Everything else as the shared handler does it.

    @Override
    public boolean seeksAfterHandling() {
        return shared.seeksAfterHandling();
    }

    @Override
    public boolean deliveryAttemptHeader() {
        return shared.deliveryAttemptHeader();
    }

    @Override
    public void handleOtherException(Exception thrown, Consumer<?, ?> consumer, MessageListenerContainer container,
            boolean batchListener) {
        shared.handleOtherException(thrown, consumer, container, batchListener);
    }

    @Override
    public boolean handleOne(Exception thrown, ConsumerRecord<?, ?> record, Consumer<?, ?> consumer,
            MessageListenerContainer container) {
        return shared.handleOne(thrown, record, consumer, container);
    }

    @Override
    public void handleRemaining(Exception thrown, List<ConsumerRecord<?, ?>> records, Consumer<?, ?> consumer,
            MessageListenerContainer container) {
        shared.handleRemaining(thrown, records, consumer, container);
    }

    @Override
    public int deliveryAttempt(TopicPartitionOffset topicPartitionOffset) {
        return shared.deliveryAttempt(topicPartitionOffset);
    }

    @Override
    public void clearThreadState() {
        shared.clearThreadState();
    }

    @Override
    public boolean isAckAfterHandle() {
        return shared.isAckAfterHandle();
    }

    @Override
    public void setAckAfterHandle(boolean ack) {
        shared.setAckAfterHandle(ack);
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
            Runnable publishPause) {
        shared.onPartitionsAssigned(consumer, partitions, publishPause);
    }
}
