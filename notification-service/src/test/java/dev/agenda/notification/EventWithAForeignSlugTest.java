package dev.agenda.notification;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.Topics;

/**
 * A record whose slug is not a URL name (written to the topic by something else than the event-service) would have
 * linked every subscriber's email to another page of the site ({@code /agenda/../../connexion/}). It goes to the
 * dead-letter topic instead, and the next event of its partition is announced as usual.
 */
class EventWithAForeignSlugTest extends IntegrationTestBase {

    @Test
    void anEventWhoseSlugIsNotAUrlNameIsDeadLetteredAndNobodyIsSentItsLink() throws Exception {
        String category = unique("cat");
        String email = unique("ines") + "@example.org";
        subscribeAndConfirm(email, List.of(category), List.of());
        String eventId = UUID.randomUUID().toString();
        EventPublished foreign = event(eventId, "Lien détourné", List.of(category), List.of())
                .setSlug("../../connexion").build();
        EventPublished next = event(UUID.randomUUID().toString(), "Lien ordinaire", List.of(category), List.of())
                .build();
        // Both on one partition: the record after the foreign one is not held back by it.
        publish(new ProducerRecord<>(Topics.EVENTS.name(), 0, foreign.getEventId(), foreign));
        publish(new ProducerRecord<>(Topics.EVENTS.name(), 0, next.getEventId(), next));

        String announcement = text(awaitMessages(email, 2).get(1));
        assertThat(announcement).contains("/agenda/" + next.getSlug() + "/").doesNotContain("../");
        awaitDeadLettered(Topics.EVENTS_DLT.name(),
                r -> java.util.Arrays.equals(r.key(), eventId.getBytes(StandardCharsets.UTF_8)));
        awaitAllConsumed();
        assertThat(messagesTo(email)).hasSize(2);
    }
}
