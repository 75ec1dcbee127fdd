package dev.agenda.publishing.messaging;

import java.io.FileInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Another instance of the service's consumer, in a JVM of its own so that a test can kill it with SIGKILL: it joins
 * the group with the consumer properties given in a file (the service's), prints the partitions it is assigned and
 * never commits.
 */
public final class GroupMemberProcess {

    private GroupMemberProcess() {
    }

    public static void main(String[] args) throws IOException {
        Properties config = new Properties();
        try (FileInputStream in = new FileInputStream(args[0])) {
            config.load(in);
        }
        // Only membership matters here: the records are not read, so no registry nor Avro is needed.
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(args[1]), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    System.out.println("ASSIGNED " + consumer.assignment().stream()
                            .map(p -> String.valueOf(p.partition())).sorted().toList());
                    System.out.flush();
                }
            });
            while (true) {
                consumer.poll(Duration.ofMillis(200));
            }
        }
    }
}
