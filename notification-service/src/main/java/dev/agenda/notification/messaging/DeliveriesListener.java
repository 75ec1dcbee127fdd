package dev.agenda.notification.messaging;

import java.util.List;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.agenda.notification.delivery.DeliveryOrder;
import dev.agenda.notification.delivery.DeliveryService;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.schemas.DeliveryRequested;

/**
 * agenda.deliveries → emails. Batches, so that the SMTP pool sends a poll's records in parallel; the offsets are
 * committed once the whole batch is final.
 */
@Component
class DeliveriesListener {

    static final String GROUP = "agenda-delivery";

    private final DeliveryService deliveries;

    DeliveriesListener(DeliveryService deliveries) {
        this.deliveries = deliveries;
    }

    @KafkaListener(id = "deliveries", topics = "agenda.deliveries", groupId = "${agenda.notification.deliveries-group:" + GROUP + "}",
            containerFactory = MessagingConfiguration.BATCH_FACTORY)
    void onDeliveries(List<ConsumerRecord<String, DeliveryRequested>> records) {
        deliveries.deliver(records.stream().map(ConsumerRecord::value).filter(Objects::nonNull)
                .map(DeliveriesListener::toOrder).toList());
    }

    static DeliveryOrder toOrder(DeliveryRequested d) {
        return new DeliveryOrder(d.getDeliveryId(), d.getEventId(), d.getRevision(),
                NoticeKind.valueOf(d.getKind().name()), d.getSubscriberId());
    }
}
