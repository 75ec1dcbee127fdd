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
import org.springframework.core.log.LogAccessor;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.kafka.support.serializer.SerializationUtils;
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

    private static final LogAccessor LOG = new LogAccessor(DeliveriesListener.class);

    static final String GROUP = "agenda-delivery";
    /** The listener container's id, as {@link DeliveriesShutdown} stops it. */
    static final String ID = "deliveries";

    private final DeliveryService deliveries;
    private final TraceContinuation tracing;

    DeliveriesListener(DeliveryService deliveries, ObjectProvider<TraceContinuation> tracing) {
        this.deliveries = deliveries;
        this.tracing = tracing.getIfAvailable();
    }

    @KafkaListener(id = ID, topics = "#{T(dev.agenda.schemas.Topics).DELIVERIES.name()}", groupId = "${agenda.notification.deliveries-group:" + GROUP + "}",
            containerFactory = MessagingConfiguration.BATCH_FACTORY)
    void onDeliveries(List<ConsumerRecord<String, DeliveryRequested>> records) {
        int poison = firstUndecodable(records);
        if (poison >= 0) {
            // The orders before it are delivered, then the error handler commits up to it, dead-letters it (a
            // deserialization failure is not retried, unless the schema registry was unreachable: then it is kept
            // and tried again until the registry answers) and hands the rest back in the next poll.
            deliverAll(records.subList(0, poison));
            throw new BatchListenerFailedException("undecodable delivery order at offset " + records.get(poison).offset(),
                    SerializationUtils.getExceptionFromHeader(records.get(poison),
                            KafkaUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER, LOG),
                    poison);
        }
        deliverAll(records);
    }

    /** Index of the first record ErrorHandlingDeserializer could not decode (null value, exception header), or -1. */
    private static int firstUndecodable(List<ConsumerRecord<String, DeliveryRequested>> records) {
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, DeliveryRequested> record = records.get(i);
            if (record.value() == null
                    && record.headers().lastHeader(KafkaUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null) {
                return i;
            }
        }
        return -1;
    }

    private void deliverAll(List<ConsumerRecord<String, DeliveryRequested>> records) {
        if (records.isEmpty()) {
            return;
        }
        if (tracing == null) {
            deliveries.deliver(orders(records));
            return;
        }
        // spring-kafka observes record listeners only: each publication's orders are sent in the trace their
        // records carry. Grouped by trace id, not by the whole header (each record has its own parent span), so a
        // fan-out's poll stays one parallel batch.
        Map<String, List<ConsumerRecord<String, DeliveryRequested>>> byTrace = new LinkedHashMap<>();
        Map<String, String> parentOf = new LinkedHashMap<>();
        for (ConsumerRecord<String, DeliveryRequested> record : records) {
            Header header = record.headers().lastHeader("traceparent");
            String traceParent = header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
            String traceId = traceIdOf(traceParent);
            parentOf.putIfAbsent(traceId, traceParent);
            byTrace.computeIfAbsent(traceId, t -> new ArrayList<>()).add(record);
        }
        byTrace.forEach((traceId, group) -> tracing.within(parentOf.get(traceId), "agenda.deliveries.batch",
                () -> deliveries.deliver(orders(group))));
    }

    /** The trace id of a W3C traceparent ("00-{trace id}-{span id}-{flags}"), or "" when there is none. */
    static String traceIdOf(String traceParent) {
        String[] parts = traceParent.split("-");
        return parts.length == 4 ? parts[1] : "";
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
