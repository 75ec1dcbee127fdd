package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import dev.agenda.notification.delivery.DeliveryService;
import dev.agenda.notification.delivery.DeliveryStatus;
import dev.agenda.notification.subscription.Preferences;
import dev.agenda.notification.subscription.Subscriber;
import dev.agenda.notification.subscription.SubscriberStatus;
import dev.agenda.notification.subscription.SubscriberStore;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;

/**
 * The SMTP sink goes down in the middle of a fan-out and comes back: every email arrives once, none twice. The
 * outage lasts 30 s, as in the issue ({@code -Dagenda.test.smtp-outage=10s} shortens it for a quick local run).
 */
class SmtpOutageTest extends IntegrationTestBase {

    private static final int RECIPIENTS = 600;
    /** agenda.notification.smtp.concurrency of the test configuration. */
    private static final int SMTP_CONNECTIONS = 4;

    @Autowired
    SubscriberStore subscribers;

    @Autowired
    DeliveryService deliveries;

    @Test
    void everyEmailArrivesOnceAfterAnOutage() {
        Duration outage = Duration.parse("PT" + System.getProperty("agenda.test.smtp-outage", "30s").toUpperCase());
        String domain = unique("outage") + ".test";
        String category = unique("cat");
        Instant confirmed = Instant.now().minus(Duration.ofHours(1));
        List<String> addresses = IntStream.range(0, RECIPIENTS).mapToObj(i -> "r" + i + "@" + domain).toList();
        addresses.forEach(a -> subscribers.insert(new Subscriber(UUID.randomUUID().toString(), a,
                SubscriberStatus.CONFIRMED, Preferences.of(List.of(category), List.of()), confirmed, confirmed, null,
                null, Subscriber.IMPORT, 1)));

        // A small inbox keeps the sink's own work (it parses every stored message on each look) out of the way.
        infra().smtp().clear();
        String eventId = UUID.randomUUID().toString();
        EventPublished first = event(eventId, "Panne SMTP", List.of(category), List.of()).build();
        publish(first);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> received(domain).size() >= 20);
        infra().smtp().stopSmtp();
        Instant stoppedAt = Instant.now();
        int atStop;
        try {
            atStop = received(domain).size();
            // Retitled while the sink is down: what leaves after the outage shows the event as it is then.
            publish(EventPublished.newBuilder(first).setRevision(2).setTitle("Panne SMTP (titre revu)")
                    .setUpdatedAt(Instant.now()).build());
            awaitConsumed("agenda-notification", Topics.EVENTS.name());
            assertThat(atStop).isLessThan(RECIPIENTS);
            // Nothing can arrive while the sink is down; this also waits out the outage.
            int stopped = atStop;
            await().during(outage).atMost(outage.plusSeconds(10)).until(() -> received(domain).size() == stopped);
        } finally {
            infra().smtp().startSmtp();
        }

        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                .until(() -> deliveries.ofEvent(eventId, DeliveryStatus.SENT).size() >= RECIPIENTS);
        awaitAllConsumed();
        List<Map<String, Object>> mails = infra().smtp().messages().stream()
                .filter(m -> String.valueOf(m.get("to")).contains("@" + domain + "]")).toList();
        Map<String, Set<String>> messageIdsPerRecipient = mails.stream().collect(Collectors.groupingBy(
                m -> String.valueOf(((List<?>) m.get("to")).get(0)),
                Collectors.mapping(m -> String.valueOf(m.get("messageId")), Collectors.toSet())));
        // Every one delivered, and none twice: one delivery, one Message-ID per recipient.
        assertThat(messageIdsPerRecipient.keySet()).containsExactlyInAnyOrderElementsOf(addresses);
        assertThat(messageIdsPerRecipient.values()).allMatch(ids -> ids.size() == 1);
        // A session cut by the outage between the sink storing a message and its "250" reaching us is, by SMTP's
        // rules, not delivered: we send it again, under the same Message-ID so the receiver collapses the copy.
        // At most one such message per SMTP connection open when the sink went down.
        assertThat(mails.size() - RECIPIENTS).isLessThanOrEqualTo(SMTP_CONNECTIONS);
        assertThat(deliveries.ofEvent(eventId, DeliveryStatus.SENT)).hasSize(RECIPIENTS);
        assertThat(deliveries.ofEvent(eventId, null)).hasSize(RECIPIENTS);
        assertThat(deliveries.ofEvent(eventId, DeliveryStatus.SENT)).anyMatch(d -> d.attempts() > 1);
        assertThat(mails.subList(atStop, mails.size())).allSatisfy(
                m -> assertThat(m.get("subject")).asString().contains("(titre revu)"));
        LoggerFactory.getLogger(SmtpOutageTest.class).info("outage of {}: {} emails before it, {} deliveries retried",
                outage, atStop, deliveries.ofEvent(eventId, DeliveryStatus.SENT)
                .stream().filter(d -> d.attempts() > 1).count());
    }

    /** Recipients of the messages received for this domain, one entry per message. */
    static List<String> received(String domain) {
        return infra().smtp().messages().stream()
                .flatMap(m -> ((List<?>) m.get("to")).stream().map(String::valueOf))
                .filter(to -> to.endsWith("@" + domain))
                .toList();
    }

    static Set<String> distinct(List<String> values) {
        return Set.copyOf(values);
    }
}
