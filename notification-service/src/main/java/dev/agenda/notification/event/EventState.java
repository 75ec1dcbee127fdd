package dev.agenda.notification.event;

import java.time.Instant;

/**
 * The last applied revision of an event, as this service saw it.
 *
 * @param id        the eventId
 * @param announced an announcement was decided for it (notices only ever follow an announcement)
 * @param deleted   a tombstone was seen: nothing more is decided about it (a deletion of an announced, upcoming
 *                  event is itself decided as a cancellation, whose snapshot is then the last one)
 */
public record EventState(String id, EventSnapshot snapshot, boolean announced, boolean deleted, Instant appliedAt) {
}
