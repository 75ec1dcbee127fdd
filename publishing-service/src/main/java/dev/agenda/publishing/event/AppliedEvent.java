package dev.agenda.publishing.event;

import java.time.Instant;
import java.util.Optional;

/**
 * What the site has applied for one eventId: the revision and the state, or {@code event == null} once deleted. The
 * deletion is kept (with the last revision) so a stale record replayed after the tombstone cannot resurrect it, and
 * with its time ({@code deletedAt}, null if unknown): the feeds it leaves changed then.
 */
public record AppliedEvent(String eventId, long revision, SiteEvent event, Instant deletedAt) {

    public AppliedEvent {
        if (event != null) {
            deletedAt = null;
        }
    }

    public AppliedEvent(String eventId, long revision, SiteEvent event) {
        this(eventId, revision, event, null);
    }

    public boolean deleted() {
        return event == null;
    }

    /**
     * The state after {@code change}, or empty when the change is a duplicate or older than what is applied.
     */
    public static Optional<AppliedEvent> next(AppliedEvent current, EventChange change) {
        if (change instanceof EventChange.Published published) {
            SiteEvent event = published.event();
            if (current != null && event.revision() <= current.revision()) {
                return Optional.empty();
            }
            return Optional.of(new AppliedEvent(event.eventId(), event.revision(), event));
        }
        if (current == null || current.deleted()) {
            return Optional.empty();
        }
        return Optional.of(new AppliedEvent(change.eventId(), current.revision(), null,
                ((EventChange.Deleted) change).at()));
    }
}
