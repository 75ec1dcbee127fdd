package dev.agenda.notification.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.IntegrationTestBase;

/**
 * A second subscription request renews a pending one only if nothing changed since it was read: a confirmation
 * click a few milliseconds earlier is not turned back into a pending request.
 */
class ConfirmedMeanwhileTest extends IntegrationTestBase {

    @Autowired
    SubscriberStore store;

    @Test
    void aRequestReadBeforeTheConfirmationDoesNotUndoIt() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant expiry = now.plus(Duration.ofDays(7));
        String email = unique("eli") + "@example.org";
        // A category of its own: other tests count who gets their events.
        Preferences preferences = Preferences.of(List.of(unique("cat")), List.of());
        Subscriber pending = new Subscriber(UUID.randomUUID().toString(), email, SubscriberStatus.PENDING,
                preferences, now, null, expiry, null, Subscriber.FORM, 0);
        store.insert(pending);
        Subscriber read = store.findById(pending.id()).orElseThrow();

        assertThat(store.confirm(pending.id(), expiry, now)).isPresent();
        Subscriber renewed = new Subscriber(pending.id(), email, SubscriberStatus.PENDING,
                preferences, now, null, expiry.plusSeconds(60), null, Subscriber.FORM, 0);

        assertThat(store.replaceIfUnchanged(read, renewed)).isFalse();
        assertThat(store.findById(pending.id()).orElseThrow().status()).isEqualTo(SubscriberStatus.CONFIRMED);
        // Read again, the record is what it is now: a replacement of it goes through.
        Subscriber current = store.findById(pending.id()).orElseThrow();
        assertThat(store.replaceIfUnchanged(current, renewed)).isTrue();
        assertThat(store.findById(pending.id()).orElseThrow().expiresAt()).isEqualTo(expiry.plusSeconds(60));
    }
}
