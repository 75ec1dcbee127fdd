package dev.agenda.publishing.messaging;

import java.util.List;

import dev.agenda.publishing.event.EventChange;
import dev.agenda.publishing.event.SiteEvent;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;

/** Avro → domain. A null value is a tombstone: the event was deleted. */
final class EventMessages {

    private EventMessages() {
    }

    static EventChange toChange(String key, EventPublished message) {
        if (message == null) {
            if (key == null) {
                throw new IllegalArgumentException("Tombstone without a key");
            }
            return new EventChange.Deleted(key);
        }
        return new EventChange.Published(toSiteEvent(message));
    }

    static SiteEvent toSiteEvent(EventPublished m) {
        SiteEvent.Location location = m.getLocation() == null ? null
                : new SiteEvent.Location(m.getLocation().getName(), m.getLocation().getAddress(),
                        m.getLocation().getOnline(), m.getLocation().getShowMap());
        return new SiteEvent(m.getEventId(), m.getRevision(), m.getStatus() == EventStatus.CANCELLED, m.getSlug(),
                m.getTitle(), m.getLead(), m.getPrimaryCategory(), List.copyOf(m.getCategories()),
                List.copyOf(m.getTags()),
                m.getImages().stream().map(i -> new SiteEvent.Image(i.getUrl(), i.getCaption(), i.getAltText()))
                        .toList(),
                m.getStartsAt(), m.getEndsAt(), m.getTimeZone(), location,
                m.getAccess().stream().map(a -> new SiteEvent.Access(a.getType(), List.copyOf(a.getLines())))
                        .toList(),
                m.getInfos().stream().map(i -> new SiteEvent.Info(i.getLabel(), i.getContent(), i.getLink()))
                        .toList(),
                m.getBody(), m.getFirstPublishedAt(), m.getUpdatedAt());
    }
}
