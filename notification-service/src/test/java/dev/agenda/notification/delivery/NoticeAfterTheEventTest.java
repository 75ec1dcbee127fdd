package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.EventState;
import dev.agenda.notification.event.EventStateStore;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.subscription.SubscriberStore;

/**
 * A notice whose sending was held up (an SMTP outage, a backlog) until its event was over tells of the past: it is
 * skipped, not sent, while one for an event still to come leaves.
 */
class NoticeAfterTheEventTest extends IntegrationTestBase {

    @Autowired
    DeliveryService service;
    @Autowired
    DeliveryStore deliveries;
    @Autowired
    EventStateStore events;
    @Autowired
    SubscriberStore subscribers;

    @Test
    void aCancellationThatCouldNotLeaveBeforeTheEventEndedIsSkipped() throws Exception {
        String email = unique("ines") + "@example.org";
        EventSnapshot announced = events.find(announcedTo(email, "Fini avant l'avis")).orElseThrow().snapshot();

        Delivery late = sendCancellation(email, announced, Instant.now().minus(Duration.ofHours(3)),
                Instant.now().minus(Duration.ofHours(1)));

        Delivery settled = deliveries.find(late.id()).orElseThrow();
        assertThat(settled.status()).isEqualTo(DeliveryStatus.SKIPPED);
        assertThat(settled.lastError()).isEqualTo("event over");
        assertThat(messagesTo(email)).hasSize(2);
    }

    @Test
    void aCancellationOfAnEventStillToComeLeaves() throws Exception {
        String email = unique("ilan") + "@example.org";
        EventSnapshot announced = events.find(announcedTo(email, "Annulé à temps")).orElseThrow().snapshot();

        sendCancellation(email, announced, announced.startsAt(), announced.endsAt());

        assertThat(awaitMessages(email, 3).get(2).get("subject")).asString().startsWith("Annulé");
    }

    /** A cancellation notice claimed and tried with the event read as cancelled and held between the given times. */
    private Delivery sendCancellation(String email, EventSnapshot announced, Instant startsAt, Instant endsAt)
            throws Exception {
        String subscriberId = subscriberId(email);
        EventSnapshot cancelled = new EventSnapshot(announced.eventId(), 2, true, announced.slug(), announced.title(),
                announced.lead(), announced.categories(), announced.tags(), startsAt, endsAt, announced.timeZone(),
                announced.place(), announced.firstPublishedAt(), Instant.now());
        DeliveryOrder order = DeliveryOrder.of(announced.eventId(), 2, NoticeKind.CANCELLATION, subscriberId);
        deliveries.insertOrLoad(order, Instant.now());
        Delivery claimed = deliveries.claim(order.deliveryId(), Instant.now(), Duration.ofSeconds(30)).orElseThrow();
        service.attemptWith(claimed, subscribers.findById(subscriberId).orElseThrow(),
                new EventState(announced.eventId(), cancelled, true, false, Instant.now()), true);
        return claimed;
    }
}
