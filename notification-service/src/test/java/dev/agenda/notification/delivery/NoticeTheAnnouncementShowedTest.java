package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;

/**
 * An announcement that leaves late shows the event as it is then. A notice decided on a revision it already showed
 * (ordered by a fan-out that read the recipients after that announcement left: an event back on, whose announcement
 * was skipped while it was cancelled and is sent again as the "back on" notice fans out) would tell the same news a
 * second time. It is skipped; a notice of a later change still goes.
 */
class NoticeTheAnnouncementShowedTest extends IntegrationTestBase {

    @Autowired
    DeliveryRequestPublisher orders;
    @Autowired
    DeliveryStore deliveries;

    @Test
    void aNoticeOfARevisionTheAnnouncementAlreadyShowedIsNotSentButALaterOneIs() throws Exception {
        String email = unique("noa") + "@example.org";
        EventPublished v1 = eventForASubscriber(email, "Déplacé avant l'annonce");
        String eventId = v1.getEventId();
        EventPublished v2 = EventPublished.newBuilder(v1).setRevision(2)
                .setStartsAt(v1.getStartsAt().plus(Duration.ofDays(1))).setEndsAt(v1.getEndsAt().plus(Duration.ofDays(1)))
                .setUpdatedAt(Instant.now()).build();

        // The announcement's order waits while the event is moved: it leaves showing revision 2.
        whileNoEmailLeaves(() -> {
            publish(v1);
            publish(v2);
            awaitConsumed("agenda-notification", Topics.EVENTS.name());
        });
        Map<String, Object> announcement = awaitMessages(email, 2).get(1);
        assertThat(announcement.get("subject")).asString().startsWith("Nouvel événement");
        awaitAllConsumed();

        // Revision 2's notice, ordered for this person only now.
        DeliveryOrder late = DeliveryOrder.of(eventId, 2, NoticeKind.RESCHEDULE, subscriberId(email));
        orders.publish(List.of(late));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deliveries.find(late.deliveryId()))
                .hasValueSatisfying(d -> {
                    assertThat(d.status()).isEqualTo(DeliveryStatus.SKIPPED);
                    assertThat(d.lastError()).isEqualTo(DeliveryService.ANNOUNCEMENT_SHOWED_IT);
                }));

        publish(EventPublished.newBuilder(v2).setRevision(3).setStartsAt(v2.getStartsAt().plus(Duration.ofDays(1)))
                .setEndsAt(v2.getEndsAt().plus(Duration.ofDays(1))).setUpdatedAt(Instant.now()).build());
        assertThat(awaitMessages(email, 3).get(2).get("subject")).asString().doesNotStartWith("Nouvel événement")
                .contains("Déplacé avant l'annonce");
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(3);
    }
}
