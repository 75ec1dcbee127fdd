package dev.agenda.notification.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

import dev.agenda.notification.subscription.Preferences;

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

    /**
     * The event as a deletion leaves it for those who were told about it: cancelled, one revision later (the
     * tombstone carries no revision of its own), changed when the deletion was applied (the CANCEL's DTSTAMP, the
     * time its iTIP message was made, RFC 5546).
     */
    public EventSnapshot withdrawn(Instant at) {
        return new EventSnapshot(eventId, revision + 1, true, slug, title, lead, categories, tags, startsAt, endsAt,
                timeZone, place, firstPublishedAt, at);
    }

    /** @param name venue label; @param address street address; @param online held online */
    public record Place(String name, String address, boolean online) {
    }

    /**
     * Over once its end (or, without one, its start) has passed, a whole-day event once its last day has; an event
     * without a date is never over.
     */
    public boolean isOverAt(Instant now) {
        if (allDay()) {
            return !lastDay().plusDays(1).atStartOfDay(zone()).toInstant().isAfter(now);
        }
        Instant last = endsAt != null ? endsAt : startsAt;
        return last != null && !last.isAfter(now);
    }

    /** The zone dates are shown in; an unknown zone falls back to Paris rather than failing the email. */
    public ZoneId zone() {
        try {
            return ZoneId.of(timeZone);
        } catch (RuntimeException invalid) {
            return ZoneId.of("Europe/Paris");
        }
    }

    /**
     * A whole-day event, as the agenda's source site records them (same rule as the site): starts at midnight local
     * time and ends at midnight of its last day, or has no end.
     */
    public boolean allDay() {
        ZoneId zone = zone();
        return startsAt != null && startsAt.atZone(zone).toLocalTime().equals(LocalTime.MIDNIGHT)
                && (endsAt == null || endsAt.atZone(zone).toLocalTime().equals(LocalTime.MIDNIGHT));
    }

    /** The last day of a whole-day event, included. */
    public LocalDate lastDay() {
        LocalDate first = startsAt.atZone(zone()).toLocalDate();
        return endsAt == null || !endsAt.isAfter(startsAt) ? first : endsAt.atZone(zone()).toLocalDate();
    }

    /**
     * The last day it is on, where it is held: a whole-day event's last day; a timed event ending exactly at midnight
     * ends as that day begins, so it is not on that day; without an end, the day it starts. Null when undated.
     */
    public LocalDate lastDayOn() {
        if (startsAt == null) {
            return null;
        }
        if (allDay() || endsAt == null || !endsAt.isAfter(startsAt)) {
            return lastDay();
        }
        java.time.ZonedDateTime end = endsAt.atZone(zone());
        return end.toLocalTime().equals(LocalTime.MIDNIGHT) ? end.toLocalDate().minusDays(1) : end.toLocalDate();
    }

    /** First publication, or the update time for a producer that did not fill it in. */
    public Instant publishedAt() {
        return firstPublishedAt != null ? firstPublishedAt : updatedAt;
    }

    /** Date, time or place differ: what a subscriber who planned to come must hear about. */
    public boolean scheduleDiffersFrom(EventSnapshot other) {
        return timesDifferFrom(other) || placeDiffersFrom(other);
    }

    /** Start or end differ. */
    public boolean timesDifferFrom(EventSnapshot other) {
        return !Objects.equals(startsAt, other.startsAt) || !Objects.equals(endsAt, other.endsAt);
    }

    /** Another place, as people read it (see {@link #placeKey}). */
    public boolean placeDiffersFrom(EventSnapshot other) {
        return !Objects.equals(placeKey(place), placeKey(other.place));
    }

    /**
     * A place as people read it: a venue or an address retyped (case, accents, spaces, punctuation) is the same place,
     * and a location with nothing in it (only "show the map" ticked) is no place; another venue, another address, or
     * online instead of on site (or back) is a move.
     */
    private static List<String> placeKey(Place place) {
        if (place == null) {
            return null;
        }
        String name = textKey(place.name());
        String address = textKey(place.address());
        return name.isEmpty() && address.isEmpty() && !place.online() ? null
                : List.of(name, address, String.valueOf(place.online()));
    }

    private static String textKey(String text) {
        return text == null || text.isBlank() ? "" : Preferences.keyOf(text);
    }
}
