package dev.agenda.events.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * An agenda event, as the admins edit it. Immutable: every change produces a new value with the next revision.
 *
 * @param id               UUID, also the Kafka key
 * @param slug             URL name, see {@link Slugs}; frozen once the event has been published
 * @param status           DRAFT, PUBLISHED or CANCELLED
 * @param revision         rises by one with every change
 * @param content          what the editor writes
 * @param createdAt        creation time
 * @param updatedAt        time of the last change
 * @param firstPublishedAt first publication time, null while never published
 */
public record Event(String id, String slug, EventStatus status, long revision, EventContent content,
        Instant createdAt, Instant updatedAt, Instant firstPublishedAt) {

    public Event {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(slug, "slug");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(content, "content");
    }

    public boolean wasPublished() {
        return firstPublishedAt != null;
    }

    public Event withSlug(String newSlug) {
        return new Event(id, slug.equals(newSlug) ? slug : newSlug, status, revision, content, createdAt, updatedAt,
                firstPublishedAt);
    }

    /**
     * The next revision with this content and status. The first publication stamps {@code firstPublishedAt} and,
     * when the editor left it empty, the publication date.
     */
    public Event changed(EventContent newContent, EventStatus newStatus, Instant now) {
        boolean firstPublication = firstPublishedAt == null && newStatus == EventStatus.PUBLISHED;
        EventContent c = newContent;
        if (newStatus.isPublic() && c.publicationDate() == null) {
            c = c.withPublicationDate(content.publicationDate() != null ? content.publicationDate() : now);
        }
        return new Event(id, slug, newStatus, revision + 1, c, createdAt, now,
                firstPublication ? now : firstPublishedAt);
    }

    public static List<String> copy(List<String> list) {
        return list == null ? List.of() : List.copyOf(list);
    }
}
