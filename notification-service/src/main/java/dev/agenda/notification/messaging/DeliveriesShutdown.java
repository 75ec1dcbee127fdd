package dev.agenda.notification.messaging;

import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;
import org.springframework.stereotype.Component;

import dev.agenda.notification.delivery.DeliveryService;

/**
 * A graceful stop of the delivery listener during an SMTP outage. Left to spring-kafka, the container waited for its
 * batch, which was waiting out the outage with backoff: the shutdown phase gave up after its 30 s and the context
 * closed under the batch, whose claims then held its deliveries until they expired — sent by the next instance a
 * lease later, not when it started. Stopped here, one phase before the listener containers: the deliveries container
 * first (it takes no new batch, and what the current one gives back is not handed to it again), then the sending,
 * which makes the batch give back at once what it claimed and did not send (see
 * {@link DeliveryService#stopSending}). The phase waits for the container, so the claims are released before MongoDB
 * closes.
 */
@Component
class DeliveriesShutdown implements SmartLifecycle {

    private final KafkaListenerEndpointRegistry registry;
    private final DeliveryService deliveries;
    private volatile boolean running;

    DeliveriesShutdown(KafkaListenerEndpointRegistry registry, DeliveryService deliveries) {
        this.registry = registry;
        this.deliveries = deliveries;
    }

    @Override
    public void start() {
        deliveries.resumeSending();
        running = true;
    }

    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public void stop(Runnable callback) {
        running = false;
        MessageListenerContainer container = registry.getListenerContainer(DeliveriesListener.ID);
        if (container == null || !container.isRunning()) {
            deliveries.stopSending();
            callback.run();
            return;
        }
        container.stop(callback);
        deliveries.stopSending();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the listener containers (a higher phase stops first). */
    @Override
    public int getPhase() {
        return registry.getPhase() + 1;
    }
}
