package dev.agenda.notification.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;

class EventMapperTest {

    private static EventPublished withSlug(String slug) {
        Instant now = Instant.now();
        return EventPublished.newBuilder().setEventId("e1").setRevision(1).setStatus(EventStatus.SCHEDULED)
                .setSlug(slug).setTitle("Atelier").setCategories(List.of()).setTags(List.of())
                .setTimeZone("Europe/Paris").setFirstPublishedAt(now).setUpdatedAt(now).build();
    }

    @Test
    void aSlugOfTheContractIsKept() {
        assertThat(EventMapper.toSnapshot(withSlug("atelier-ia-2026")).slug()).isEqualTo("atelier-ia-2026");
        assertThat(EventMapper.toSnapshot(withSlug("a".repeat(120))).slug()).hasSize(120);
    }

    @Test
    void aSlugThatIsNotAUrlNameIsRefused() {
        for (String slug : List.of("../../connexion", "atelier?x=1", "atelier#haut", "Atelier", "atelier ia",
                "atelier/ia", "-atelier", "atelier-", "atelier--ia", "", "a".repeat(121), "atelier\r\nX: y")) {
            assertThatThrownBy(() -> EventMapper.toSnapshot(withSlug(slug))).as(slug)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a URL name");
        }
    }
}
