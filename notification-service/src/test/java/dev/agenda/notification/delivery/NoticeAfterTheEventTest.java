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
import dev.agenda.schemas.EventPublished;

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
        EventPublished v1 = eventForASubscriber(email, "Fini avant l'avis");
        publish(v1);
        awaitMessages(email, 2);
        String subscriberId = subscriberId(email);
        EventState announced = events.find(v1.getEventId()).orElseThrow();

        EventState cancelledAndOver = new EventState(announced.id(),
                cancelledBetween(announced.snapshot(), Instant.now().minus(Duration.ofHours(3)),
                        Instant.now().minus(Duration.ofHours(1))),
                true, false, Instant.now());
        Delivery late = claimedCancellation(v1.getEventId(), subscriberId);
        service.attemptWith(late, subscribers.findById(subscriberId).orElseThrow(), cancelledAndOver, true);

        Delivery settled = deliveries.find(late.id()).orElseThrow();
        assertThat(settled.status()).isEqualTo(DeliveryStatus.SKIPPED);
        assertThat(settled.lastError()).isEqualTo("event over");
        assertThat(messagesTo(email)).hasSize(2);
    }

    @Test
    void aCancellationOfAnEventStillToComeLeaves() throws Exception {
        String email = unique("ilan") + "@example.org";
        EventPublished v1 = eventForASubscriber(email, "Annulé à temps");
        publish(v1);
        awaitMessages(email, 2);
        String subscriberId = subscriberId(email);
        EventState announced = events.find(v1.getEventId()).orElseThrow();

        EventState cancelled = new EventState(announced.id(), cancelledBetween(announced.snapshot(),
                announced.snapshot().startsAt(), announced.snapshot().endsAt()), true, false, Instant.now());
        Delivery notice = claimedCancellation(v1.getEventId(), subscriberId);
        service.attemptWith(notice, subscribers.findById(subscriberId).orElseThrow(), cancelled, true);

        assertThat(awaitMessages(email, 3).get(2).get("subject")).asString().startsWith("Annulé");
    }

    private Delivery claimedCancellation(String eventId, String subscriberId) {
        DeliveryOrder order = DeliveryOrder.of(eventId, 2, NoticeKind.CANCELLATION, subscriberId);
        deliveries.insertOrLoad(order, Instant.now());
        return deliveries.claim(order.deliveryId(), Instant.now(), Duration.ofSeconds(30)).orElseThrow();
    }

    private static EventSnapshot cancelledBetween(EventSnapshot s, Instant startsAt, Instant endsAt) {
        return new EventSnapshot(s.eventId(), 2, true, s.slug(), s.title(), s.lead(), s.categories(), s.tags(),
                startsAt, endsAt, s.timeZone(), s.place(), s.firstPublishedAt(), Instant.now());
    }
}
