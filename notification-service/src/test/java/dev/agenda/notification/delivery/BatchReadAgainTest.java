package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.TestClock;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;
import dev.agenda.notification.subscription.Subscriber;

/**
 * A batch reads its subscribers and events once, and its emails trust that read for 5 s: the emails waiting behind
 * others longer than that (one SMTP connection here, its first email held) leave with the state read again, a
 * cancellation decided meanwhile included.
 */
class BatchReadAgainTest extends OwnSenderTestBase {

    @Test
    void anEmailWaitingLongerThanTheReadIsTrustedSeesTheEventCancelledMeanwhile() throws Exception {
        Outcome outcome = cancelWhileTheFirstEmailIsHeld(Duration.ofSeconds(6));
        assertThat(outcome.subjects()).containsExactly("Nouvel événement : Atelier du lot");
        assertThat(store.find(outcome.second().deliveryId())).get().satisfies(d -> {
            assertThat(d.status()).isEqualTo(DeliveryStatus.SKIPPED);
            assertThat(d.lastError()).isEqualTo(DeliveryStore.ANNOUNCEMENT_TOO_LATE);
        });
    }

    @Test
    void withinFiveSecondsTheBatchReadIsTrusted() throws Exception {
        // The counterpart: the second email is not re-read for each email, so it leaves as the batch read it (the
        // notice of a cancellation decided meanwhile follows it, see NoticeWhileAnnouncementLeavesTest).
        Outcome outcome = cancelWhileTheFirstEmailIsHeld(Duration.ofSeconds(1));
        assertThat(outcome.subjects()).containsExactly("Nouvel événement : Atelier du lot",
                "Nouvel événement : Atelier du lot");
        assertThat(store.find(outcome.second().deliveryId())).get().extracting(Delivery::status)
                .isEqualTo(DeliveryStatus.SENT);
    }

    private record Outcome(List<String> subjects, DeliveryOrder second) {
    }

    /** Two announcements in one batch on one connection; the event cancelled and time moved on while one is held. */
    private Outcome cancelWhileTheFirstEmailIsHeld(Duration held) throws Exception {
        Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        AtomicReference<Instant> now = new AtomicReference<>(start);
        Subscriber first = subscriber(unique("first") + "@example.org");
        Subscriber second = subscriber(unique("second") + "@example.org");
        String eventId = UUID.randomUUID().toString();
        // Published after both subscribers confirmed: the fan-out's rule, applied again at the send, keeps them.
        EventSnapshot scheduled = event(eventId, "Atelier du lot", start);
        events.apply(scheduled, true, start);

        HeldSender heldFirst = new HeldSender(properties);
        NotificationProperties.Smtp smtp = properties.smtp();
        NotificationProperties oneConnection = new NotificationProperties(properties.publicBaseUrl(),
                properties.siteBaseUrl(), properties.corsOrigins(), properties.tokenKey(),
                properties.confirmationExpiry(), properties.purgeInterval(), properties.mail(),
                new NotificationProperties.Smtp(1, 0, smtp.initialBackoff(), smtp.maxBackoff(), smtp.giveUpAfter(),
                        smtp.lease(), smtp.sweepInterval()),
                properties.fanout(), properties.rateLimit(), properties.unsubscribeMailbox(), properties.bounces(),
                properties.deliveryLogRetention());
        DeliveryService service = serviceWith(heldFirst, orders -> { }, oneConnection, new TestClock(now::get));
        DeliveryOrder one = DeliveryOrder.of(eventId, 1, NoticeKind.ANNOUNCEMENT, first.id());
        DeliveryOrder two = DeliveryOrder.of(eventId, 1, NoticeKind.ANNOUNCEMENT, second.id());
        try {
            CompletableFuture<Void> delivering = CompletableFuture.runAsync(() -> service.deliver(List.of(one, two)));
            assertThat(heldFirst.composed.await(60, TimeUnit.SECONDS)).isTrue();

            EventSnapshot cancelled = new EventSnapshot(eventId, 2, true, scheduled.slug(), scheduled.title(), null,
                    List.of(), List.of(), scheduled.startsAt(), scheduled.endsAt(), scheduled.timeZone(),
                    scheduled.place(), scheduled.firstPublishedAt(), start);
            events.apply(cancelled, true, start);
            now.set(start.plus(held));

            heldFirst.release();
            delivering.get(60, TimeUnit.SECONDS);
            assertThat(store.find(one.deliveryId())).get().extracting(Delivery::status).isEqualTo(DeliveryStatus.SENT);
            // One connection takes the batch's emails in order: the second waited for the first.
            return new Outcome(List.copyOf(heldFirst.subjects), two);
        } finally {
            heldFirst.release();
            service.stop();
        }
    }
}
