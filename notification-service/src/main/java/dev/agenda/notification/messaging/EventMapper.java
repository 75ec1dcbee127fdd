package dev.agenda.notification.messaging;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.schemas.EventPublished;
import dev.agenda.schemas.EventStatus;
import dev.agenda.schemas.Location;

/** Avro contract → domain. */
final class EventMapper {

    /**
     * The contract's URL name of an event, as the event-service makes it and the publishing-service requires it
     * (its page is {@code /agenda/<slug>/}). Emails link there: a record with another slug ({@code ../../x}, a query,
     * a space) would send every subscriber to some other page, or fail each email; it goes to the dead-letter topic.
     */
    private static final Pattern SLUG = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
    private static final int SLUG_MAX_LENGTH = 120;

    private EventMapper() {
    }

    static EventSnapshot toSnapshot(EventPublished e) {
        String slug = e.getSlug();
        if (slug == null || slug.length() > SLUG_MAX_LENGTH || !SLUG.matcher(slug).matches()) {
            throw new IllegalArgumentException("event " + e.getEventId() + " revision " + e.getRevision()
                    + ": its slug is not a URL name ([a-z0-9]+(-[a-z0-9]+)*, at most " + SLUG_MAX_LENGTH
                    + " characters), its emails cannot link to its page");
        }
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
