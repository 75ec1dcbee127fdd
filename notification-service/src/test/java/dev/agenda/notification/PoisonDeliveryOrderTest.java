package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import dev.agenda.schemas.Topics;

/**
 * An order on agenda.deliveries that cannot be decoded goes to its dead-letter topic, and the orders around it (same
 * partition) are still sent.
 */
class PoisonDeliveryOrderTest extends IntegrationTestBase {

    @Test
    void anUndecodableOrderIsDeadLetteredAndTheFanOutAroundItStillArrives() throws Exception {
        String category = unique("cat");
        String email = unique("pia") + "@example.org";
        subscribeAndConfirm(email, List.of(category), List.of());
        String subscriberId = subscriberId(email);
        byte[] garbage = ("not an order " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                infra().kafka().bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all");
        // Keyed by the subscriber, as real orders are: same partition as the announcement that follows.
        try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(Topics.DELIVERIES.name(), subscriberId.getBytes(StandardCharsets.UTF_8),
                    garbage)).get();
        }
        publish(event(UUID.randomUUID().toString(), "Après le poison", List.of(category), List.of()).build());

        assertThat(awaitMessages(email, 2).get(1).get("subject")).asString().contains("Après le poison");
        awaitDeadLettered(Topics.DELIVERIES_DLT.name(), r -> java.util.Arrays.equals(r.value(), garbage));
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(2);
    }
}
