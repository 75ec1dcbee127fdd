package dev.agenda.notification.messaging;

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
                e.getTitle(), e.getLead(), e.getCategories(), e.getTags(), e.getStartsAt(), e.getEndsAt(),
                e.getTimeZone(), place, e.getFirstPublishedAt(), e.getUpdatedAt());
    }
}
