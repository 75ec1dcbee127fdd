package dev.agenda.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.IntegrationTestBase;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;
import dev.agenda.notification.subscription.SubscriberStore;
import dev.agenda.notification.subscription.SubscriptionLinks;
import dev.agenda.schemas.EventPublished;

/**
 * An announcement ordered for a subscriber who then unsubscribes and subscribes again before the order is handled
 * (a backlog of deliveries): the new subscription began after the event was published, so it is not told about it,
 * as a fan-out started then would not have chosen it.
 */
class AnnouncementOfAnEarlierSubscriptionTest extends IntegrationTestBase {

    @Autowired
    private SubscriberStore subscribers;

    @Autowired
    private SubscriptionLinks links;

    @Test
    void anAnnouncementOrderedBeforeAnUnsubscriptionIsNotSentToTheNextSubscription() throws Exception {
        String email = unique("backlog") + "@example.org";
        EventPublished event = eventForASubscriber(email, "Atelier d'avant le réabonnement");
        Subscriber first = subscribers.findByEmail(email).orElseThrow();
        List<String> categories = List.copyOf(first.preferences().categories());
        whileNoEmailLeaves(() -> {
            publish(event);
            // The fan-out is done: the order for this subscriber waits on the deliveries topic.
            await().atMost(Duration.ofSeconds(30)).until(() -> admin("GET", "/api/admin/events/"
                    + event.getEventId() + "/announcements", null, null).body(), b -> b.contains("\"DONE\"")
                            && b.contains("\"requested\":1"));
            assertThat(post("/subscriptions/unsubscribe?token=" + links.manageToken(first),
                    "application/x-www-form-urlencoded", "List-Unsubscribe=One-Click").statusCode()).isEqualTo(200);
            subscribeAgainAndConfirm(email, categories);
            assertThat(subscribers.findByEmail(email).orElseThrow().status()).isEqualTo(SubscriberStatus.CONFIRMED);
        });

        awaitAnnouncementSkipped(event.getEventId());
        awaitAllConsumed();
        // Two confirmation emails, no announcement.
        assertThat(messagesTo(email)).hasSize(2)
                .allSatisfy(m -> assertThat(m.get("subject")).asString().contains("Confirmez"));
        assertThat(admin("GET", "/api/admin/events/" + event.getEventId() + "/deliveries", null, null).body())
                .contains(DeliveryService.SUBSCRIBED_AFTER_PUBLICATION);
    }
}
