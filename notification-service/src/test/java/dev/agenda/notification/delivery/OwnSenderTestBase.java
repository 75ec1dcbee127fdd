package dev.agenda.notification.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.mail.autoconfigure.MailProperties;
import org.springframework.scheduling.TaskScheduler;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.bounce.BounceService;
import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.EventStateStore;
import dev.agenda.notification.mail.CommitPoint;
import dev.agenda.notification.mail.MailComposer;
import dev.agenda.notification.mail.MailSendException;
import dev.agenda.notification.mail.OutgoingMail;
import dev.agenda.notification.mail.SmtpSender;
import dev.agenda.notification.subscription.Preferences;
import dev.agenda.notification.subscription.ReturnPaths;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;
import dev.agenda.notification.subscription.SubscriberStore;
import dev.agenda.notification.subscription.SubscriptionLinks;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.mail.MessagingException;

/**
 * Tests that drive a {@link DeliveryService} of their own, on the application's stores, with the SMTP sender (a
 * scripted server, a sender held at a given point) and the order publisher they choose.
 */
abstract class OwnSenderTestBase extends IntegrationTestBase {

    @Autowired
    DeliveryStore store;
    @Autowired
    SubscriberStore subscribers;
    @Autowired
    EventStateStore events;
    @Autowired
    SubscriptionLinks links;
    @Autowired
    MailComposer composer;
    @Autowired
    NotificationProperties properties;
    @Autowired
    TaskScheduler scheduler;
    @Autowired
    NoticeDecisions notices;
    @Autowired
    ReturnPaths returnPaths;
    @Autowired
    BounceService bounces;

    DeliveryService serviceWith(SmtpSender sender, DeliveryRequestPublisher publisher) {
        return serviceWith(sender, publisher, properties, Clock.systemUTC());
    }

    DeliveryService serviceWith(SmtpSender sender, DeliveryRequestPublisher publisher,
            NotificationProperties settings, Clock clock) {
        return new DeliveryService(store, subscribers, events, links, composer, sender, publisher, settings, clock,
                new SimpleMeterRegistry(), scheduler, notices, returnPaths, bounces);
    }

    /** A confirmed subscriber whose preferences match no published event: only the test's own orders reach it. */
    Subscriber subscriber(String email) {
        Instant confirmed = Instant.now().minus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.MILLIS);
        Subscriber s = new Subscriber(UUID.randomUUID().toString(), email, SubscriberStatus.CONFIRMED,
                Preferences.of(List.of(unique("nothing-published")), List.of()), confirmed, confirmed, null, null,
                Subscriber.FORM, 1);
        subscribers.insert(s);
        return s;
    }

    /** Revision 1 of an event ten days ahead, at Ségur. */
    static EventSnapshot event(String eventId, String title, Instant updatedAt) {
        Instant starts = updatedAt.plus(Duration.ofDays(10)).truncatedTo(ChronoUnit.HOURS);
        return new EventSnapshot(eventId, 1, false, "atelier-" + eventId.substring(0, 8), title, null, List.of(),
                List.of(), starts, starts.plus(Duration.ofHours(2)), "Europe/Paris",
                new EventSnapshot.Place("Ségur", null, false), updatedAt, updatedAt);
    }

    /**
     * A sender that records each email's subject and holds it, composed and on its way to the server, until released;
     * the server then has it, and the commit point ends the data as a 250 would.
     */
    static final class HeldSender extends SmtpSender {

        final List<String> subjects = new CopyOnWriteArrayList<>();
        /** Counted down when the first email is composed and held. */
        final CountDownLatch composed = new CountDownLatch(1);
        private final CountDownLatch go = new CountDownLatch(1);

        HeldSender(NotificationProperties properties) throws MessagingException {
            super(localhost(), properties);
        }

        private static MailProperties localhost() {
            MailProperties mail = new MailProperties();
            mail.setHost("127.0.0.1");
            return mail;
        }

        /** Lets the held email and every later one go. */
        void release() {
            go.countDown();
        }

        @Override
        public void send(OutgoingMail outgoing, CommitPoint commitPoint) throws MailSendException {
            subjects.add(outgoing.subject());
            composed.countDown();
            try {
                if (!go.await(60, TimeUnit.SECONDS)) {
                    throw new MailSendException("never released", false, null);
                }
                commitPoint.reached(() -> { });
            } catch (Exception e) {
                throw new MailSendException(e.toString(), false, e);
            }
        }
    }
}
