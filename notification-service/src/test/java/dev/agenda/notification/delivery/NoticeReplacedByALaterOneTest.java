package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;
import dev.agenda.schemas.Topics;
import dev.agenda.support.text.FrenchDates;

/**
 * Two notices of one event waiting together (one batch, an SMTP outage, a backlog): each email shows the event as it
 * is when it leaves, so the earlier one would tell the later state in its own words — "moved", with a calendar entry
 * to keep, for an event since cancelled; a cancellation, removing it from calendars, for an event back on — and its
 * recipient's calendar would end up with whichever arrived last. Only the later notice goes.
 */
class NoticeReplacedByALaterOneTest extends IntegrationTestBase {

    @Autowired
    DeliveryStore deliveries;

    @Test
    void aMoveStillWaitingWhenTheEventIsCancelledIsNotSentTheCancellationIs() throws Exception {
        String email = unique("movecancel") + "@example.org";
        EventPublished v1 = announced(email, "Déplacé puis annulé");
        EventPublished moved = moved(v1, 2);
        EventPublished cancelled = EventPublished.newBuilder(moved).setRevision(3).setStatus(EventStatus.CANCELLED)
                .setUpdatedAt(Instant.now()).build();

        whileNoEmailLeaves(() -> {
            publish(moved);
            publish(cancelled);
            awaitConsumed("agenda-notification", Topics.EVENTS.name());
        });

        Map<String, Object> notice = awaitMessages(email, 3).get(2);
        assertThat(notice.get("subject")).asString().startsWith("Annulé");
        assertThat(notice.get("attachments")).asString().contains("method=CANCEL");
        assertSkippedAsSuperseded(DeliveryOrder.of(v1.getEventId(), 2, NoticeKind.RESCHEDULE, subscriberId(email)));
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(3);
    }

    @Test
    void aCancellationStillWaitingWhenTheEventIsBackOnIsNotSentTheBackOnNoticeIs() throws Exception {
        String email = unique("cancelback") + "@example.org";
        EventPublished v1 = announced(email, "Annulé puis maintenu");
        EventPublished cancelled = EventPublished.newBuilder(v1).setRevision(2).setStatus(EventStatus.CANCELLED)
                .setUpdatedAt(Instant.now()).build();
        EventPublished backOn = EventPublished.newBuilder(cancelled).setRevision(3).setStatus(EventStatus.SCHEDULED)
                .setUpdatedAt(Instant.now()).build();

        whileNoEmailLeaves(() -> {
            publish(cancelled);
            publish(backOn);
            awaitConsumed("agenda-notification", Topics.EVENTS.name());
        });

        Map<String, Object> notice = awaitMessages(email, 3).get(2);
        // Never told it was cancelled, nor moved: it takes place as announced.
        assertThat(notice.get("subject")).asString().startsWith("Maintenu : Annulé puis maintenu");
        assertThat(notice.get("text")).asString().contains("Cet événement aura lieu comme annoncé.")
                .doesNotContain("annoncé comme annulé");
        assertThat(notice.get("attachments")).asString().doesNotContain("method=CANCEL");
        assertSkippedAsSuperseded(DeliveryOrder.of(v1.getEventId(), 2, NoticeKind.CANCELLATION,
                subscriberId(email)));
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(3);
    }

    @Test
    void twoMovesWaitingTogetherMakeOneEmail() throws Exception {
        String email = unique("twomoves") + "@example.org";
        EventPublished v1 = announced(email, "Déplacé deux fois");
        EventPublished once = moved(v1, 2);
        EventPublished twice = moved(once, 3);

        whileNoEmailLeaves(() -> {
            publish(once);
            publish(twice);
            awaitConsumed("agenda-notification", Topics.EVENTS.name());
        });

        Map<String, Object> notice = awaitMessages(email, 3).get(2);
        assertThat(notice.get("subject")).asString().startsWith("Nouvelle date : Déplacé deux fois");
        // Told as a move from the announced date, which its recipient knows, not from the one never told.
        List<String> lines = String.valueOf(notice.get("text")).lines().toList();
        assertThat(lines).anyMatch(l -> l.startsWith("Auparavant : ")
                && l.contains(FrenchDates.day(v1.getStartsAt().atZone(PARIS).toLocalDate())));
        assertThat(lines).anyMatch(l -> l.startsWith("Quand : ")
                && l.contains(FrenchDates.day(twice.getStartsAt().atZone(PARIS).toLocalDate())));
        assertSkippedAsSuperseded(DeliveryOrder.of(v1.getEventId(), 2, NoticeKind.RESCHEDULE, subscriberId(email)));
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(3);
    }

    /** Published, and its announcement received (after the confirmation email). */
    private EventPublished announced(String email, String title) throws Exception {
        EventPublished v1 = eventForASubscriber(email, title);
        publish(v1);
        assertThat(awaitMessages(email, 2).get(1).get("subject")).asString().startsWith("Nouvel événement");
        awaitAllConsumed();
        return v1;
    }

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static EventPublished moved(EventPublished event, long revision) {
        return EventPublished.newBuilder(event).setRevision(revision)
                .setStartsAt(event.getStartsAt().plus(Duration.ofDays(1)))
                .setEndsAt(event.getEndsAt().plus(Duration.ofDays(1))).setUpdatedAt(Instant.now()).build();
    }

    private void assertSkippedAsSuperseded(DeliveryOrder earlier) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(deliveries.find(earlier.deliveryId()))
                .hasValueSatisfying(d -> {
                    assertThat(d.status()).isEqualTo(DeliveryStatus.SKIPPED);
                    assertThat(d.lastError()).isEqualTo(DeliveryService.SUPERSEDED);
                }));
    }
}
