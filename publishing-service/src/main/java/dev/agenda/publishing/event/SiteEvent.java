package dev.agenda.publishing.event;

import java.time.Instant;
import java.time.ZoneId;
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
        Instant updatedAt) {

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

    public ZoneId zone() {
        try {
            return ZoneId.of(timeZone);
        } catch (RuntimeException invalid) {
            // A bad zone must not take the page down: the agenda is a French one.
            return ZoneId.of("Europe/Paris");
        }
    }

    /** Events end when they end, or when they start if no end is known; undated events count as past. */
    public boolean isUpcoming(Instant now) {
        if (startsAt == null) {
            return false;
        }
        Instant last = endsAt != null && endsAt.isAfter(startsAt) ? endsAt : startsAt;
        return !last.isBefore(now);
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
