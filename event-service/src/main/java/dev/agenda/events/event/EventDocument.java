package dev.agenda.events.event;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import dev.agenda.events.domain.Event;

/**
 * One event in MongoDB with its pending messages. The relay only touches {@code outbox}, {@code outboxPendingSince},
 * {@code outboxLease} and {@code outboxClaim}; the API only sets {@code event}/{@code slug}, pushes to
 * {@code outbox} and lowers {@code outboxPendingSince} ({@code $min}). Neither overwrites the other's fields, so the
 * two never need a multi-document transaction.
 *
 * @param outboxPendingSince when the oldest message of {@code outbox} was written; absent when the outbox is empty.
 *        The relay looks for work by this top-level field (sparse index) rather than by {@code outbox.0}, which no
 *        index can serve; derived from the outbox when a document is built without it
 * @param deleted set by DELETE while the tombstone waits in the outbox; the relay removes the document once sent
 * @param overAt when the event is over ({@link dev.agenda.events.domain.EventContent#over()}), kept next to it so
 *        that a search by date window is a plain indexed comparison: a whole-day event's end is midnight of its
 *        last day, which it includes, and comparing {@code endsAt} alone missed it on that day. Always derived from
 *        {@code event}; null when undated
 */
@Document(EventDocument.COLLECTION)
public record EventDocument(@Id String id, String slug, Event event, List<OutboxEntry> outbox,
        Instant outboxPendingSince, Instant outboxLease, String outboxClaim, boolean deleted, Instant overAt) {

    public static final String COLLECTION = "events";
    public static final String PENDING_SINCE = "outboxPendingSince";
    public static final String OVER_AT = "overAt";

    public EventDocument(String id, String slug, Event event, List<OutboxEntry> outbox, Instant outboxPendingSince,
            Instant outboxLease, String outboxClaim, boolean deleted) {
        this(id, slug, event, outbox, outboxPendingSince, outboxLease, outboxClaim, deleted, null);
    }

    public EventDocument {
        overAt = event == null ? overAt : event.content().over();
        outbox = outbox == null ? List.of() : List.copyOf(outbox);
        if (outboxPendingSince == null) {
            outboxPendingSince = oldestMessage(outbox);
        }
    }

    /** When the oldest of these messages was written; null when there is none. */
    public static Instant oldestMessage(List<OutboxEntry> outbox) {
        return outbox.stream().map(OutboxEntry::createdAt).min(Comparator.naturalOrder()).orElse(null);
    }
}
