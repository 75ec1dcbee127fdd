package dev.agenda.publishing.event;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Objects;

/**
 * Public state of one event as the site shows it. Free of messaging and persistence types so the renderer can be
 * tested and benchmarked without Kafka or Mongo.
 */
public record SiteEvent(
        String eventId,
        long revision,
        boolean cancelled,
        String slug,
        String title,
        String lead,
        String primaryCategory,
        List<String> categories,
        List<String> tags,
        List<Image> images,
        Instant startsAt,
        Instant endsAt,
        String timeZone,
        Location location,
        List<Access> access,
        List<Info> infos,
        String body,
        Instant firstPublishedAt,
        Instant updatedAt,
        Instant publicationDate) {

    public SiteEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(title, "title");
        Slugs.requireValid(slug);
        categories = categories == null ? List.of() : List.copyOf(categories);
        tags = tags == null ? List.of() : List.copyOf(tags);
        images = images == null ? List.of() : List.copyOf(images);
        access = access == null ? List.of() : List.copyOf(access);
        infos = infos == null ? List.of() : List.copyOf(infos);
        timeZone = timeZone == null || timeZone.isBlank() ? "Europe/Paris" : timeZone;
    }

    /**
     * When the event was published, as its editors dated it (an imported page keeps its site's date) or, without
     * that, its first publication here.
     */
    public Instant publishedAt() {
        return publicationDate != null ? publicationDate : firstPublishedAt != null ? firstPublishedAt : updatedAt;
    }

    public ZoneId zone() {
        try {
            return ZoneId.of(timeZone);
        } catch (RuntimeException invalid) {
            // A bad zone must not take the page down: the agenda is a French one.
            return ZoneId.of("Europe/Paris");
        }
    }

    /** Undated events count as past; the others until {@link #upcomingUntil()}. */
    public boolean isUpcoming(Instant now) {
        Instant until = upcomingUntil();
        return until != null && !until.isBefore(now);
    }

    /**
     * When the event stops being upcoming: a whole-day event at the end of its last day; the others when they end, or,
     * if no end is known (most of the corpus: a start time only), at the end of the day they start on, where they are
     * held: an event under way is not listed as past, nor dropped from the feeds, the minute it begins. Null when
     * undated.
     */
    public Instant upcomingUntil() {
        if (startsAt == null) {
            return null;
        }
        if (allDay(startsAt, endsAt, zone())) {
            return lastDay(startsAt, endsAt, zone()).plusDays(1).atStartOfDay(zone()).toInstant();
        }
        if (endsAt != null && endsAt.isAfter(startsAt)) {
            return endsAt;
        }
        return startsAt.atZone(zone()).toLocalDate().plusDays(1).atStartOfDay(zone()).toInstant();
    }

    /** The day it starts on, where it is held; null when undated. */
    public LocalDate firstDay() {
        return startsAt == null ? null : startsAt.atZone(zone()).toLocalDate();
    }

    /**
     * The last day it is on, where it is held: a whole-day event's last day; a timed event ending exactly at midnight
     * ends as that day begins, so it is not on that day; without an end, the day it starts. Null when undated.
     */
    public LocalDate lastDayOn() {
        return startsAt == null ? null : lastDayOn(startsAt, endsAt, zone());
    }

    /** {@link #lastDayOn()} of an event held in {@code zone} from {@code start} to {@code end} (may be null). */
    public static LocalDate lastDayOn(Instant start, Instant end, ZoneId zone) {
        if (allDay(start, end, zone) || end == null || !end.isAfter(start)) {
            return lastDay(start, end, zone);
        }
        ZonedDateTime last = end.atZone(zone);
        return last.toLocalTime().equals(LocalTime.MIDNIGHT) ? last.toLocalDate().minusDays(1) : last.toLocalDate();
    }

    /**
     * A whole-day event, as the agenda's source site records them: it starts at midnight (local time) and ends at
     * midnight of its last day, or has no end. Its hours, if any, are in its information rows.
     */
    public static boolean allDay(Instant start, Instant end, ZoneId zone) {
        return start != null && start.atZone(zone).toLocalTime().equals(LocalTime.MIDNIGHT)
                && (end == null || end.atZone(zone).toLocalTime().equals(LocalTime.MIDNIGHT));
    }

    /** The last day of a whole-day event, included: the day its end falls on, or its first day. */
    public static LocalDate lastDay(Instant start, Instant end, ZoneId zone) {
        LocalDate first = start.atZone(zone).toLocalDate();
        return end == null || !end.isAfter(start) ? first : end.atZone(zone).toLocalDate();
    }

    public boolean online() {
        return location != null && location.online();
    }

    public record Image(String url, String caption, String altText) {
    }

    public record Location(String name, String address, boolean online, boolean showMap) {
    }

    public record Access(String type, List<String> lines) {
        public Access {
            lines = lines == null ? List.of() : List.copyOf(lines);
        }
    }

    public record Info(String label, String content, String link) {
    }
}
