package dev.agenda.notification.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

import dev.agenda.notification.delivery.DeliveryOrder;
import dev.agenda.notification.delivery.DeliveryService;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.schemas.DeliveryRequested;
import dev.agenda.support.observability.TraceContinuation;

/**
 * agenda.deliveries → emails. Batches, so that the SMTP pool sends a poll's records in parallel; the offsets are
 * committed once the whole batch is final.
 */
@Component
class DeliveriesListener {

    static final String GROUP = "agenda-delivery";

    private final DeliveryService deliveries;
    private final TraceContinuation tracing;

    DeliveriesListener(DeliveryService deliveries, ObjectProvider<TraceContinuation> tracing) {
        this.deliveries = deliveries;
        this.tracing = tracing.getIfAvailable();
    }

    @KafkaListener(id = "deliveries", topics = "agenda.deliveries", groupId = "${agenda.notification.deliveries-group:" + GROUP + "}",
            containerFactory = MessagingConfiguration.BATCH_FACTORY)
    void onDeliveries(List<ConsumerRecord<String, DeliveryRequested>> records) {
        if (tracing == null) {
            deliveries.deliver(orders(records));
            return;
        }
        // spring-kafka observes record listeners only: each publication's orders are sent in the trace their
        // records carry (a fan-out's orders share one, so a poll is usually one group).
        Map<String, List<ConsumerRecord<String, DeliveryRequested>>> byTrace = new LinkedHashMap<>();
        for (ConsumerRecord<String, DeliveryRequested> record : records) {
            Header header = record.headers().lastHeader("traceparent");
            String traceParent = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
            byTrace.computeIfAbsent(traceParent, t -> new ArrayList<>()).add(record);
        }
        byTrace.forEach((traceParent, group) -> tracing.within(traceParent, "agenda.deliveries.batch",
                () -> deliveries.deliver(orders(group))));
    }

    private static List<DeliveryOrder> orders(List<ConsumerRecord<String, DeliveryRequested>> records) {
        return records.stream().map(ConsumerRecord::value).filter(Objects::nonNull)
                .map(DeliveriesListener::toOrder).toList();
    }

    static DeliveryOrder toOrder(DeliveryRequested d) {
        return new DeliveryOrder(d.getDeliveryId(), d.getEventId(), d.getRevision(),
                NoticeKind.valueOf(d.getKind().name()), d.getSubscriberId());
    }
}
