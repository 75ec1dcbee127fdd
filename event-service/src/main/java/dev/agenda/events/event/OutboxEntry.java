package dev.agenda.events.event;

import java.time.Instant;

import dev.agenda.events.domain.Event;

/**
 * A message waiting in its event's document to be published: the public state at one revision, or a tombstone.
 * Written in the same single-document update as the change itself, so what is stored and what is published never
 * diverge. {@code traceParent} is the W3C trace context of the request that made the change (null when none): the
 * relay publishes later, from its own thread, and continues that trace so one publication can be followed by its
 * trace id from the admin's request to the last email.
 */
public record OutboxEntry(long revision, boolean tombstone, Event snapshot, Instant createdAt, String traceParent) {

    static OutboxEntry of(Event event, Instant now, String traceParent) {
        return new OutboxEntry(event.revision(), false, event, now, traceParent);
    }

    static OutboxEntry tombstone(Event event, Instant now, String traceParent) {
        return new OutboxEntry(event.revision(), true, null, now, traceParent);
    }
}
