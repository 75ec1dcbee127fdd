package dev.agenda.notification.event;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What this service needs of an event's public state, as of one revision.
 *
 * @param timeZone IANA zone in which dates are shown to people
 */
public record EventSnapshot(String eventId, long revision, boolean cancelled, String slug, String title,
        String lead, List<String> categories, List<String> tags, Instant startsAt, Instant endsAt, String timeZone,
        Place place, Instant firstPublishedAt, Instant updatedAt) {

    public EventSnapshot {
        categories = categories == null ? List.of() : List.copyOf(categories);
        tags = tags == null ? List.of() : List.copyOf(tags);
        timeZone = timeZone == null || timeZone.isBlank() ? "Europe/Paris" : timeZone;
    }

    /** @param name venue label; @param address street address; @param online held online */
    public record Place(String name, String address, boolean online) {
    }

    /** Over once its end (or, without one, its start) has passed; an event without a date is never over. */
    public boolean isOverAt(Instant now) {
        Instant last = endsAt != null ? endsAt : startsAt;
        return last != null && !last.isAfter(now);
    }

    /** First publication, or the update time for a producer that did not fill it in. */
    public Instant publishedAt() {
        return firstPublishedAt != null ? firstPublishedAt : updatedAt;
    }

    /** Date, time or place differ: what a subscriber who planned to come must hear about. */
    public boolean scheduleDiffersFrom(EventSnapshot other) {
        return !Objects.equals(startsAt, other.startsAt) || !Objects.equals(endsAt, other.endsAt)
                || !Objects.equals(place, other.place);
    }
}
