package dev.agenda.notification.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import dev.agenda.notification.delivery.DeliveryOrder;
import dev.agenda.notification.delivery.DeliveryRequestPublisher;
import dev.agenda.schemas.DeliveryKind;
import dev.agenda.schemas.DeliveryRequested;
import dev.agenda.schemas.Topics;

/** Delivery orders onto agenda.deliveries, keyed by subscriber; waits for every acknowledgement (acks=all). */
@Component
class KafkaDeliveryRequestPublisher implements DeliveryRequestPublisher {

    private final KafkaTemplate<String, DeliveryRequested> template;

    KafkaDeliveryRequestPublisher(KafkaTemplate<String, DeliveryRequested> deliveryTemplate) {
        this.template = deliveryTemplate;
    }

    @Override
    public void publish(List<DeliveryOrder> orders) {
        CompletableFuture<?>[] sent = orders.stream()
                .map(o -> template.send(Topics.DELIVERIES.name(), o.subscriberId(), DeliveryRequested.newBuilder()
                        .setDeliveryId(o.deliveryId())
                        .setEventId(o.eventId())
                        .setRevision(o.revision())
                        .setKind(DeliveryKind.valueOf(o.kind().name()))
                        .setSubscriberId(o.subscriberId())
                        .build()))
                .toArray(CompletableFuture[]::new);
        CompletableFuture.allOf(sent).join();
    }
}
