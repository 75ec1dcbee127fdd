package dev.agenda.notification.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.serializer.DeserializationException;
import org.springframework.kafka.support.serializer.SerializationUtils;

import dev.agenda.notification.delivery.DeliveryOrder;
import dev.agenda.notification.delivery.DeliveryService;
import dev.agenda.schemas.DeliveryKind;
import dev.agenda.schemas.DeliveryRequested;
import dev.agenda.support.observability.TraceContinuation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/** A fan-out's poll must stay one parallel batch even though each of its records has its own parent span. */
class DeliveriesListenerTest {

    private final DeliveryService deliveries = mock(DeliveryService.class);
    private final DeliveriesListener listener = new DeliveriesListener(deliveries, tracing());

    private static ObjectProvider<TraceContinuation> tracing() {
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("tracing", new TraceContinuation(Tracer.NOOP, Propagator.NOOP, ObservationRegistry.NOOP));
        return beans.getBeanProvider(TraceContinuation.class);
    }

    private static ConsumerRecord<String, DeliveryRequested> record(String subscriber, String traceParent) {
        ConsumerRecord<String, DeliveryRequested> record = new ConsumerRecord<>("agenda.deliveries", 0, 0, subscriber,
                DeliveryRequested.newBuilder().setDeliveryId("d-" + subscriber).setEventId("e").setRevision(1)
                        .setKind(DeliveryKind.ANNOUNCEMENT).setSubscriberId(subscriber).build());
        if (traceParent != null) {
            record.headers().add("traceparent", traceParent.getBytes(StandardCharsets.UTF_8));
        }
        return record;
    }

    @SuppressWarnings("unchecked")
    private List<List<String>> batchesDelivered(int expected) {
        ArgumentCaptor<List<DeliveryOrder>> batches = ArgumentCaptor.forClass(List.class);
        verify(deliveries, times(expected)).deliver(batches.capture());
        List<List<String>> subscribers = new ArrayList<>();
        batches.getAllValues().forEach(b -> subscribers.add(b.stream().map(DeliveryOrder::subscriberId).toList()));
        return subscribers;
    }

    @Test
    void recordsOfOneTraceAreDeliveredTogetherWhateverTheirSpan() {
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        listener.onDeliveries(List.of(record("a", "00-" + trace + "-00f067aa0ba902b7-01"),
                record("b", "00-" + trace + "-00f067aa0ba902b8-01"),
                record("c", "00-" + trace + "-00f067aa0ba902b9-01")));

        assertThat(batchesDelivered(1)).containsExactly(List.of("a", "b", "c"));
    }

    @Test
    void anUndecodableOrderFailsAtItsIndexAfterTheOrdersBeforeItAreDelivered() {
        ConsumerRecord<String, DeliveryRequested> poison = new ConsumerRecord<>("agenda.deliveries", 0, 1, "x", null);
        SerializationUtils.deserializationException(poison.headers(), new byte[] {1, 2, 3},
                new IllegalArgumentException("not Avro"), false);

        assertThatThrownBy(() -> listener.onDeliveries(List.of(record("a", null), poison, record("c", null))))
                .isInstanceOfSatisfying(BatchListenerFailedException.class, e -> {
                    assertThat(e.getIndex()).isEqualTo(1);
                    assertThat(e.getCause()).isInstanceOf(DeserializationException.class);
                });
        assertThat(batchesDelivered(1)).containsExactly(List.of("a"));
    }

    @Test
    void differentTracesAndUntracedRecordsAreDeliveredPerTrace() {
        listener.onDeliveries(List.of(record("a", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                record("b", null), record("c", "00-5bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
                record("d", null)));

        assertThat(batchesDelivered(3)).containsExactly(List.of("a"), List.of("b", "d"), List.of("c"));
    }
}
