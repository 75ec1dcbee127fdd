package dev.agenda.events.event;

import java.time.Instant;

import dev.agenda.events.domain.Event;

/**
 * A message waiting in its event's document to be published: the public state at one revision, or a tombstone.
 * Written in the same single-document update as the change itself, so what is stored and what is published never
 * diverge.
 */
public record OutboxEntry(long revision, boolean tombstone, Event snapshot, Instant createdAt) {

    static OutboxEntry of(Event event, Instant now) {
        return new OutboxEntry(event.revision(), false, event, now);
    }

    static OutboxEntry tombstone(Event event, Instant now) {
        return new OutboxEntry(event.revision(), true, null, now);
    }
}
