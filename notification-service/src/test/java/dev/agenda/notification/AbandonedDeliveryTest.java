package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.delivery.DeliveryOrder;
import dev.agenda.notification.delivery.DeliveryStatus;
import dev.agenda.notification.delivery.DeliveryStore;
import dev.agenda.notification.event.NoticeKind;

/**
 * A delivery record with no order left in Kafka (its order dead-lettered, its batch given up) is not forgotten: the
 * sweep orders it again and it is sent, once.
 */
class AbandonedDeliveryTest extends IntegrationTestBase {

    @Autowired
    DeliveryStore deliveries;

    @Test
    void aRecordLeftPendingWithoutAnOrderIsSentByTheSweep() throws Exception {
        String email = unique("abby") + "@example.org";
        String eventId = announcedTo(email, "Oublié");

        // As a batch given up an hour ago leaves it: recorded PENDING, its order gone.
        DeliveryOrder lost = DeliveryOrder.of(eventId, 7, NoticeKind.RESCHEDULE, subscriberId(email));
        deliveries.insertOrLoad(lost, Instant.now().minus(Duration.ofHours(1)));

        assertThat(awaitMessages(email, 3).get(2).get("subject")).asString()
                .startsWith("Maintenu : Oublié");
        await().atMost(Duration.ofSeconds(30))
                .until(() -> deliveries.find(lost.deliveryId()).orElseThrow().status() == DeliveryStatus.SENT);
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(3);
    }
}
