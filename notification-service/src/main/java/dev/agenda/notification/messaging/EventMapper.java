package dev.agenda.notification.messaging;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;
import dev.agenda.schemas.Location;

/** Avro contract → domain. */
final class EventMapper {

    private EventMapper() {
    }

    static EventSnapshot toSnapshot(EventPublished e) {
        Location l = e.getLocation();
        EventSnapshot.Place place = l == null ? null : new EventSnapshot.Place(l.getName(), l.getAddress(), l.getOnline());
        return new EventSnapshot(e.getEventId(), e.getRevision(), e.getStatus() == EventStatus.CANCELLED, e.getSlug(),
                e.getTitle(), e.getLead(), categories(e), e.getTags(), e.getStartsAt(), e.getEndsAt(),
                e.getTimeZone(), place, e.getFirstPublishedAt(), e.getUpdatedAt());
    }

    /**
     * The primary category first, then the others: an event typed "Atelier" only by its primary category is an
     * atelier for the people who chose ateliers, as it is on the site (its type page) and in the event API's filter.
     */
    static List<String> categories(EventPublished e) {
        Set<String> all = new LinkedHashSet<>();
        if (e.getPrimaryCategory() != null && !e.getPrimaryCategory().isBlank()) {
            all.add(e.getPrimaryCategory());
        }
        if (e.getCategories() != null) {
            all.addAll(e.getCategories());
        }
        return List.copyOf(all);
    }
}
