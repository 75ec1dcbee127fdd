package dev.agenda.notification.delivery;

import java.util.List;

/** Hands delivery orders to the senders (through Kafka, so every instance shares the sending). */
public interface DeliveryRequestPublisher {

    /** Returns once every order is durably accepted. */
    void publish(List<DeliveryOrder> orders);
}
