package dev.agenda.notification.event;

import java.time.Instant;
import java.util.Optional;

/**
 * Which notice, if any, a new revision of an event calls for, given the last revision applied. Pure function: the
 * same inputs always give the same decision, which is what makes a replay harmless.
 */
public final class AnnouncementPolicy {

    private AnnouncementPolicy() {
    }

    /**
     * @param previous  last applied state of the event, or null if never seen
     * @param announced whether an announcement was already decided for this event
     */
    public static Optional<NoticeKind> decide(EventSnapshot previous, boolean announced, EventSnapshot next,
            Instant now) {
        if (previous != null && next.revision() <= previous.revision()) {
            return Optional.empty();
        }
        if (next.isOverAt(now)) {
            return Optional.empty();
        }
        if (!announced) {
            // The first revision that can be announced is: usually the first publication, but an event first seen
            // cancelled, or over (a wrong year, corrected), is announced when it is back on or moved to the future.
            return next.cancelled() ? Optional.empty() : Optional.of(NoticeKind.ANNOUNCEMENT);
        }
        if (next.cancelled()) {
            return previous.cancelled() ? Optional.empty() : Optional.of(NoticeKind.CANCELLATION);
        }
        if (previous.cancelled()) {
            // Cancelled then scheduled again: those who were told it was cancelled must hear it is back on.
            return Optional.of(NoticeKind.RESCHEDULE);
        }
        return next.scheduleDiffersFrom(previous) ? Optional.of(NoticeKind.RESCHEDULE) : Optional.empty();
    }
}
