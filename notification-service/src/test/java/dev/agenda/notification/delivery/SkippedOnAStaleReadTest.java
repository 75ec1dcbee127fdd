package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.event.EventState;
import dev.agenda.notification.event.EventStateStore;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.subscription.SubscriberStore;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;

/**
 * The race between a sender and a "back on" revision: the sender read the event while it was cancelled, the event
 * came back on, and only then did the sender mark the announcement SKIPPED, too late for the revision's consumer to
 * reopen it. The sender must notice and order it again.
 */
class SkippedOnAStaleReadTest extends IntegrationTestBase {

    @Autowired
    DeliveryService service;
    @Autowired
    DeliveryStore deliveries;
    @Autowired
    EventStateStore events;
    @Autowired
    SubscriberStore subscribers;

    @Test
    void anAnnouncementSkippedOnAReadMadeBeforeTheEventWasBackOnIsStillSentOnce() throws Exception {
        String email = unique("lou") + "@example.org";
        EventPublished v1 = eventForASubscriber(email, "Maintenu de justesse");
        String eventId = v1.getEventId();

        cancelWhileItsAnnouncementWaits(v1, () -> {
            // A sender claims the announcement and reads the event: cancelled.
            String subscriberId = subscriberId(email);
            DeliveryOrder order = DeliveryOrder.of(eventId, 1, NoticeKind.ANNOUNCEMENT, subscriberId);
            deliveries.insertOrLoad(order, Instant.now());
            Delivery claimed = deliveries.claim(order.deliveryId(), Instant.now(), Duration.ofSeconds(30))
                    .orElseThrow();
            EventState cancelled = events.find(eventId).orElseThrow();
            assertThat(cancelled.snapshot().cancelled()).isTrue();

            // The event is back on; its consumer finds nothing SKIPPED to reopen (the record is being sent).
            publish(EventPublished.newBuilder(v1).setRevision(3).setUpdatedAt(Instant.now()).build());
            awaitConsumed("agenda-notification", Topics.EVENTS.name());
            assertThat(deliveries.find(order.deliveryId()).orElseThrow().status()).isEqualTo(DeliveryStatus.SENDING);

            // The sender goes on with what it read.
            service.attemptWith(claimed, subscribers.findById(subscriberId).orElseThrow(), cancelled, false);
        });

        assertThat(awaitMessages(email, 2).get(1).get("subject")).asString().startsWith("Nouvel événement")
                .contains("Maintenu de justesse");
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(2);
    }
}
