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
        // The editors' publication date (an imported page's date:), for the feeds' <published>.
        assertThat(m.getPublicationDate()).isEqualTo(Instant.parse("2030-05-24T12:00:00Z"));
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

    static EventContent withoutVenue(String title, String lead, String primaryCategory, List<String> categories,
            List<InfoRow> infos) {
        Instant t = Instant.parse("2030-05-25T12:00:00Z");
        return new EventContent(title, null, lead, primaryCategory, categories, List.of(), List.of(), t, null,
                "Europe/Paris", null, null, false, List.of(), infos, null);
    }

    private static EventPublished published(EventContent c) {
        Instant t = Instant.parse("2030-05-01T12:00:00Z");
        return EventMessages.toEventPublished(new Event("id-2", "sans-lieu", EventStatus.PUBLISHED, 2, c, t, t, t));
    }

    @Test
    void anEventWithoutAVenueIsOnlineWhenItsTypeOrItsTextsSaySoAndHasNoPlaceOtherwise() {
        assertThat(published(withoutVenue("Café de la transfo", null, "Webinaire", List.of(), List.of()))
                .getLocation()).satisfies(l -> {
                    assertThat(l.getOnline()).isTrue();
                    assertThat(l.getName()).isNull();
                    assertThat(l.getAddress()).isNull();
                });
        assertThat(published(withoutVenue("Forum de l'emploi", "La DINUM organise **une\nédition 100% en ligne**.",
                "Forum virtuel", List.of("Forum emploi"), List.of())).getLocation().getOnline()).isTrue();
        assertThat(published(withoutVenue("Formation design", null, null, List.of("Formation"),
                List.of(new InfoRow("Événement 100% en ligne", "en direct sur la chaîne YouTube", null))))
                .getLocation().getOnline()).isTrue();

        // Registering online, or a word inside another one, says nothing of where the event takes place.
        assertThat(published(withoutVenue("Atelier", "Inscription en ligne obligatoire.", "Atelier",
                List.of("Atelier"), List.of(new InfoRow("Inscription", "En ligne", "https://example.org/i"))))
                .getLocation()).isNull();
        assertThat(published(withoutVenue("Rencontre des virtuelles-ités", null, null, List.of(), List.of()))
                .getLocation()).isNull();
    }
}
