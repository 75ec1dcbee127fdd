package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.announcement.AnnouncementService;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.subscription.Preferences;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;

/**
 * An announcement shows its event as its batch read it; when the event is cancelled between that read and the
 * announcement's commit, the cancellation's fan-out (those whose announcement is received) runs without this
 * recipient. The cancellation must still be ordered for them. A sender held on its way to the SMTP server (the email
 * already composed) lets the cancellation be decided and fanned out at exactly that moment.
 */
class NoticeWhileAnnouncementLeavesTest extends OwnSenderTestBase {

    @Autowired
    AnnouncementService announcements;

    @Test
    void aCancellationDecidedWhileTheAnnouncementLeavesIsOrderedForItsRecipient() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Subscriber person = new Subscriber(UUID.randomUUID().toString(), unique("late") + "@example.org",
                SubscriberStatus.CONFIRMED, Preferences.of(List.of(unique("nothing-published")), List.of()), now, now,
                null, null, Subscriber.FORM, 1);
        subscribers.insert(person);
        String eventId = UUID.randomUUID().toString();
        EventSnapshot scheduled = event(eventId, 1, false, now);
        // As the events listener leaves it after the first publication (the test orders the announcement itself).
        events.apply(scheduled, true, now);

        HeldSender held = new HeldSender(properties);
        List<DeliveryOrder> ordered = new CopyOnWriteArrayList<>();
        DeliveryService service = serviceWith(held, ordered::addAll);
        try {
            DeliveryOrder announcement = DeliveryOrder.of(eventId, 1, NoticeKind.ANNOUNCEMENT, person.id());
            CompletableFuture<Void> delivering = CompletableFuture.runAsync(
                    () -> service.deliver(List.of(announcement)));
            assertThat(held.composed.await(60, TimeUnit.SECONDS)).isTrue();

            // Cancelled now: decided, recorded and fanned out while the announcement is still SENDING.
            announcements.apply(event(eventId, 2, true, Instant.now()));
            assertThat(announcements.ofEvent(eventId)).anySatisfy(a -> {
                assertThat(a.kind()).isEqualTo(NoticeKind.CANCELLATION);
                assertThat(a.finishedAt()).isNotNull();
                assertThat(a.requested()).isZero();
            });

            held.release();
            delivering.get(60, TimeUnit.SECONDS);
            assertThat(held.subjects).containsExactly("Nouvel événement : Atelier annulé trop tard");
            assertThat(store.find(announcement.deliveryId())).get().extracting(Delivery::status)
                    .isEqualTo(DeliveryStatus.SENT);
            assertThat(ordered).containsExactly(DeliveryOrder.of(eventId, 2, NoticeKind.CANCELLATION, person.id()));
        } finally {
            held.release();
            service.stop();
        }
    }

    private static EventSnapshot event(String eventId, long revision, boolean cancelled, Instant updatedAt) {
        Instant starts = updatedAt.plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.HOURS);
        return new EventSnapshot(eventId, revision, cancelled, "atelier-" + eventId.substring(0, 8),
                "Atelier annulé trop tard", null, List.of(), List.of(), starts, starts.plus(Duration.ofHours(2)),
                "Europe/Paris", new EventSnapshot.Place("Ségur", null, false), updatedAt, updatedAt);
    }
}
