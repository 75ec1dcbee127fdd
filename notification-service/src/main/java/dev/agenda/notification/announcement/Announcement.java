package dev.agenda.notification.announcement;

import java.time.Instant;

import dev.agenda.notification.event.EventSnapshot;
import dev.agenda.notification.event.NoticeKind;

/**
 * A decision to tell subscribers about an event, and how far its fan-out got.
 *
 * @param id        {@code eventId:kind:revision}, so the same decision is never recorded twice
 * @param event     the event as of the deciding revision (categories, tags, first publication: who matches)
 * @param cursor    id of the last subscriber whose delivery order was published; a resumed fan-out goes on after it
 * @param requested delivery orders published so far
 */
public record Announcement(String id, String eventId, NoticeKind kind, long revision, EventSnapshot event,
        Status status, String cursor, long requested, Instant createdAt, Instant leaseUntil, Instant finishedAt) {

    public enum Status { FANNING_OUT, DONE }

    static String idOf(String eventId, NoticeKind kind, long revision) {
        return eventId + ":" + kind + ":" + revision;
    }
}
