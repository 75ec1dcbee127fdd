package dev.agenda.events.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.agenda.events.domain.Access;
import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.domain.Image;
import dev.agenda.events.domain.InfoRow;
import dev.agenda.schemas.EventPublished;

class EventMessagesTest {

    static Event event(EventStatus status, String venue, String address) {
        Instant t = Instant.parse("2030-05-25T12:00:00Z");
        EventContent c = new EventContent("Forum", t.minusSeconds(86_400), "Chapeau", "Meetup", List.of("Forum"),
                List.of("Etalab"), List.of(new Image("/uploads/a.png", "Légende", "Alt")), t, t.plusSeconds(3600),
                "Europe/Paris", venue, address, address != null, List.of(new Access("Métro", List.of("6", "8"))),
                List.of(new InfoRow("Inscription", "Gratuite", "https://example.org")), "Corps");
        return new Event("id-1", "forum", status, 7, c, t, t.plusSeconds(5), t.plusSeconds(1));
    }

    @Test
    void publishedIsScheduledAndEveryFieldIsMapped() {
        EventPublished m = EventMessages.toEventPublished(event(EventStatus.PUBLISHED, "Le lieu", "77 avenue de Ségur"));
        assertThat(m.getStatus()).isEqualTo(dev.agenda.schemas.EventStatus.SCHEDULED);
        assertThat(m.getRevision()).isEqualTo(7);
        assertThat(m.getEventId()).isEqualTo("id-1");
        assertThat(m.getSlug()).isEqualTo("forum");
        assertThat(m.getStartsAt()).isEqualTo(Instant.parse("2030-05-25T12:00:00Z"));
        assertThat(m.getLocation().getName()).isEqualTo("Le lieu");
        assertThat(m.getLocation().getShowMap()).isTrue();
        assertThat(m.getLocation().getOnline()).isFalse();
        assertThat(m.getImages()).singleElement().satisfies(i -> assertThat(i.getAltText()).isEqualTo("Alt"));
        assertThat(m.getAccess()).singleElement().satisfies(a -> assertThat(a.getLines()).containsExactly("6", "8"));
        assertThat(m.getInfos()).singleElement().satisfies(i -> assertThat(i.getLabel()).isEqualTo("Inscription"));
        assertThat(m.getFirstPublishedAt()).isNotNull();
        assertThat(m.getUpdatedAt()).isNotNull();
    }

    @Test
    void cancelledStaysCancelledOnlineIsDetectedAndDraftsAreNeverPublished() {
        EventPublished m = EventMessages.toEventPublished(event(EventStatus.CANCELLED, "Evénement 100% en ligne", null));
        assertThat(m.getStatus()).isEqualTo(dev.agenda.schemas.EventStatus.CANCELLED);
        assertThat(m.getLocation().getOnline()).isTrue();
        assertThat(EventMessages.toEventPublished(event(EventStatus.PUBLISHED, null, null)).getLocation()).isNull();
        assertThatThrownBy(() -> EventMessages.toEventPublished(event(EventStatus.DRAFT, null, null)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
