package dev.agenda.notification.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.event.EventStateStore;
import dev.agenda.schemas.EventPublished;

/**
 * The "back on" revision of a cancelled event, delivered again after the service stopped between writing the event's
 * state and reopening the announcements the cancellation had skipped: the redelivery reopens them.
 */
class BackOnRedeliveredTest extends IntegrationTestBase {

    @Autowired
    EventStateStore states;

    @Test
    void theRedeliveredBackOnRevisionSendsTheAnnouncementsItsFirstDeliveryDidNotReopen() throws Exception {
        String email = unique("noa") + "@example.org";
        EventPublished v1 = eventForASubscriber(email, "Repris après un arrêt");
        String eventId = v1.getEventId();
        cancelWhileItsAnnouncementWaits(v1, () -> { });
        awaitAnnouncementSkipped(eventId);

        // Revision 3 (back on) as the first delivery left it: state written, then the service stopped.
        EventPublished v3 = EventPublished.newBuilder(v1).setRevision(3).setUpdatedAt(Instant.now()).build();
        assertThat(states.apply(EventMapper.toSnapshot(v3), true, Instant.now())).isTrue();
        publish(v3);

        assertThat(awaitMessages(email, 2).get(1).get("subject")).asString().startsWith("Nouvel événement")
                .contains("Repris après un arrêt");
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(2);
    }
}
