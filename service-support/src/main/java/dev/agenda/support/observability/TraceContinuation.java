package dev.agenda.support.observability;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * Carries a trace across a hop that Kafka's own header propagation does not see: work stored now and done later on
 * another thread (the event-service outbox), or records consumed in batches (spring-kafka observes record listeners
 * only). The context travels as a W3C {@code traceparent} value.
 */
public class TraceContinuation {

    static final String TRACEPARENT = "traceparent";

    private final Tracer tracer;
    private final Propagator propagator;
    private final ObservationRegistry observations;

    public TraceContinuation(Tracer tracer, Propagator propagator, ObservationRegistry observations) {
        this.tracer = tracer;
        this.propagator = propagator;
        this.observations = observations;
    }

    /** The current trace context as a W3C traceparent, or null outside any trace. */
    public String currentTraceParent() {
        Span span = tracer.currentSpan();
        if (span == null) {
            return null;
        }
        Map<String, String> carrier = new HashMap<>();
        propagator.inject(span.context(), carrier, Map::put);
        return carrier.get(TRACEPARENT);
    }

    /**
     * Runs the work in a new observation whose span is a child of the given context, so what it logs and sends
     * (Kafka template observation included) carries the same trace id; runs it plainly when there is no context.
     */
    public <T> T within(String traceParent, String name, Supplier<T> work) {
        if (traceParent == null || traceParent.isBlank()) {
            return work.get();
        }
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>((carrier, key) -> carrier.get(key));
        context.setCarrier(Map.of(TRACEPARENT, traceParent));
        return Observation.createNotStarted(name, () -> context, observations).observe(work);
    }

    public void within(String traceParent, String name, Runnable work) {
        within(traceParent, name, () -> {
            work.run();
            return null;
        });
    }
}
