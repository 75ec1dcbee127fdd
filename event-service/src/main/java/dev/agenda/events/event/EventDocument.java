package dev.agenda.events.event;

import java.time.Instant;
import java.util.List;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

import dev.agenda.events.domain.Event;

/**
 * One event in MongoDB with its pending messages. The relay only touches {@code outbox}, {@code outboxLease} and
 * {@code outboxClaim}; the API only sets {@code event}/{@code slug} and pushes to {@code outbox}. Neither overwrites
 * the other's fields, so the two never need a multi-document transaction.
 *
 * @param deleted set by DELETE while the tombstone waits in the outbox; the relay removes the document once sent
 */
@Document(EventDocument.COLLECTION)
public record EventDocument(@Id String id, String slug, Event event, List<OutboxEntry> outbox, Instant outboxLease,
        String outboxClaim, boolean deleted) {

    public static final String COLLECTION = "events";

    public EventDocument {
        outbox = outbox == null ? List.of() : List.copyOf(outbox);
    }
}
