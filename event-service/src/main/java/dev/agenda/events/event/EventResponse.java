package dev.agenda.events.event;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import dev.agenda.events.domain.Access;
import dev.agenda.events.domain.Event;
import dev.agenda.events.domain.EventContent;
import dev.agenda.events.domain.EventStatus;
import dev.agenda.events.domain.Image;
import dev.agenda.events.domain.InfoRow;

/** An event as the API shows it; event times carry the offset of the event's own time zone. */
record EventResponse(String id, String slug, EventStatus status, long revision, String title,
        OffsetDateTime publicationDate, String lead, String primaryCategory, List<String> categories,
        List<String> tags, List<Image> images, OffsetDateTime startsAt, OffsetDateTime endsAt, String timeZone,
        String venue, String address, boolean showMap, List<Access> access, List<InfoRow> infos, String body,
        Instant createdAt, Instant updatedAt, Instant firstPublishedAt) {

    static EventResponse of(Event e) {
        EventContent c = e.content();
        ZoneId zone = ZoneId.of(c.timeZone());
        return new EventResponse(e.id(), e.slug(), e.status(), e.revision(), c.title(), at(c.publicationDate(), zone),
                c.lead(), c.primaryCategory(), c.categories(), c.tags(), c.images(), at(c.startsAt(), zone),
                at(c.endsAt(), zone), c.timeZone(), c.venue(), c.address(), c.showMap(), c.access(), c.infos(),
                c.body(), e.createdAt(), e.updatedAt(), e.firstPublishedAt());
    }

    private static OffsetDateTime at(Instant t, ZoneId zone) {
        return t == null ? null : t.atZone(zone).toOffsetDateTime();
    }

    /** One page of events, sorted by start date. */
    record Page(List<EventResponse> items, int page, int size, long totalItems, long totalPages) {
    }
}
