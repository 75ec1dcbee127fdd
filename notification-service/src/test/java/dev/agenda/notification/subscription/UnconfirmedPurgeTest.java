package dev.agenda.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.agenda.notification.NotificationProperties;
import dev.agenda.notification.TestClock;

/**
 * Unconfirmed subscriptions are removed once their expiry (agenda.notification.confirmation-expiry, 7 days by
 * default) has passed; confirmed ones never are. The service runs on a clock the test moves, against the real
 * MongoDB, rather than waiting a week.
 */
class UnconfirmedPurgeTest extends OwnSubscriptionServiceTestBase {

    /** A clock that stays where the test puts it. */
    private static final class MovableClock extends TestClock {
        private final AtomicReference<Instant> now;

        MovableClock(Instant start) {
            this(new AtomicReference<>(start));
        }

        private MovableClock(AtomicReference<Instant> now) {
            super(now::get);
            this.now = now;
        }

        void advance(Duration d) {
            now.updateAndGet(t -> t.plus(d));
        }
    }

    private SubscriptionService service(NotificationProperties settings, Clock clock) {
        return serviceWith(store, sender, settings, clock);
    }

    private static NotificationProperties withExpiry(NotificationProperties p, Duration expiry) {
        return new NotificationProperties(p.publicBaseUrl(), p.siteBaseUrl(), p.corsOrigins(), p.tokenKey(), expiry,
                p.purgeInterval(), p.mail(), p.smtp(), p.fanout(), p.rateLimit(), p.unsubscribeMailbox(), p.bounces());
    }

    @Test
    void byDefaultAnUnconfirmedSubscriptionLivesSevenDays() {
        assertThat(properties.confirmationExpiry()).isEqualTo(Duration.ofDays(7));
        // MongoDB keeps milliseconds. Far from today, so that no other test's subscriptions fall due when this clock purges.
        MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofDays(3650)));
        SubscriptionService service = service(properties, clock);
        String pending = unique("pending") + "@purge.test";
        service.subscribe(pending, List.of(), List.of());
        Subscriber confirmed = confirmedSubscriber(clock.instant());

        clock.advance(Duration.ofDays(7).minusMinutes(1));
        service.purgeExpired();
        assertThat(store.findByEmail(pending)).isPresent();

        clock.advance(Duration.ofMinutes(2));
        service.purgeExpired();
        assertThat(store.findByEmail(pending)).isEmpty();
        assertThat(store.findById(confirmed.id())).isPresent();
    }

    @Test
    void theExpiryIsConfigurable() {
        MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS)
                .minus(Duration.ofDays(7300)));
        SubscriptionService service = service(withExpiry(properties, Duration.ofDays(2)), clock);
        String pending = unique("pending2") + "@purge.test";
        service.subscribe(pending, List.of(), List.of());
        assertThat(store.findByEmail(pending)).get().extracting(Subscriber::expiresAt)
                .isEqualTo(clock.instant().plus(Duration.ofDays(2)));

        clock.advance(Duration.ofDays(2).minusSeconds(1));
        service.purgeExpired();
        assertThat(store.findByEmail(pending)).isPresent();

        clock.advance(Duration.ofSeconds(2));
        service.purgeExpired();
        assertThat(store.findByEmail(pending)).isEmpty();
    }

    @Test
    void anAddressThatUnsubscribedStaysUnsubscribedWhenANewRequestForItIsNotConfirmed() throws Exception {
        MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS)
                .minus(Duration.ofDays(5475)));
        SubscriptionService service = service(properties, clock);
        SubscriberImport importer = new SubscriberImport(store, clock);
        Subscriber optedOut = unsubscribed(clock.instant());
        Subscriber alsoOptedOut = unsubscribed(clock.instant());

        // Someone asks again with their address (its owner, or anyone who knows it) and nobody confirms.
        clock.advance(Duration.ofDays(1));
        service.subscribe(optedOut.email(), List.of(), List.of());
        service.subscribe(alsoOptedOut.email(), List.of(), List.of());
        assertThat(store.findById(optedOut.id())).get().extracting(Subscriber::status)
                .isEqualTo(SubscriberStatus.PENDING);
        // An import while the request waits does not take it for consent.
        assertThat(importer.importCsv(new StringReader("email\n" + alsoOptedOut.email() + "\n")))
                .extracting(SubscriberImport.Line::outcome).containsExactly(SubscriberImport.Outcome.KEPT_UNSUBSCRIBED);

        clock.advance(Duration.ofDays(7).plusMinutes(1));
        service.purgeExpired();
        assertThat(store.findById(optedOut.id())).get().extracting(Subscriber::status)
                .isEqualTo(SubscriberStatus.UNSUBSCRIBED);
        // The opt-out is still known, so a later import of an old list leaves the address alone.
        assertThat(importer.importCsv(new StringReader("email\n" + optedOut.email() + "\n")))
                .extracting(SubscriberImport.Line::outcome).containsExactly(SubscriberImport.Outcome.KEPT_UNSUBSCRIBED);
        assertThat(store.findById(optedOut.id())).get().extracting(Subscriber::status)
                .isEqualTo(SubscriberStatus.UNSUBSCRIBED);
    }

    /** A hard bounce is lifted by a confirmation only: a request nobody confirms leaves the address suppressed. */
    @Test
    void anAddressThatBouncedStaysSuppressedWhenANewRequestForItIsNotConfirmed() throws Exception {
        MovableClock clock = new MovableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS)
                .minus(Duration.ofDays(5110)));
        SubscriptionService service = service(properties, clock);
        SubscriberImport importer = new SubscriberImport(store, clock);
        Subscriber bounced = confirmedSubscriber(clock.instant());
        assertThat(store.suppress(bounced.id(), bounced.epoch(), clock.instant(), "5.1.1 (bounce report)")).isTrue();
        // Idempotent, and only for the subscription the bounce names.
        assertThat(store.suppress(bounced.id(), bounced.epoch(), clock.instant(), "again")).isFalse();

        clock.advance(Duration.ofDays(1));
        service.subscribe(bounced.email(), List.of(), List.of());
        Subscriber asked = store.findById(bounced.id()).orElseThrow();
        assertThat(asked.status()).isEqualTo(SubscriberStatus.PENDING);
        assertThat(asked.bounceReason()).isEqualTo("5.1.1 (bounce report)");
        assertThat(importer.importCsv(new StringReader("email\n" + bounced.email() + "\n")))
                .extracting(SubscriberImport.Line::outcome).containsExactly(SubscriberImport.Outcome.KEPT_BOUNCED);

        clock.advance(Duration.ofDays(7).plusMinutes(1));
        service.purgeExpired();
        Subscriber after = store.findById(bounced.id()).orElseThrow();
        assertThat(after.status()).isEqualTo(SubscriberStatus.BOUNCED);
        assertThat(after.bouncedAt()).isEqualTo(asked.bouncedAt());
        assertThat(after.expiresAt()).isNull();
    }

    private Subscriber unsubscribed(Instant at) {
        Subscriber s = new Subscriber(UUID.randomUUID().toString(), unique("optout") + "@purge.test",
                SubscriberStatus.UNSUBSCRIBED, Preferences.of(List.of(), List.of()), at, at, null, at,
                Subscriber.FORM, 1);
        store.insert(s);
        return s;
    }

    private Subscriber confirmedSubscriber(Instant at) {
        // A category of its own: with no choice it would want everything, and stay in the shared database to receive
        // every event the later test classes publish (AdminApiTest saw a RESCHEDULE record of its own for it).
        Subscriber s = new Subscriber(UUID.randomUUID().toString(), unique("kept") + "@purge.test",
                SubscriberStatus.CONFIRMED, Preferences.of(List.of(unique("cat")), List.of()), at, at, null, null,
                Subscriber.FORM, 1);
        store.insert(s);
        return s;
    }
}
