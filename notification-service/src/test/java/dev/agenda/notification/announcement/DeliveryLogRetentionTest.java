package dev.agenda.notification.announcement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.event.EventStateStore;
import dev.agenda.schemas.EventPublished;

/**
 * The delivery log (one record per email and person, and the announcements) of an event over for longer than the
 * retention (365 days by default) is removed; that of an event still to come, or over more recently, stays. Before,
 * nothing was ever removed: the collection grew with subscribers × events, for ever.
 */
class DeliveryLogRetentionTest extends IntegrationTestBase {

    @Autowired
    DeliveryLogRetention retention;
    @Autowired
    EventStateStore states;

    @Test
    void theLogOfAnEventOverForLongerThanTheRetentionIsRemovedAndOnlyIt() throws Exception {
        String longAgo = announcedTo(unique("lou") + "@example.org", "Il y a longtemps");
        String recent = announcedTo(unique("rose") + "@example.org", "Il y a peu");
        String upcoming = announcedTo(unique("yan") + "@example.org", "À venir");
        // The first two events turn out to have happened in the past (an edit of their dates): 400 and 300 days ago.
        moveToThePast(longAgo, Duration.ofDays(400));
        moveToThePast(recent, Duration.ofDays(300));
        assertThat(deliveriesOf(longAgo)).isPositive();
        assertThat(announcementsOf(longAgo)).isPositive();

        DeliveryLogRetention.Removed removed = retention.purge(Instant.now());

        assertThat(removed.deliveries()).isGreaterThanOrEqualTo(1);
        assertThat(deliveriesOf(longAgo)).isZero();
        assertThat(announcementsOf(longAgo)).isZero();
        for (String kept : new String[] {recent, upcoming}) {
            assertThat(deliveriesOf(kept)).as(kept).isPositive();
            assertThat(announcementsOf(kept)).as(kept).isPositive();
        }
        // Its state stays, so that a replay of the events topic still decides nothing again for it.
        assertThat(states.find(longAgo)).isPresent();
    }

    /** Revision 2 of an event, with the same length, ending {@code ago} before now (no notice: it is over). */
    private void moveToThePast(String eventId, Duration ago) {
        Instant ends = Instant.now().minus(ago);
        EventPublished past = event(eventId, "Passé", java.util.List.of(), java.util.List.of()).setRevision(2)
                .setStartsAt(ends.minus(Duration.ofHours(2))).setEndsAt(ends).build();
        publish(past);
        await().atMost(Duration.ofSeconds(30)).until(() -> states.find(eventId).orElseThrow().snapshot().revision() == 2);
    }

    private long deliveriesOf(String eventId) {
        return mongo.count(Query.query(Criteria.where("eventId").is(eventId)), "deliveries");
    }

    private long announcementsOf(String eventId) {
        return mongo.count(Query.query(Criteria.where("eventId").is(eventId)), AnnouncementStore.COLLECTION);
    }
}
